#include "run_ferc.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ferc::test {

std::string quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CliResult run_ferc(const std::string& args, const std::filesystem::path& cwd) {
  const auto out = cwd / ".ferc-stdout", err = cwd / ".ferc-stderr";
  std::string cmd = "cd " + quoted(cwd) + " && " +
                    quoted(std::filesystem::path(FERC_BIN_DIR) / "ferc") + " " + args + " >" +
                    quoted(out) + " 2>" + quoted(err) + " </dev/null";
  int raw = std::system(cmd.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

}  // namespace ferc::test
