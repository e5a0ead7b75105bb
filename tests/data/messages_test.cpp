// What the loader says about damaged archives and files that are almost FER2013.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>

#include <opencv2/imgcodecs.hpp>

#include "ferc/data.h"
#include "ferc/error.h"
#include "ferc/log.h"
#include "fixtures.h"

namespace ferc::test {
namespace {

// Collects the library's warnings while alive; afterwards they go to stderr again.
class LogCapture {
 public:
  LogCapture() {
    log::set_sink([this](log::Level level, std::string_view, std::string_view message) {
      if (level >= log::Level::warn) warnings.emplace_back(message);
    });
  }
  ~LogCapture() {
    log::set_sink([](log::Level, std::string_view component, std::string_view message) {
      std::cerr << "ferc[" << component << "] " << message << "\n";
    });
  }
  size_t count(const std::string& needle) const {
    return static_cast<size_t>(std::count_if(warnings.begin(), warnings.end(), [&](auto& w) {
      return w.find(needle) != std::string::npos;
    }));
  }
  std::vector<std::string> warnings;
};

std::vector<uint8_t> encode_jpeg(const std::vector<uint8_t>& pixels) {
  cv::Mat image(48, 48, CV_8U, const_cast<uint8_t*>(pixels.data()));
  std::vector<uint8_t> bytes;
  REQUIRE(cv::imencode(".jpg", image, bytes));
  return bytes;
}

std::vector<uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

// The fixture with train/sad/Training_2 as a JPEG, stored uncompressed so its bytes can be hit.
std::vector<FileEntry> fixture_with_jpeg(std::vector<uint8_t>& jpeg) {
  auto entries = layout_fixture();
  jpeg = encode_jpeg(pattern(2));
  for (auto& e : entries)
    if (e.first == "train/sad/Training_2.png") e = {"train/sad/Training_2.jpg", jpeg};
  return entries;
}

}  // namespace

TEST_CASE("zip: an entry whose bytes fail the CRC check is skipped, named, or fatal when strict") {
  TempDir dir;
  std::vector<uint8_t> jpeg;
  auto zip = dir.path() / "fer.zip";
  auto entries = fixture_with_jpeg(jpeg);
  std::erase_if(entries, [](const FileEntry& e) { return e.first.ends_with("Training_9.jpg"); });
  write_zip(zip, entries, true);
  CHECK(load_fer2013(zip).skipped == 0);

  // Four bytes flipped inside the JPEG's data, as a damaged download would have them.
  std::vector<uint8_t> bytes = read_bytes(zip);
  auto at = std::search(bytes.begin(), bytes.end(), jpeg.begin(), jpeg.end());
  REQUIRE(at != bytes.end());
  for (size_t i = 0; i < 4; ++i) at[static_cast<long>(jpeg.size() / 2 + i)] ^= 0x5A;
  write_bytes(zip, bytes);

  const std::string crc =
      "train/sad/Training_2.jpg fails the zip's CRC check: its bytes are "
      "damaged; download the zip again or repair it (zip -F)";
  LogCapture log;
  Fer2013 data = load_fer2013(zip);
  CHECK(data.skipped == 1);
  CHECK(data.skipped_examples == std::vector<std::string>{crc});
  CHECK(data.train.size() == 4);
  CHECK(log.count(zip.string() + ": skipped " + crc) == 1);
  CHECK(load_error(zip, {.limit = 0, .strict = true}) ==
        zip.string() + ": " + crc +
            "; replace or remove it, or load without strict mode to skip it");
}

TEST_CASE("a damaged JPEG is skipped with libjpeg's reason instead of a line on stderr") {
  TempDir dir;
  std::vector<uint8_t> jpeg;
  auto entries = fixture_with_jpeg(jpeg);
  for (auto& e : entries)
    if (e.first == "train/sad/Training_2.jpg") e.second.resize(e.second.size() / 2);
  write_tree(dir.path() / "fer", entries);
  Fer2013 data = load_fer2013(dir.path() / "fer");
  CHECK(data.skipped == 2);
  CHECK(std::find(data.skipped_examples.begin(), data.skipped_examples.end(),
                  "train/sad/Training_2.jpg is a damaged JPEG (libjpeg: Premature end of JPEG "
                  "file)") != data.skipped_examples.end());
  // An intact JPEG decodes to the pixels OpenCV gives.
  write_tree(dir.path() / "fer", fixture_with_jpeg(jpeg));
  Fer2013 intact = load_fer2013(dir.path() / "fer");
  cv::Mat expected = cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE);
  auto it = std::find(intact.train.sources.begin(), intact.train.sources.end(),
                      "train/sad/Training_2.jpg");
  REQUIRE(it != intact.train.sources.end());
  const uint8_t* got = intact.train.image(static_cast<size_t>(it - intact.train.sources.begin()));
  CHECK(std::equal(got, got + 48 * 48, expected.data));
}

TEST_CASE("an unknown class folder is reported once, with the known classes") {
  TempDir dir;
  auto entries = layout_fixture();
  entries.push_back({"train/contempt/x.jpg", encode_png(pattern(20))});
  entries.push_back({"train/contempt/y.jpg", encode_png(pattern(21))});
  write_zip(dir.path() / "fer.zip", entries);
  LogCapture log;
  load_fer2013(dir.path() / "fer.zip");
  CHECK(log.count("not a FER2013 class") == 1);
  CHECK(log.count((dir.path() / "fer.zip").string() +
                  ": ignoring train/contempt/ (2 files), train/unknown/ (1 file): not a FER2013 "
                  "class; the classes are angry, disgust, fear, happy, sad, surprise, neutral "
                  "(rename the folder to one of them to use its images)") == 1);
}

TEST_CASE("files that are almost FER2013 say what to do") {
  TempDir dir;
  auto gz = dir.path() / "fer2013.tar.gz";
  write_bytes(gz, {0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03});
  CHECK(load_error(gz) == gz.string() + " is gzip-compressed (Kaggle's fer2013.tar.gz is): " +
                              "unpack it first (tar xzf " + gz.string() +
                              ") and pass the fer2013.csv it holds");

  auto tar = dir.path() / "fer2013.tar";
  std::vector<uint8_t> header(1024, 0);
  std::string name = "fer2013/fer2013.csv";
  std::copy(name.begin(), name.end(), header.begin());
  std::string magic = "ustar";
  std::copy(magic.begin(), magic.end(), header.begin() + 257);
  write_bytes(tar, header);
  CHECK(load_error(tar) == tar.string() + " is a tar archive: unpack it first (tar xf " +
                               tar.string() +
                               ") and pass the fer2013.csv or the train/ and test/ folder it "
                               "holds");

  auto utf16 = dir.path() / "fer2013.csv";
  std::vector<uint8_t> text = {0xFF, 0xFE};
  for (char c : std::string("emotion,pixels,Usage\r\n0,1 2 3,Training\r\n")) {
    text.push_back(static_cast<uint8_t>(c));
    text.push_back(0);
  }
  write_bytes(utf16, text);
  CHECK(load_error(utf16) == utf16.string() +
                                 " is UTF-16 text; ferc reads CSV in UTF-8 (or ASCII): save it "
                                 "as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 " +
                                 utf16.string() + " > fer2013-utf8.csv");
  text.erase(text.begin(), text.begin() + 2);  // no byte order mark
  write_bytes(utf16, text);
  CHECK(load_error(utf16).starts_with(utf16.string() + " is UTF-16 text;"));

  auto zip = dir.path() / "fer2013.zip";
  std::string csv = "emotion,pixels,Usage\n0," + csv_pixels(1) + ",Training\n";
  write_zip(zip, {{"fer2013/fer2013.csv", {csv.begin(), csv.end()}}});
  CHECK(load_error(zip) == zip.string() +
                               " holds fer2013/fer2013.csv, a CSV, and no images under "
                               "train/<class>/ or test/<class>/: extract it (unzip " +
                               zip.string() + " fer2013/fer2013.csv) and pass the CSV with --data");
}

TEST_CASE("control characters in file names are escaped in messages") {
  TempDir dir;
  auto entries = layout_fixture();
  std::string junk = "not an image";
  entries.push_back({"train/happy/bad\nname\x01.jpg", {junk.begin(), junk.end()}});
  write_tree(dir.path() / "fer", entries);
  LogCapture log;
  Fer2013 data = load_fer2013(dir.path() / "fer");
  CHECK(std::find(data.skipped_examples.begin(), data.skipped_examples.end(),
                  "train/happy/bad\\nname\\x01.jpg is not a decodable image") !=
        data.skipped_examples.end());
  CHECK(log.count("skipped train/happy/bad\\nname\\x01.jpg is not a decodable image") == 1);
  for (const std::string& w : log.warnings) CHECK(w.find('\n') == std::string::npos);
}

}  // namespace ferc::test
