// Replaces a file's contents all at once (snapshots): the bytes go to a temporary file in the
// same folder, which is flushed, fsynced and then renamed over the target, and the folder is
// fsynced. A reader, a full disk or a kill -9 at any moment leaves the previous file or the new
// one, never a part of either. Control plane only.
#pragma once

#include <cstddef>
#include <string>

namespace hypertick::feed {

// False on any failure, with the step and its cause (strerror) in `error`; the temporary file
// is removed and the target left as it was. The new file gets mode 0666 minus the umask, as
// fopen would give it.
bool replace_file(const std::string& path, const void* data, std::size_t length,
                  std::string& error);

}  // namespace hypertick::feed
