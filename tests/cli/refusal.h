// Checks shared by the command-line tests.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "run_ferc.h"

namespace ferc::test {

/// Number of newline-terminated lines in `s`.
inline size_t lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

/// A refusal: status 1, nothing on stdout, one "ferc: error:" line on stderr holding `needle`.
inline void check_refusal(const CliResult& r, const std::string& needle) {
  CAPTURE(r.err);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("ferc: error: "));
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find(needle) != std::string::npos);
}

}  // namespace ferc::test
