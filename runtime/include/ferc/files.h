// Checks on paths the user names before they are opened.
#pragma once

#include <filesystem>
#include <string>

namespace ferc {

/// Throws Error "<what> <path>: <reason>; <fix>" unless path names a regular file (or a link to
/// one). Opening a pipe or a device would block or read garbage, and a folder reads as empty.
void require_regular_file(const std::filesystem::path& path, const std::string& what,
                          const std::string& fix);

}  // namespace ferc
