// The log's sink counts every line its file did not take, and a logger from make_logger says
// so through log_loss, so a full disk under the log is reported instead of silent.
#include "control/counted_log_sink.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "control/log_output.hpp"

namespace {

using hypertick::gw::counted_log_sink;

std::string scratch_file(const std::string& name) {
    const std::filesystem::path dir =
        std::filesystem::path(HYPERTICK_TEST_TMP) / "counted_log_sink";
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / name);
    return (dir / name).string();
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(CountedLogSink, EveryLineAFullDiskRefusesIsCountedWithItsCause) {
    auto sink = std::make_shared<counted_log_sink>("/dev/full");  // every write: ENOSPC
    ASSERT_TRUE(sink->is_open()) << sink->open_error();
    spdlog::logger log("test", sink);
    log.info("one");
    log.warn("two");
    log.error("three");
    EXPECT_EQ(sink->lines_lost(), 3u);
    EXPECT_EQ(sink->lines_written(), 0u);
    EXPECT_EQ(sink->loss_text(),
              "logging.file \"/dev/full\": write failed (No space left on device): 3 of 3 log "
              "line(s) lost");
}

TEST(CountedLogSink, LinesThatReachTheFileAreAppendedAndNothingIsLost) {
    const std::string path = scratch_file("append.log");
    { std::ofstream(path) << "earlier\n"; }
    auto sink = std::make_shared<counted_log_sink>(path);
    ASSERT_TRUE(sink->is_open()) << sink->open_error();
    spdlog::logger log("test", sink);
    log.set_pattern("%v");
    log.info("one");
    log.info("two");
    EXPECT_EQ(sink->lines_written(), 2u);
    EXPECT_EQ(sink->lines_lost(), 0u);
    EXPECT_EQ(sink->loss_text(), "");
    // Each line is flushed as it is written: the file holds it before the sink closes.
    EXPECT_EQ(read_all(path), "earlier\none\ntwo\n");
}

TEST(CountedLogSink, AFileThatCannotBeOpenedSaysWhy) {
    const counted_log_sink sink(std::string(HYPERTICK_TEST_TMP) + "/no/such/folder/x.log");
    EXPECT_FALSE(sink.is_open());
    EXPECT_EQ(sink.open_error(), "No such file or directory");
}

TEST(CountedLogSink, MakeLoggerReportsTheLossThroughLogLoss) {
    hypertick::gw::logging_settings settings;
    settings.level = "info";
    settings.file = "/dev/full";
    std::string error;
    const auto log = hypertick::gw::make_logger(settings, error);
    ASSERT_NE(log, nullptr) << error;
    EXPECT_EQ(hypertick::gw::log_loss(*log), "");
    log->info("lost");
    log->debug("below the level: never written, never lost");
    EXPECT_EQ(hypertick::gw::log_loss(*log),
              "logging.file \"/dev/full\": write failed (No space left on device): 1 of 1 log "
              "line(s) lost");
}

}  // namespace
