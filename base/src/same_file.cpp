#include "hypertick/base/same_file.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>

namespace hypertick::base {
namespace {

// The folder of `path` resolved (links, "..", "."), then its last component; the path as given
// when the folder cannot be resolved.
std::string resolved(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    char buffer[PATH_MAX];
    if (::realpath(folder.c_str(), buffer) == nullptr) return path;
    return std::string(buffer) + "/" + name;
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
    struct stat sa {};
    struct stat sb {};
    const bool a_exists = ::stat(a.c_str(), &sa) == 0;
    const bool b_exists = ::stat(b.c_str(), &sb) == 0;
    if (a_exists && b_exists) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (a_exists || b_exists) return false;
    return resolved(a) == resolved(b);
}

}  // namespace hypertick::base
