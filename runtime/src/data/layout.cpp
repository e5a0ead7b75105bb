// The FER2013 image-folder layout: train/<class>/*, test/<class>/PublicTest_* and PrivateTest_*.
#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include "ferc/classes.h"
#include "ferc/log.h"
#include "readers.h"

namespace ferc::data {
namespace {

bool starts_with_split(std::string_view name) {
  return name.starts_with("train/") || name.starts_with("test/");
}

// The folder enclosing train/ and test/: "" when they are at the top, "top/" when the archive
// wraps them in one folder (as zips made by compressing a folder do).
std::string layout_root(const ImageArchive& archive) {
  for (const ArchiveEntry& e : archive.entries)
    if (starts_with_split(e.name)) return "";
  for (const ArchiveEntry& e : archive.entries) {
    size_t slash = e.name.find('/');
    if (slash == std::string::npos) continue;
    if (starts_with_split(std::string_view(e.name).substr(slash + 1)))
      return e.name.substr(0, slash + 1);
  }
  return "";
}

// The split of "<split>/<class>/<file>", or nothing when the path is outside the layout.
std::optional<Split> split_of(std::string_view split, std::string_view file) {
  if (split == "train") return Split::Train;
  if (split != "test") return std::nullopt;
  if (file.starts_with("PublicTest_")) return Split::Val;
  if (file.starts_with("PrivateTest_")) return Split::Test;
  return std::nullopt;
}

// The class folder of "<split>/<class>/<file>" when split is train or test and the class is
// not one of FER2013's: "train/contempt/"; else "".
std::string unknown_class_folder(std::string_view rel) {
  size_t a = rel.find('/');
  if (a == std::string_view::npos) return "";
  size_t b = rel.find('/', a + 1);
  if (b == std::string_view::npos || rel.find('/', b + 1) != std::string_view::npos) return "";
  std::string_view split = rel.substr(0, a), name = rel.substr(a + 1, b - a - 1);
  if ((split != "train" && split != "test") || name.empty() || class_index(name) >= 0) return "";
  return std::string(rel.substr(0, b + 1));
}

// Places one path relative to the layout root, or nothing.
std::optional<LayoutEntry> place(std::string_view rel) {
  size_t a = rel.find('/');
  if (a == std::string_view::npos) return std::nullopt;
  size_t b = rel.find('/', a + 1);
  if (b == std::string_view::npos || rel.find('/', b + 1) != std::string_view::npos)
    return std::nullopt;
  std::string_view file = rel.substr(b + 1);
  std::optional<Split> split = split_of(rel.substr(0, a), file);
  int label = class_index(rel.substr(a + 1, b - a - 1));
  if (!split || label < 0 || file.empty() || file.front() == '.') return std::nullopt;
  return LayoutEntry{*split, label, std::string(rel), 0};
}

std::string known_classes() {
  std::string names;
  for (std::string_view c : kClassNames) names += (names.empty() ? "" : ", ") + std::string(c);
  return names;
}

}  // namespace

std::vector<LayoutEntry> place_in_layout(const ImageArchive& archive) {
  std::string root = layout_root(archive);
  std::vector<LayoutEntry> placed;
  placed.reserve(archive.entries.size());
  std::map<std::string, size_t> unknown;  // class folder -> files ignored in it
  for (size_t i = 0; i < archive.entries.size(); ++i) {
    std::string_view name = archive.entries[i].name;
    std::optional<LayoutEntry> entry;
    if (name.starts_with(root)) entry = place(name.substr(root.size()));
    if (!entry) {
      if (name.starts_with(root))
        if (std::string folder = unknown_class_folder(name.substr(root.size())); !folder.empty())
          unknown[root + folder] += 1;
      log::debug("data", printable(archive.path.string()) + ": ignoring " + printable(name) +
                             ", which is outside train|test/<class>/<image>");
      continue;
    }
    entry->entry = i;
    placed.push_back(std::move(*entry));
  }
  if (!unknown.empty()) {
    std::string folders;
    for (const auto& [folder, count] : unknown)
      folders += (folders.empty() ? "" : ", ") + printable(folder) + " (" + std::to_string(count) +
                 (count == 1 ? " file)" : " files)");
    log::warn("data", printable(archive.path.string()) + ": ignoring " + folders +
                          ": not a FER2013 class; the classes are " + known_classes() +
                          " (rename the folder to one of them to use its images)");
  }
  std::sort(placed.begin(), placed.end(),
            [](const LayoutEntry& x, const LayoutEntry& y) { return x.source < y.source; });
  return placed;
}

}  // namespace ferc::data
