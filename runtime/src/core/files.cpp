#include "ferc/files.h"

#include "ferc/error.h"

namespace ferc {

void require_regular_file(const std::filesystem::path& path, const std::string& what,
                          const std::string& fix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  std::string reason;
  if (!fs::exists(st))
    reason = "no such file";
  else if (fs::is_directory(st))
    reason = "it is a folder, not a file";
  else if (!fs::is_regular_file(st))
    reason = "it is a pipe, socket or device, not a regular file";
  else
    return;
  throw Error(what + " " + path.string() + ": " + reason + "; " + fix);
}

}  // namespace ferc
