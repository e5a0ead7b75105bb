// load_fer2013: tells a zip, a folder and a CSV apart by content and checks the splits.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "ferc/error.h"
#include "ferc/log.h"
#include "readers.h"

namespace ferc {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFix =
    "; pass the FER2013 zip, its unpacked folder (train/ and test/) or fer2013.csv";

enum class Format { Zip, Folder, Csv };

// Up to max_bytes of a file.
std::string read_file(const fs::path& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    throw Error(path.string() + ": cannot read it (" + std::strerror(errno) + ")" +
                std::string(kFix));
  auto size = static_cast<std::streamoff>(in.tellg());
  std::string text(std::min(static_cast<size_t>(std::max<std::streamoff>(size, 0)), max_bytes),
                   '\0');
  in.seekg(0);
  if (!in.read(text.data(), static_cast<std::streamsize>(text.size())))
    throw Error(path.string() + ": reading failed (" + std::strerror(errno) + ")");
  return text;
}

// Throws a message saying how to use a file that is close to FER2013 but not usable as it is:
// Kaggle's fer2013.tar.gz, a tar archive, a CSV saved as UTF-16.
void refuse_other_format(const fs::path& path, std::string_view head) {
  const std::string name = data::printable(path.string());
  if (head.size() >= 2 && head[0] == '\x1F' && head[1] == '\x8B')
    throw Error(name +
                " is gzip-compressed (Kaggle's fer2013.tar.gz is): unpack it first (tar xzf " +
                name + ") and pass the fer2013.csv it holds");
  if (head.size() >= 262 && head.substr(257, 5) == "ustar")
    throw Error(name + " is a tar archive: unpack it first (tar xf " + name +
                ") and pass the fer2013.csv or the train/ and test/ folder it holds");
  bool utf16_bom = head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF");
  // Without a byte order mark, ASCII text in UTF-16 has a zero byte every other byte.
  bool utf16_zeros =
      head.size() >= 8 && head[1] == '\0' && head[3] == '\0' && head[0] != '\0' && head[2] != '\0';
  utf16_zeros = utf16_zeros || (head.size() >= 8 && head[0] == '\0' && head[2] == '\0' &&
                                head[1] != '\0' && head[3] != '\0');
  if (utf16_bom || utf16_zeros)
    throw Error(name + " is UTF-16 text; ferc reads CSV in UTF-8 (or ASCII): save it as UTF-8, " +
                "e.g. iconv -f UTF-16 -t UTF-8 " + name + " > fer2013-utf8.csv");
}

// A printable glimpse of a file's first bytes for the "not FER2013" message.
std::string glimpse(std::string_view head) {
  std::string out;
  for (char c : head.substr(0, 24)) out += (c >= 32 && c < 127) ? c : '.';
  return "'" + out + "'";
}

Format detect(const fs::path& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) throw Error(path.string() + ": no such file or folder" + std::string(kFix));
  if (fs::is_directory(st)) return Format::Folder;
  if (!fs::is_regular_file(st))
    throw Error(path.string() + ": it is a pipe, socket or device, not a file" + std::string(kFix));
  std::string head = read_file(path, 4096);
  if (head.empty())
    throw Error(path.string() + " is empty: not a FER2013 zip or CSV" + std::string(kFix));
  // A zip starts with a local file header, or with the end record when it holds no files.
  if (head.starts_with(std::string_view("PK\3\4", 4)) ||
      head.starts_with(std::string_view("PK\5\6", 4)))
    return Format::Zip;
  if (data::is_csv_header(data::first_line(head))) return Format::Csv;
  refuse_other_format(path, head);
  throw Error(path.string() + " is not a FER2013 zip, folder or CSV: it starts with " +
              glimpse(head) + std::string(kFix));
}

// The name of the first CSV file in an archive, or "".
std::string csv_inside(const data::ImageArchive& archive) {
  for (const data::ArchiveEntry& e : archive.entries) {
    std::string_view name = e.name;
    if (name.size() > 4 && name.substr(name.size() - 4) == ".csv") return e.name;
  }
  return "";
}

Fer2013 load_images(const fs::path& path, Format format, const LoadOptions& options) {
  data::ImageArchive archive =
      format == Format::Zip ? data::open_zip(path) : data::open_folder(path);
  std::vector<data::LayoutEntry> layout = data::place_in_layout(archive);
  if (layout.empty()) {
    if (std::string csv = csv_inside(archive); !csv.empty())
      throw Error(data::printable(path.string()) + " holds " + data::printable(csv) +
                  ", a CSV, and no images under train/<class>/ or test/<class>/: " +
                  (archive.is_zip ? "extract it (unzip " + data::printable(path.string()) + " " +
                                        data::printable(csv) + ") and pass the CSV with --data"
                                  : "pass that CSV with --data (" +
                                        data::printable((path / csv).string()) + ")"));
    throw Error(path.string() + ": no images under train/<class>/ or test/<class>/ (classes " +
                "angry, disgust, fear, happy, sad, surprise, neutral)" + std::string(kFix));
  }
  if (options.limit > 0) {
    // Limit the training entries before decoding, so a quick run does not decode them all.
    std::vector<data::LayoutEntry> train, kept;
    for (data::LayoutEntry& e : layout)
      (e.split == data::Split::Train ? train : kept).push_back(std::move(e));
    for (size_t i : data::spread_pick(train.size(), options.limit))
      kept.push_back(std::move(train[i]));
    layout = std::move(kept);
  }
  return data::decode_layout(archive, layout, options);
}

void require_images(const Dataset& d, std::string_view split, const fs::path& path) {
  if (d.size() == 0)
    throw Error("no " + std::string(split) + " images found in " + path.string() +
                "; FER2013 needs Training, PublicTest and PrivateTest images");
}

void check_splits(const Fer2013& data, const fs::path& path, bool all_splits) {
  if (all_splits) require_images(data.train, "Training", path);
  if (all_splits) require_images(data.val, "PublicTest", path);
  require_images(data.test, all_splits ? "PrivateTest" : "labelled", path);
}

std::string summary(const Fer2013& d) {
  return std::to_string(d.train.size()) + " train, " + std::to_string(d.val.size()) + " val, " +
         std::to_string(d.test.size()) + " test images, " + std::to_string(d.skipped) + " skipped";
}

}  // namespace

Fer2013 load_fer2013(const std::filesystem::path& path, const LoadOptions& options) {
  Fer2013 data;
  bool all_splits = true;
  try {
    Format format = detect(path);
    if (format == Format::Csv) {
      data::CsvContents csv = data::parse_csv(path, read_file(path, SIZE_MAX));
      all_splits = csv.has_usage;
      data = std::move(csv.data);
      if (options.limit > 0)
        data.train = data::select(data.train, data::spread_pick(data.train.size(), options.limit));
    } else {
      data = load_images(path, format, options);
    }
  } catch (const fs::filesystem_error& e) {
    throw Error(path.string() + ": cannot list it (" + e.code().message() + ")" +
                std::string(kFix));
  }
  if (options.all_splits)
    check_splits(data, path, all_splits);
  else if (data.val.size() + data.test.size() == 0)
    throw Error("no PublicTest or PrivateTest images found in " + path.string() +
                std::string(kFix));
  for (const std::string& s : data.skipped_examples)
    log::warn("data", data::printable(path.string()) + ": skipped " + s);
  log::info("data", path.string() + ": " + summary(data));
  return data;
}

}  // namespace ferc
