#include "inputs.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "ferc/error.h"

namespace ferc::vision {
namespace {

constexpr std::array<std::string_view, 14> kImageExts = {".jpg", ".jpeg", ".jpe",  ".png", ".webp",
                                                         ".bmp", ".tif",  ".tiff", ".gif", ".pgm",
                                                         ".ppm", ".pbm",  ".pnm",  ".jp2"};
constexpr std::array<std::string_view, 9> kVideoExts = {".mp4",  ".m4v", ".mov",  ".avi", ".mkv",
                                                        ".webm", ".mpg", ".mpeg", ".wmv"};

std::string lower_ext(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, const std::string& ext) {
  return std::find(list.begin(), list.end(), ext) != list.end();
}

std::vector<std::string> folder_media(const std::filesystem::path& dir) {
  std::vector<std::string> found;
  auto options = std::filesystem::directory_options::skip_permission_denied;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, options)) {
    std::error_code ec;
    if (entry.is_regular_file(ec) && has_media_extension(entry.path()))
      found.push_back(entry.path().string());
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

bool has_media_extension(const std::filesystem::path& path) {
  std::string ext = lower_ext(path);
  return contains(kImageExts, ext) || contains(kVideoExts, ext);
}

bool has_video_extension(const std::filesystem::path& path) {
  return contains(kVideoExts, lower_ext(path));
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (!camera_index(input) && std::filesystem::is_directory(input, ec)) {
      std::vector<std::string> media = folder_media(input);
      out.insert(out.end(), media.begin(), media.end());
    } else {
      out.push_back(input);
    }
  }
  return out;
}

std::optional<int> camera_index(const std::string& input) {
  constexpr std::string_view kPrefix = "camera:";
  if (input.rfind(kPrefix, 0) != 0) return std::nullopt;
  std::string digits = input.substr(kPrefix.size());
  bool ok =
      !digits.empty() && digits.size() < 4 &&
      std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); });
  if (!ok)
    throw Error("bad camera input '" + input +
                "': write camera:N with N the device number, e.g. camera:0");
  return std::stoi(digits);
}

std::filesystem::path OutputNames::next(const std::string& source, const std::string& ext) {
  std::string stem = std::filesystem::path(source).stem().string();
  if (stem.empty()) stem = "input";
  std::replace(stem.begin(), stem.end(), ':', '_');
  std::string name = stem + ".annotated" + ext;
  for (int n = 2; used_.count(name); ++n)
    name = stem + "-" + std::to_string(n) + ".annotated" + ext;
  used_.insert(name);
  return dir_ / name;
}

}  // namespace ferc::vision
