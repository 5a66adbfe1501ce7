// The gateway's include graph points down only (docs/architecture.md, "Source layers"): the data
// plane never includes the control plane, the control plane never includes the app.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// Lowest first: a folder may include its own and lower folders' headers, never higher ones.
const std::vector<std::string> layers = {"contract", "memory",  "worker",
                                         "runtime",  "control", "app"};

int layer_of(const std::string& folder) {
    const auto at = std::find(layers.begin(), layers.end(), folder);
    return at == layers.end() ? -1 : static_cast<int>(at - layers.begin());
}

}  // namespace

TEST(IncludeLayers, NoGatewayFolderIncludesAHigherOne) {
    const fs::path gateway = fs::path(HYPERTICK_SOURCE_DIR) / "gateway";
    int files = 0;
    for (const std::string& folder : layers) {
        ASSERT_TRUE(fs::is_directory(gateway / folder)) << folder;
        for (const fs::directory_entry& e : fs::directory_iterator(gateway / folder)) {
            ++files;
            std::ifstream in(e.path());
            std::string line;
            for (int n = 1; std::getline(in, line); ++n) {
                if (line.rfind("#include \"", 0) != 0) continue;
                const std::string target = line.substr(10, line.find('/', 10) - 10);
                EXPECT_LE(layer_of(target), layer_of(folder))
                    << e.path().string() << ":" << n << " includes upward: " << line;
            }
        }
    }
    EXPECT_GT(files, 20);
}
