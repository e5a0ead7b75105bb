// Small FER2013-shaped fixtures written to a temporary folder: images, zips, folders, CSVs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "ferc/data.h"

namespace ferc::test {

/// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A file for a fixture: its path inside the archive and its bytes.
using FileEntry = std::pair<std::string, std::vector<uint8_t>>;

/// A deterministic 48x48 grey image that differs for each `id` (row-major bytes).
std::vector<uint8_t> pattern(int id);

/// `pixels` (height x width grey bytes) encoded as PNG, which round-trips exactly.
std::vector<uint8_t> encode_png(const std::vector<uint8_t>& pixels, int height = 48,
                                int width = 48);

/// Writes `entries` into a new zip with libzip, deflated, or stored as they are with `store`.
void write_zip(const std::filesystem::path& zip, const std::vector<FileEntry>& entries,
               bool store = false);

/// Writes `entries` as files under `root`.
void write_tree(const std::filesystem::path& root, const std::vector<FileEntry>& entries);

/// Writes `text` to `file` byte for byte.
void write_text(const std::filesystem::path& file, const std::string& text);

/// The standard fixture: 6 train (one corrupt, one 96x96), 2 PublicTest, 2 PrivateTest entries
/// plus three files outside the layout, in scrambled order, each name prefixed by `root`.
std::vector<FileEntry> layout_fixture(const std::string& root = "");

/// Pixels of a CSV row: the 2304 values of pattern(id) separated by single spaces.
std::string csv_pixels(int id);

/// The message load_fer2013(path, options) throws, or "no error".
std::string load_error(const std::filesystem::path& path, const LoadOptions& options = {});

}  // namespace ferc::test
