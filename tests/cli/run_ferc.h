// Running the `ferc` binary from tests: exit status, standard output and standard error.
#pragma once

#include <filesystem>
#include <string>

namespace ferc::test {

/// What one run of `ferc` left behind.
struct CliResult {
  int status = -1;  // exit status; -1 when the process did not exit normally (a crash)
  std::string out, err;
};

/// Runs FERC_BIN_DIR/ferc with `args` (shell words, already quoted) in `cwd`.
CliResult run_ferc(const std::string& args, const std::filesystem::path& cwd);

/// `path` in single quotes for the shell.
std::string quoted(const std::filesystem::path& path);

/// The whole file as text.
std::string read_text(const std::filesystem::path& path);

}  // namespace ferc::test
