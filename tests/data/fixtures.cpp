#include "fixtures.h"

#include <unistd.h>
#include <zip.h>

#include <atomic>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>

#include "ferc/error.h"

namespace ferc::test {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("ferc_data_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<uint8_t> pattern(int id) {
  std::vector<uint8_t> pixels(48 * 48);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 48; ++x)
      pixels[static_cast<size_t>(y * 48 + x)] =
          static_cast<uint8_t>((x * 5 + y * 3 + id * 37) % 256);
  return pixels;
}

std::vector<uint8_t> encode_png(const std::vector<uint8_t>& pixels, int height, int width) {
  cv::Mat image(height, width, CV_8U, const_cast<uint8_t*>(pixels.data()));
  std::vector<uint8_t> bytes;
  if (!cv::imencode(".png", image, bytes)) throw std::runtime_error("PNG encoding failed");
  return bytes;
}

void write_zip(const std::filesystem::path& zip, const std::vector<FileEntry>& entries,
               bool store) {
  int code = 0;
  zip_t* z = zip_open(zip.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (z == nullptr) throw std::runtime_error("cannot create " + zip.string());
  for (const auto& [name, bytes] : entries) {
    // libzip reads the buffer at zip_close, while `entries` is still alive.
    zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
    zip_int64_t index = src ? zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE) : -1;
    if (index < 0) {
      if (src) zip_source_free(src);
      zip_discard(z);
      throw std::runtime_error("cannot add " + name + " to " + zip.string());
    }
    if (store &&
        zip_set_file_compression(z, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0) {
      zip_discard(z);
      throw std::runtime_error("cannot store " + name + " uncompressed in " + zip.string());
    }
  }
  if (zip_close(z) != 0) throw std::runtime_error("cannot write " + zip.string());
}

void write_tree(const std::filesystem::path& root, const std::vector<FileEntry>& entries) {
  for (const auto& [name, bytes] : entries) {
    std::filesystem::path file = root / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

std::vector<FileEntry> layout_fixture(const std::string& root) {
  std::string junk = "this is not an image";
  std::vector<uint8_t> big(96 * 96, 77);
  std::vector<FileEntry> entries = {
      {"train/sad/Training_2.png", encode_png(pattern(2))},
      {"test/surprise/PrivateTest_7.png", encode_png(pattern(7))},
      {"train/sad/Training_1.png", encode_png(pattern(1))},
      {"notes/readme.txt", {junk.begin(), junk.end()}},
      {"train/neutral/Training_3.png", encode_png(pattern(3))},
      {"test/happy/PublicTest_5.png", encode_png(pattern(5))},
      {"train/happy/Training_9.jpg", {junk.begin(), junk.end()}},
      {"train/angry/Training_4.png", encode_png(pattern(4))},
      {"train/unknown/Training_11.png", encode_png(pattern(11))},
      {"test/fear/PrivateTest_8.png", encode_png(pattern(8))},
      {"test/happy/Other_12.png", encode_png(pattern(12))},
      {"train/fear/Training_10.png", encode_png(big, 96, 96)},
      {"test/disgust/PublicTest_6.png", encode_png(pattern(6))},
  };
  for (auto& e : entries) e.first = root + e.first;
  return entries;
}

std::string csv_pixels(int id) {
  std::string out;
  for (uint8_t p : pattern(id)) {
    if (!out.empty()) out += ' ';
    out += std::to_string(p);
  }
  return out;
}

std::string load_error(const std::filesystem::path& path, const LoadOptions& options) {
  try {
    load_fer2013(path, options);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace ferc::test
