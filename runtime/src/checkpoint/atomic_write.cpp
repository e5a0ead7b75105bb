// Write-to-temporary, fsync, rename: the file at `path` is always either the old or the new one.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "ferc/error.h"
#include "format.h"

namespace ferc::checkpoint {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& path, const std::string& what, int err) {
  throw Error("cannot write checkpoint " + path.string() + ": " + what + ": " + std::strerror(err));
}

// Owns a POSIX file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  /// Closes now so a failing close (a late write error) can be reported; returns errno or 0.
  int close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Removes the temporary file unless it was renamed into place; only a file this code created.
class TmpGuard {
 public:
  explicit TmpGuard(fs::path tmp) : tmp_(std::move(tmp)) {}
  TmpGuard(const TmpGuard&) = delete;
  TmpGuard& operator=(const TmpGuard&) = delete;
  ~TmpGuard() {
    std::error_code ignored;  // the write already failed; report that, not the cleanup
    if (armed_) fs::remove(tmp_, ignored);
  }
  void arm() { armed_ = true; }
  void disarm() { armed_ = false; }

 private:
  fs::path tmp_;
  bool armed_ = false;
};

void write_all(int fd, const std::string& bytes, const fs::path& path, const fs::path& tmp) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, "writing " + tmp.string() + " failed", errno);
    done += static_cast<size_t>(n);
  }
}

void write_and_sync(const fs::path& path, const fs::path& tmp, const std::string& bytes,
                    TmpGuard& guard) {
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) fail(path, "cannot create temporary file " + tmp.string(), errno);
  guard.arm();
  write_all(fd.get(), bytes, path, tmp);
  if (::fsync(fd.get()) != 0) fail(path, "fsync of " + tmp.string() + " failed", errno);
  if (int err = fd.close()) fail(path, "closing " + tmp.string() + " failed", err);
}

// Makes the rename itself durable.
void sync_directory(const fs::path& dir, const fs::path& path) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) fail(path, "cannot open its directory to sync it", errno);
  if (::fsync(fd.get()) != 0) fail(path, "fsync of its directory failed", errno);
}

void create_parent(const fs::path& dir, const fs::path& path) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail(path, "cannot create directory " + dir.string(), ec.value());
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::string& bytes) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  create_parent(dir, path);
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  TmpGuard guard(tmp);
  write_and_sync(path, tmp, bytes, guard);
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    fail(path, "renaming " + tmp.string() + " over it failed", errno);
  guard.disarm();
  sync_directory(dir, path);
}

}  // namespace ferc::checkpoint
