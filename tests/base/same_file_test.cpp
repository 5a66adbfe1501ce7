// same_file: one file under any spelling, link or hard link; outputs not written yet compared by
// their resolved folder.
#include "hypertick/base/same_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using hypertick::base::same_file;

class SameFile : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ht_same_file_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "sub");
        std::ofstream(dir_ / "a.pcap") << "a";
        std::ofstream(dir_ / "b.pcap") << "b";
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string at(const std::string& name) const { return (dir_ / name).string(); }
    fs::path dir_;
};

TEST_F(SameFile, OneExistingFileUnderEverySpelling) {
    EXPECT_TRUE(same_file(at("a.pcap"), at("a.pcap")));
    EXPECT_TRUE(same_file(at("a.pcap"), at("sub/../a.pcap")));
    EXPECT_TRUE(same_file(at("a.pcap"), at("./a.pcap")));
    fs::create_symlink(at("a.pcap"), at("link.pcap"));
    fs::create_hard_link(at("a.pcap"), at("hard.pcap"));
    EXPECT_TRUE(same_file(at("link.pcap"), at("a.pcap")));
    EXPECT_TRUE(same_file(at("hard.pcap"), at("a.pcap")));
    EXPECT_FALSE(same_file(at("a.pcap"), at("b.pcap")));
}

TEST_F(SameFile, FilesNotWrittenYetCompareByFolderAndName) {
    EXPECT_TRUE(same_file(at("new.json"), at("sub/../new.json")));
    fs::create_directory_symlink(dir_ / "sub", dir_ / "sublink");
    EXPECT_TRUE(same_file(at("sub/new.json"), at("sublink/new.json")));
    EXPECT_FALSE(same_file(at("new.json"), at("sub/new.json")));
    EXPECT_FALSE(same_file(at("new.json"), at("a.pcap")));  // one exists, one does not
}

}  // namespace
