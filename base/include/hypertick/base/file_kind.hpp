// What kind of file a path names when it is not a regular one, so an output path that is a
// device, a FIFO or a folder is refused before anything is written: writing through a
// temporary file and a rename would replace a device node (as root, --snapshot /dev/null would
// replace /dev/null), and opening a FIFO blocks until a reader comes. Control plane only.
#pragma once

#include <string>

namespace hypertick::base {

// "a directory", "a character device", "a block device", "a FIFO", "a socket" or "not a
// regular file" when `path` exists and is not a regular file (links followed); empty when it
// is a regular file or does not exist.
std::string special_file_kind(const std::string& path);

}  // namespace hypertick::base
