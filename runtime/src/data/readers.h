// Internals of load_fer2013: archives of image files, the FER2013 folder layout, the CSV parser.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ferc/data.h"

namespace ferc::data {

/// One file of an image archive: its path inside the archive ('/'-separated) and a handle.
struct ArchiveEntry {
  std::string name;
  uint64_t id = 0;  // zip index; unused for folders
};

/// Reads entry bytes. Not thread-safe: each decoding thread opens its own.
class EntryReader {
 public:
  virtual ~EntryReader() = default;
  /// Fills `out` with the entry's bytes. Returns "" on success, else why the entry cannot be
  /// used, phrased to follow its name ("fails the zip's CRC check: ...").
  virtual std::string read(const ArchiveEntry& entry, std::vector<uint8_t>& out) = 0;
};

/// A zip or folder of images: every file in it and a way to open readers.
struct ImageArchive {
  std::filesystem::path path;
  bool is_zip = false;
  std::vector<ArchiveEntry> entries;
  std::function<std::unique_ptr<EntryReader>()> open_reader;
};

/// Lists a zip's entries (directories excluded). Throws Error when it cannot be opened.
ImageArchive open_zip(const std::filesystem::path& path);

/// Lists every regular file under a folder, relative to it.
ImageArchive open_folder(const std::filesystem::path& path);

/// Which dataset an image file belongs to.
enum class Split { Train, Val, Test };

/// An archive entry placed in the FER2013 layout.
struct LayoutEntry {
  Split split = Split::Train;
  int32_t label = 0;
  std::string source;  // path relative to the layout root, e.g. "train/sad/Training_3.jpg"
  size_t entry = 0;    // index into ImageArchive::entries
};

/// Places the archive's files into splits by `train|test/<class>/<file>`, tolerating one
/// enclosing folder; other files are logged at debug and ignored. Sorted by source.
std::vector<LayoutEntry> place_in_layout(const ImageArchive& archive);

/// Decodes the selected entries into 48x48 grayscale datasets (see data.h for the rules).
Fer2013 decode_layout(const ImageArchive& archive, const std::vector<LayoutEntry>& layout,
                      const LoadOptions& options);

/// What a CSV held: the images, and whether it said which split each belongs to.
struct CsvContents {
  Fer2013 data;
  bool has_usage = false;  // without a Usage column every row is in data.test
};

/// Parses Kaggle's fer2013.csv (and its variants) held in `text`; `path` names it in errors.
CsvContents parse_csv(const std::filesystem::path& path, std::string_view text);

/// The text up to the first line end (LF, CRLF or CR alone).
std::string_view first_line(std::string_view text);

/// True when `first_line` is a FER2013 CSV header (has a pixels column).
bool is_csv_header(std::string_view first_line);

/// `name` with control characters escaped (\n, \t, \xNN), for messages that print file names.
std::string printable(std::string_view name);

/// `limit` positions out of `count`, evenly spread, ascending (all when limit is 0 or >= count).
std::vector<size_t> spread_pick(size_t count, size_t limit);

/// Keeps the images of `data` at `positions`, in that order.
Dataset select(const Dataset& data, const std::vector<size_t>& positions);

}  // namespace ferc::data
