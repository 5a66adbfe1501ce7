// The target that owns the tests' shared precompiled gtest.h (tests/CMakeLists.txt); CMake
// needs a program to build it with.
int main() {
    return 0;
}
