// Snapshots replace their file whole or not at all, and every string in them is valid JSON
// whatever bytes the feed sent.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <filesystem>

#include "gateway_harness.hpp"
#include "hostile_files_captures.hpp"
#include "hostile_files_small_disk.hpp"
#include "hypertick/book/json_text.hpp"
#include "hypertick/feed/replace_file.hpp"

namespace {

namespace fs = std::filesystem;
using hypertick::book::book_keys;
using hypertick::book::json_escaped;
using hypertick::feed::replace_file;

using hypertick::gw::test::scratch_dir;

size_t entries_in(const std::string& dir) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

TEST(HostileReplaceFile, ReplacesTheWholeFileAndLeavesNoTemporary) {
    const std::string dir = scratch_dir();
    const std::string path = dir + "/s.json";
    std::string error;
    ASSERT_TRUE(replace_file(path, "first", 5, error)) << error;
    ASSERT_TRUE(replace_file(path, "second", 6, error)) << error;
    EXPECT_EQ(hostile::read_file_text(path), "second");
    EXPECT_EQ(entries_in(dir), 1u);
    EXPECT_EQ(fs::status(path).permissions() & fs::perms::owner_read, fs::perms::owner_read);
}

TEST(HostileReplaceFile, NamesTheStepAndItsCause) {
    const std::string dir = scratch_dir();
    std::string error;
    EXPECT_FALSE(replace_file(dir + "/missing/s.json", "x", 1, error));
    EXPECT_NE(error.find("cannot create"), std::string::npos) << error;
    EXPECT_NE(error.find("No such file or directory"), std::string::npos) << error;
    fs::create_directories(dir + "/folder.json");
    EXPECT_FALSE(replace_file(dir + "/folder.json", "x", 1, error));
    EXPECT_NE(error.find("Is a directory"), std::string::npos) << error;
    EXPECT_EQ(entries_in(dir), 1u);  // the temporary file is gone
}

TEST(HostileReplaceFile, AFullDiskLeavesThePreviousFileIntact) {
    const std::string dir = scratch_dir();
    hostile::full_disk disk(dir, "s.json", "{\"previous\": true}\n");
    if (!disk.ready()) GTEST_SKIP() << disk.why_not();
    const std::string big(256 * 1024, 'y');
    std::string error;
    EXPECT_FALSE(replace_file(dir + "/s.json", big.data(), big.size(), error));
    EXPECT_NE(error.find("No space left on device"), std::string::npos) << error;
    EXPECT_EQ(hostile::read_file_text(dir + "/s.json"), "{\"previous\": true}\n");
    EXPECT_EQ(entries_in(dir), 2u);  // s.json and the filler: no temporary left behind
}

// kill -9 at any moment of a write: the file holds the previous bytes or all the new ones.
TEST(HostileReplaceFile, KillDuringTheWriteLeavesTheOldFileOrTheWholeNewOne) {
    const std::string dir = scratch_dir();
    const std::string path = dir + "/s.json";
    const std::string previous = "{\"previous\": true}\n";
    std::string error;
    ASSERT_TRUE(replace_file(path, previous.data(), previous.size(), error)) << error;
    const std::string fresh(8 << 20, 'n');
    uint32_t saw_previous = 0, saw_fresh = 0;
    for (int round = 0; round < 12; ++round) {
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            std::string child_error;
            for (;;) replace_file(path, fresh.data(), fresh.size(), child_error);
        }
        ::usleep(static_cast<useconds_t>(2000 + 3000 * round));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        const std::string now = hostile::read_file_text(path);
        if (now == previous) {
            ++saw_previous;
        } else {
            ASSERT_EQ(now.size(), fresh.size());
            ASSERT_EQ(now, fresh);
            ++saw_fresh;
            ASSERT_TRUE(replace_file(path, previous.data(), previous.size(), error)) << error;
        }
    }
    EXPECT_EQ(saw_previous + saw_fresh, 12u);
    std::printf("killed writers: %u left the previous file, %u the new one\n", saw_previous,
                saw_fresh);
}

TEST(HostileJsonText, EscapesEveryByteIntoPrintableAscii) {
    EXPECT_EQ(json_escaped("AB c"), "AB c");
    EXPECT_EQ(json_escaped("\"\\"), "\\\"\\\\");
    EXPECT_EQ(json_escaped(std::string("\x00\x01\n\x1f", 4)), "\\u0000\\u0001\\u000a\\u001f");
    EXPECT_EQ(json_escaped("\x7f\x80\xc3\xff"), "\\u007f\\u0080\\u00c3\\u00ff");
    for (int byte = 0; byte < 256; ++byte) {
        const std::string escaped = json_escaped(std::string(1, static_cast<char>(byte)));
        for (const char c : escaped) {
            EXPECT_GE(c, 0x20) << byte;
            EXPECT_LT(c, 0x7f) << byte;
        }
    }
}

TEST(HostileJsonText, BookKeysNameEveryLocateOfADuplicatedSymbolApart) {
    book_keys keys;
    EXPECT_EQ(keys.key("DUP", 3), "DUP");
    EXPECT_EQ(keys.key("OTHER", 4), "OTHER");
    EXPECT_EQ(keys.key("DUP", 9), "DUP (locate 9)");
    EXPECT_EQ(keys.key("DUP", 12), "DUP (locate 12)");
    EXPECT_EQ(keys.key("", 13), "");
    EXPECT_EQ(keys.key("", 14), " (locate 14)");
}

}  // namespace
