// Helpers for the tests that run programs: hdr_report and node.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace stats_test {

struct command_result {
    int exit_code = -1;
    std::string out;  // stdout, with stderr appended when the command says 2>&1
};

inline command_result run(const std::string& command) {
    command_result result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        result.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// A fresh file name under the build tree's temporary directory for this test.
inline std::string temp_path(const std::string& name) {
    return std::string(HT_TEST_TMP_DIR) + "/" + name;
}

}  // namespace stats_test
