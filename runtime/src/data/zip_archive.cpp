// Reading image entries out of a zip with libzip; one zip handle per reader.
#include <zip.h>

#include <memory>

#include "ferc/error.h"
#include "readers.h"

namespace ferc::data {
namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipHandle = std::unique_ptr<zip_t, ZipCloser>;

struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

ZipHandle open_handle(const std::filesystem::path& path) {
  int code = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (z == nullptr) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(path.string() + ": cannot open the zip (" + why +
                "); check that the download is complete");
  }
  return ZipHandle(z);
}

class ZipReader : public EntryReader {
 public:
  explicit ZipReader(const std::filesystem::path& path) : zip_(open_handle(path)) {}

  std::string read(const ArchiveEntry& entry, std::vector<uint8_t>& out) override {
    zip_stat_t st;
    if (zip_stat_index(zip_.get(), entry.id, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
      return "cannot be read from the zip (" + std::string(zip_strerror(zip_.get())) + ")";
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(zip_.get(), entry.id, 0));
    if (!file)
      return "cannot be opened in the zip (" + std::string(zip_strerror(zip_.get())) +
             "); the zip is damaged";
    out.resize(st.size);
    zip_int64_t got = st.size ? zip_fread(file.get(), out.data(), st.size) : 0;
    // libzip compares the CRC-32 only once the end of the entry is reached, so read past it.
    uint8_t extra = 0;
    if (got == static_cast<zip_int64_t>(st.size))
      got = zip_fread(file.get(), &extra, 1) == 0 ? got : -1;
    if (got == static_cast<zip_int64_t>(st.size)) return "";
    zip_error_t* error = zip_file_get_error(file.get());
    if (zip_error_code_zip(error) == ZIP_ER_CRC)
      return "fails the zip's CRC check: its bytes are damaged; download the zip again or "
             "repair it (zip -F)";
    return "cannot be read from the zip (" + std::string(zip_error_strerror(error)) +
           "); the zip is damaged";
  }

 private:
  ZipHandle zip_;
};

}  // namespace

ImageArchive open_zip(const std::filesystem::path& path) {
  ImageArchive archive;
  archive.path = path;
  archive.is_zip = true;
  ZipHandle zip = open_handle(path);
  zip_int64_t count = zip_get_num_entries(zip.get(), 0);
  archive.entries.reserve(static_cast<size_t>(std::max<zip_int64_t>(count, 0)));
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(zip.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    if (name == nullptr) continue;
    std::string entry_name = name;
    if (entry_name.empty() || entry_name.back() == '/') continue;  // a directory
    archive.entries.push_back({std::move(entry_name), static_cast<uint64_t>(i)});
  }
  archive.open_reader = [path] { return std::make_unique<ZipReader>(path); };
  return archive;
}

}  // namespace ferc::data
