// A full disk on demand: a tmpfs of a few pages mounted on a scratch folder, then filled, so
// every further write fails with ENOSPC. Needs root (mount); tests skip with the reason
// otherwise. Unmounted when it goes out of scope.
#pragma once

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace hostile {

class full_disk {
  public:
    // Mounts a 64 KiB tmpfs on `dir`, writes `previous` to dir/name, then fills what is left.
    full_disk(const std::string& dir, const std::string& name, const std::string& previous)
        : dir_(dir) {
        if (::geteuid() != 0) {
            why_not_ = "mounting a small tmpfs needs root";
            return;
        }
        if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=64k") != 0) {
            why_not_ = std::string("mount -t tmpfs: ") + std::strerror(errno);
            return;
        }
        mounted_ = true;
        std::ofstream(dir + "/" + name) << previous;
        std::ofstream filler(dir + "/filler", std::ios::binary);
        const std::string block(4096, 'x');
        for (int i = 0;
             i < 64 && filler.write(block.data(), static_cast<std::streamsize>(block.size())); ++i)
            filler.flush();
    }
    ~full_disk() {
        if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    full_disk(const full_disk&) = delete;
    full_disk& operator=(const full_disk&) = delete;

    bool ready() const { return mounted_; }
    const std::string& why_not() const { return why_not_; }

  private:
    std::string dir_;
    bool mounted_ = false;
    std::string why_not_;
};

}  // namespace hostile
