// hyper-tick as a dependency of another project: the installed package (find_package and
// pkg-config) and the source tree (add_subdirectory) both build and run examples/consumer.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "gateway/gateway_harness.hpp"

namespace fs = std::filesystem;
using namespace hypertick::gw::test;

namespace {

const std::string source_dir = HYPERTICK_SOURCE_DIR;
const std::string consumer_flags = HYPERTICK_CONSUMER_FLAGS;

bool have_command(const std::string& name) {
    return run("command -v " + name).exit_code == 0;
}

// cmake --install of the "dev" component (the hypertick-dev package's files) into dir/prefix.
std::string install_dev(const std::string& dir) {
    const std::string prefix = dir + "/prefix";
    const run_result r = run("cmake --install " + std::string(HYPERTICK_BUILD_DIR) +
                             " --component dev --prefix " + prefix);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return prefix;
}

// The folder holding hypertick-executor.pc under prefix (lib/ or lib/<multiarch triplet>/).
std::string pkgconfig_dir(const std::string& prefix) {
    for (const auto& e : fs::recursive_directory_iterator(prefix))
        if (e.path().filename() == "hypertick-executor.pc") return e.path().parent_path().string();
    return {};
}

// Configures and builds the CMake project in source into dir/build with the compiler of this
// build, optimised as a user's release build is (the sanitizer build then checks the headers
// inlined at -O3); returns the configure or build output and its exit code.
run_result cmake_build(const std::string& source, const std::string& dir,
                       const std::string& options) {
    const std::string build = dir + "/build";
    std::string configure =
        "cmake -S " + source + " -B " + build + " -G \"" + HYPERTICK_CMAKE_GENERATOR +
        "\" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=" + HYPERTICK_CXX_COMPILER + " " +
        options;
    if (!consumer_flags.empty())
        configure += " \"-DCMAKE_CXX_FLAGS=" + consumer_flags +
                     "\" \"-DCMAKE_EXE_LINKER_FLAGS=" + consumer_flags + "\"";
    const run_result configured = run(configure);
    if (configured.exit_code != 0) return configured;
    return run("cmake --build " + build);
}

}  // namespace

TEST(Package, FindPackageBuildsTheConsumerExample) {
    const std::string dir = scratch_dir();
    const std::string prefix = install_dev(dir);
    for (const char* file : {"/include/hypertick/hypertick.hpp", "/include/hypertick/executor.hpp"})
        EXPECT_TRUE(fs::exists(prefix + file)) << file;

    const run_result built =
        cmake_build(source_dir + "/examples/consumer", dir, "-DCMAKE_PREFIX_PATH=" + prefix);
    ASSERT_EQ(built.exit_code, 0) << built.output;
    const run_result ran = run(dir + "/build/consumer");
    EXPECT_EQ(ran.exit_code, 0) << ran.output;
    EXPECT_EQ(ran.output, "7 * 7 = 49\n");
}

TEST(Package, VersionFileAcceptsTheSameMinorOnly) {
    const std::string dir = scratch_dir();
    const std::string prefix = install_dev(dir);
    write_file(dir + "/CMakeLists.txt",
               "cmake_minimum_required(VERSION 3.25)\nproject(version_probe LANGUAGES CXX)\n"
               "find_package(hypertick ${WANTED} REQUIRED)\n");
    const run_result same =
        run("cmake -S " + dir + " -B " + dir + "/same -DWANTED=0.1 -DCMAKE_PREFIX_PATH=" + prefix);
    EXPECT_EQ(same.exit_code, 0) << same.output;
    const run_result newer =
        run("cmake -S " + dir + " -B " + dir + "/newer -DWANTED=0.2 -DCMAKE_PREFIX_PATH=" + prefix);
    EXPECT_NE(newer.exit_code, 0) << newer.output;
    EXPECT_TRUE(contains(newer.output, "compatible with requested version \"0.2\""))
        << newer.output;
}

TEST(Package, EveryLibraryLinksFromTheInstall) {
    if (!HYPERTICK_GATEWAY_LIBRARIES)
        GTEST_SKIP() << "HYPERTICK_EXECUTOR_ONLY: only the executor is installed";
    const std::string dir = scratch_dir();
    const std::string prefix = install_dev(dir);
    fs::create_directories(dir + "/src");
    // One use of each library, so each archive and its own dependencies (zlib) must resolve.
    write_file(
        dir + "/src/main.cpp",
        "#include <hypertick/book/book_manager.hpp>\n#include <hypertick/feed/pcap_file.hpp>\n"
        "#include <hypertick/stats/histogram_codec.hpp>\n"
        "int main() {\n"
        "    hypertick::book::book_manager books;\n"
        "    if (!books.init({.symbols = 16, .orders = 64, .levels_per_side = 8})) return 1;\n"
        "    hypertick::feed::pcap_reader reader;\n"
        "    if (reader.open(\"/nonexistent.pcap\")) return 1;\n"
        "    hypertick::stats::histogram h;\n"
        "    h.record(1000);\n"
        "    return "
        "hypertick::stats::decode_compressed_base64(hypertick::stats::encode_compressed_base64(h))"
        "\n"
        "               .total_count() == 1 ? 0 : 1;\n"
        "}\n");
    write_file(dir + "/src/CMakeLists.txt",
               "cmake_minimum_required(VERSION 3.25)\nproject(all_libraries LANGUAGES CXX)\n"
               "find_package(hypertick 0.1 REQUIRED COMPONENTS executor feed book stats)\n"
               "add_executable(all_libraries main.cpp)\n"
               "target_link_libraries(all_libraries PRIVATE hypertick::book hypertick::feed "
               "hypertick::stats)\n");
    const run_result built = cmake_build(dir + "/src", dir, "-DCMAKE_PREFIX_PATH=" + prefix);
    ASSERT_EQ(built.exit_code, 0) << built.output;
    const run_result ran = run(dir + "/build/all_libraries");
    EXPECT_EQ(ran.exit_code, 0) << ran.output;
}

TEST(Package, PkgConfigBuildsTheConsumerExample) {
    if (!have_command("pkg-config"))
        GTEST_SKIP() << "pkg-config is not installed (Debian package pkg-config; tools/setup.sh)";
    const std::string dir = scratch_dir();
    const std::string prefix = install_dev(dir);
    const std::string pc_dir = pkgconfig_dir(prefix);
    ASSERT_FALSE(pc_dir.empty()) << "no hypertick-executor.pc under " << prefix;
    const std::string env = "PKG_CONFIG_PATH=" + pc_dir + " ";

    const run_result flags = run(env + "pkg-config --cflags --libs hypertick-executor");
    ASSERT_EQ(flags.exit_code, 0) << flags.output;
    EXPECT_TRUE(contains(flags.output, "-I" + prefix + "/include")) << flags.output;
    EXPECT_TRUE(contains(flags.output, "-lhypertick_executor -lhypertick_base"))
        << flags.output;  // HT_ASSERT's handler

    const run_result built =
        run(env + std::string(HYPERTICK_CXX_COMPILER) + " -std=c++20 " + consumer_flags + " " +
            source_dir + "/examples/consumer/main.cpp -O2 -o " + dir + "/consumer $(" + env +
            "pkg-config --cflags --libs hypertick-executor)");
    ASSERT_EQ(built.exit_code, 0) << built.output;
    const run_result ran = run(dir + "/consumer");
    EXPECT_EQ(ran.exit_code, 0) << ran.output;
    EXPECT_EQ(ran.output, "7 * 7 = 49\n");

    if (HYPERTICK_GATEWAY_LIBRARIES) {
        // Static libraries: each .pc pulls in what its archive needs, in link order.
        const run_result stats = run(env + "pkg-config --libs hypertick-stats");
        EXPECT_TRUE(
            contains(stats.output, "-lhypertick_stats -lhypertick_executor -lhypertick_base -lz"))
            << stats.output;
        const run_result book = run(env + "pkg-config --libs hypertick-book");
        EXPECT_TRUE(contains(book.output, "-lhypertick_book -lhypertick_feed -lhypertick_base"))
            << book.output;
    }
}

TEST(Package, AddSubdirectoryNeedsNoGoogleTest) {
    // A parent project that vendors the source tree: no tests, benchmarks or gateway are
    // configured, so neither GoogleTest nor DPDK may be looked for.
    const std::string dir = scratch_dir();
    fs::create_directories(dir + "/src");
    write_file(dir + "/src/CMakeLists.txt",
               "cmake_minimum_required(VERSION 3.25)\nproject(vendoring LANGUAGES CXX)\n"
               "add_subdirectory(" +
                   source_dir +
                   " hypertick)\n"
                   "add_executable(consumer " +
                   source_dir +
                   "/examples/consumer/main.cpp)\n"
                   "target_link_libraries(consumer PRIVATE hypertick::executor)\n");
    const run_result built = cmake_build(
        dir + "/src", dir,
        "-DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON "
        "-DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON");
    ASSERT_EQ(built.exit_code, 0) << built.output;
    EXPECT_FALSE(fs::exists(dir + "/build/hypertick/tests"))
        << "the tests of a subproject are not configured";
    const run_result ran = run(dir + "/build/consumer");
    EXPECT_EQ(ran.exit_code, 0) << ran.output;
    EXPECT_EQ(ran.output, "7 * 7 = 49\n");
}
