// The control plane's log lines: journald priority prefixes when standard output is the journal.
#include "control/log_output.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

namespace {

using hypertick::gw::is_journal_stream;
using hypertick::gw::journal_priority;
using hypertick::gw::set_log_layout;
namespace level = spdlog::level;

TEST(LogOutput, SpdlogLevelsMapToSyslogPriorities) {
    EXPECT_EQ(journal_priority(level::critical), 2);  // LOG_CRIT
    EXPECT_EQ(journal_priority(level::err), 3);       // LOG_ERR
    EXPECT_EQ(journal_priority(level::warn), 4);      // LOG_WARNING
    EXPECT_EQ(journal_priority(level::info), 6);      // LOG_INFO
    EXPECT_EQ(journal_priority(level::debug), 7);     // LOG_DEBUG
    EXPECT_EQ(journal_priority(level::trace), 7);
}

// Every level's line through a logger laid out for the journal or not.
std::string log_every_level(bool journal) {
    std::ostringstream out;
    spdlog::logger log("test", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
    log.set_level(level::trace);
    set_log_layout(log, journal);
    log.trace("t");
    log.debug("d");
    log.info("feed {} live", "itch");
    log.warn("w");
    log.error("e");
    log.critical("c");
    return out.str();
}

TEST(LogOutput, JournalLinesStartWithTheirPriority) {
    EXPECT_EQ(log_every_level(true),
              "<7>trace t\n"
              "<7>debug d\n"
              "<6>info  feed itch live\n"
              "<4>warning w\n"
              "<3>error e\n"
              "<2>critical c\n");
}

TEST(LogOutput, OtherLinesStartWithTheTimeAndNoPrefix) {
    std::istringstream lines(log_every_level(false));
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        ASSERT_GE(line.size(), 24u) << line;
        EXPECT_NE(line[0], '<') << line;
        EXPECT_EQ(line[4], '-') << line;  // 2026-12-01 21:07:26.123 info  ...
        EXPECT_EQ(line[13], ':') << line;
    }
    EXPECT_EQ(count, 6);
}

class JournalStream : public ::testing::Test {
  protected:
    void SetUp() override {
        path_ = std::filesystem::temp_directory_path() /
                ("ht_journal_stream_" + std::to_string(::getpid()));
        fd_ = ::open(path_.c_str(), O_CREAT | O_RDWR | O_TRUNC, 0600);
        ASSERT_GE(fd_, 0);
        struct stat st {};
        ASSERT_EQ(::fstat(fd_, &st), 0);
        device_ = std::to_string(st.st_dev);
        inode_ = std::to_string(st.st_ino);
    }
    void TearDown() override {
        if (fd_ >= 0) ::close(fd_);
        std::filesystem::remove(path_);
    }
    std::filesystem::path path_;
    int fd_ = -1;
    std::string device_;
    std::string inode_;
};

TEST_F(JournalStream, MatchesTheDeviceAndInodeOfTheDescriptor) {
    EXPECT_TRUE(is_journal_stream(fd_, (device_ + ":" + inode_).c_str()));
}

TEST_F(JournalStream, AnotherFileOrNoVariableIsNotTheJournal) {
    // A service's output redirected elsewhere still inherits JOURNAL_STREAM.
    EXPECT_FALSE(is_journal_stream(fd_, (device_ + ":" + inode_ + "1").c_str()));
    EXPECT_FALSE(is_journal_stream(fd_, ("1" + device_ + ":" + inode_).c_str()));
    EXPECT_FALSE(is_journal_stream(fd_, nullptr));
    EXPECT_FALSE(is_journal_stream(-1, (device_ + ":" + inode_).c_str()));
}

TEST_F(JournalStream, MalformedValuesAreNotTheJournal) {
    for (const std::string& bad :
         {std::string(), std::string(":"), device_ + ":", ":" + inode_,
          device_ + ":" + inode_ + "x", device_ + " :" + inode_, "-" + device_ + ":" + inode_,
          device_ + ":+" + inode_, std::string("99999999999999999999999:1")})
        EXPECT_FALSE(is_journal_stream(fd_, bad.c_str())) << "'" << bad << "'";
}

}  // namespace
