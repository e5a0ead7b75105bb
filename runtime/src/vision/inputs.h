// Turning the command line's inputs into a list of things to process.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ferc::vision {

/// Files given directly, then each folder's media files (recursive, sorted by path). Paths that do
/// not exist and "camera:N" are kept as given, so they produce their own record or error.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs);

/// Whether a file name's extension is one of the image or video types searched for in folders.
bool has_media_extension(const std::filesystem::path& path);

/// Whether the extension names a video container.
bool has_video_extension(const std::filesystem::path& path);

/// N for "camera:N"; nullopt for anything else. Throws ferc::Error for "camera:" with a bad N.
std::optional<int> camera_index(const std::string& input);

/// Picks unique names for annotated copies in the output folder.
class OutputNames {
 public:
  explicit OutputNames(std::filesystem::path dir) : dir_(std::move(dir)) {}
  /// dir/<stem>.annotated<ext>, with -2, -3 ... added when a name is taken.
  std::filesystem::path next(const std::string& source, const std::string& ext);

 private:
  std::filesystem::path dir_;
  std::set<std::string> used_;
};

}  // namespace ferc::vision
