// Whether two paths name one file, so a tool or the gateway refuses to write an output over one
// of its inputs (a capture replaced by the snapshot of its own replay) or over another output.
// Control plane only: system calls.
#pragma once

#include <string>

namespace hypertick::base {

// True when `a` and `b` are the same file: the same device and inode when both exist (links
// and other spellings of a path included); when neither exists yet, the same name in the same
// resolved folder. A path that exists and one that does not are different files.
bool same_file(const std::string& a, const std::string& b);

}  // namespace hypertick::base
