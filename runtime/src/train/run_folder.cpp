// Claiming a run folder: atomic creation, a flock()ed lock file held for the whole training,
// and the checks that keep two trainings from writing into one folder.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "ferc/train.h"

namespace ferc {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLockFile = ".ferc-lock";
constexpr int kMaxFreshNames = 1000;

std::string errno_text(int err) {
  return std::strerror(err);
}

// The process id written in a held lock file, or "" when unreadable.
std::string lock_owner(const fs::path& lock) {
  int fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  char buf[32] = {};
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  std::string pid(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.find_first_not_of("0123456789") == std::string::npos ? pid : "";
}

// Creates `dir` (its parents as needed). True when this call created it, false when it existed.
bool make_dir(const fs::path& dir) {
  std::error_code ec;
  if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
  if (ec)
    throw Error("cannot create the run folder " + dir.string() + ": cannot create " +
                dir.parent_path().string() + ": " + ec.message());
  if (::mkdir(dir.c_str(), 0777) == 0) return true;
  int err = errno;
  if (err != EEXIST)
    throw Error("cannot create the run folder " + dir.string() + ": " + errno_text(err));
  if (!fs::is_directory(dir, ec))
    throw Error("cannot create the run folder " + dir.string() +
                ": a file of that name exists; choose another --out");
  return false;
}

fs::path same_place(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p.empty() ? fs::path(".") : p, ec);
  fs::path c = fs::weakly_canonical(abs, ec);
  if (ec) c = abs.lexically_normal();
  if (!c.has_filename() && c.has_parent_path()) c = c.parent_path();
  return c;
}

}  // namespace

fs::path run_folder_of(const fs::path& checkpoint, int runs) {
  fs::path dir = checkpoint.parent_path();
  if (runs > 1) dir = dir.parent_path();
  return dir.empty() ? fs::path(".") : dir;
}

RunFolder::RunFolder(RunFolder&& other) noexcept
    : dir_(std::move(other.dir_)), fd_(other.fd_), created_(other.created_) {
  other.fd_ = -1;
  other.created_ = false;
}

RunFolder& RunFolder::operator=(RunFolder&& other) noexcept {
  if (this != &other) {
    release();
    dir_ = std::move(other.dir_);
    fd_ = other.fd_;
    created_ = other.created_;
    other.fd_ = -1;
    other.created_ = false;
  }
  return *this;
}

void RunFolder::release() {
  if (fd_ < 0) return;
  std::error_code ec;
  // While still holding the lock: run-N/ folders that a stopped or failed run left empty.
  if (created_)
    for (const auto& entry : fs::directory_iterator(dir_, ec))
      if (entry.path().filename().string().starts_with("run-") && entry.is_directory(ec) &&
          fs::is_empty(entry.path(), ec))
        fs::remove(entry.path(), ec);
  ::unlink((dir_ / kLockFile).c_str());
  ::close(fd_);
  fd_ = -1;
  if (created_) ::rmdir(dir_.c_str());  // only succeeds when nothing was saved
  created_ = false;
}

RunFolder claim_run_folder(const TrainOptions& options, int runs) {
  if (options.resume) {
    fs::path home = run_folder_of(*options.resume, runs);
    if (same_place(home) != same_place(options.out_dir))
      throw Error("--resume continues a run in its own folder: " + options.resume->string() +
                  " belongs to the run folder " + home.string() + ", not to --out " +
                  options.out_dir.string() + "; leave out --out, or give the run's folder");
  }
  RunFolder f;
  fs::path dir = options.out_dir;
  bool created = false;
  for (int n = 1;; ++n) {
    fs::path candidate = n == 1 ? dir : fs::path(dir.string() + "-" + std::to_string(n));
    created = make_dir(candidate);
    if (created || !options.fresh_name || options.resume) {
      dir = candidate;
      break;
    }
    if (n == kMaxFreshNames)
      throw Error("cannot find a free run folder name after " + candidate.string() +
                  "; choose one with --out");
  }
  f.dir_ = dir;
  f.created_ = created;
  const fs::path lock = dir / kLockFile;
  // A lock file whose holder released it after we opened it was unlinked: retry on the new one.
  for (int attempt = 0;; ++attempt) {
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
      int err = errno;
      if (created) ::rmdir(dir.c_str());
      throw Error("cannot write into the run folder " + dir.string() + ": " + errno_text(err) +
                  "; make it writable or choose another --out");
    }
    int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      int err = errno;
      if (created) ::rmdir(dir.c_str());
      throw Error("cannot write into the run folder " + dir.string() + " (creating " +
                  lock.string() + "): " + errno_text(err) +
                  "; make it writable or choose another --out");
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      ::close(fd);
      if (err != EWOULDBLOCK)
        throw Error("cannot lock the run folder " + dir.string() + " (" + lock.string() +
                    "): " + errno_text(err));
      std::string pid = lock_owner(lock);
      throw Error(dir.string() + " is in use by another training" +
                  (pid.empty() ? "" : " (process " + pid + ")") +
                  "; wait for it to end, or choose another --out");
    }
    struct stat held {
    }, named{};
    if (::fstat(fd, &held) == 0 && ::stat(lock.c_str(), &named) == 0 &&
        held.st_ino == named.st_ino && held.st_dev == named.st_dev) {
      f.fd_ = fd;
      break;
    }
    ::close(fd);
    if (attempt == 10) throw Error("cannot lock the run folder " + dir.string());
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(f.fd_, 0) != 0 || ::pwrite(f.fd_, pid.data(), pid.size(), 0) < 0) {
    int err = errno;
    throw Error("cannot write into the run folder " + dir.string() + " (" + lock.string() +
                "): " + errno_text(err) + "; make it writable or choose another --out");
  }
  if (!options.resume) {
    std::error_code ec;
    for (const char* file : {"last.ckpt", "best.ckpt", "history.csv", "run-1"})
      if (fs::exists(dir / file, ec))
        throw Error(dir.string() + " already holds a training run (" + file +
                    "); choose another --out, or continue it with --resume " +
                    (dir / "last.ckpt").string());
  }
  return f;
}

}  // namespace ferc
