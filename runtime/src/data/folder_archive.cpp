// Reading image files out of an unpacked folder.
#include <fstream>
#include <memory>

#include "readers.h"

namespace ferc::data {
namespace {

class FolderReader : public EntryReader {
 public:
  explicit FolderReader(std::filesystem::path root) : root_(std::move(root)) {}

  std::string read(const ArchiveEntry& entry, std::vector<uint8_t>& out) override {
    std::ifstream in(root_ / entry.name, std::ios::binary | std::ios::ate);
    if (!in) return "cannot be opened (missing or no permission)";
    auto size = static_cast<std::streamoff>(in.tellg());
    if (size < 0) return "cannot be read";
    out.resize(static_cast<size_t>(size));
    in.seekg(0);
    if (!in.read(reinterpret_cast<char*>(out.data()), size)) return "cannot be read";
    return "";
  }

 private:
  std::filesystem::path root_;
};

}  // namespace

ImageArchive open_folder(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  ImageArchive archive;
  archive.path = path;
  auto options = fs::directory_options::skip_permission_denied;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(path, options)) {
    if (!e.is_regular_file()) continue;
    archive.entries.push_back({e.path().lexically_relative(path).generic_string(), 0});
  }
  archive.open_reader = [path] { return std::make_unique<FolderReader>(path); };
  return archive;
}

}  // namespace ferc::data
