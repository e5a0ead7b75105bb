// Helpers shared by the model-language tests.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "ferc/dsl.h"

namespace ferc::test {

/// Parses `text` as "m.net" with the built-in ops.
inline Graph parse(const std::string& text) {
  return parse_model(text, "m.net", ops::builtin_registry());
}

/// The SourceError that parsing `text` throws; fails the test when it parses.
inline SourceError parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const SourceError& e) {
    return e;
  }
  FAIL("parsed without error: " << text);
  return SourceError({}, "");
}

/// Shapes of all nodes, "|"-joined.
inline std::string shapes(const Graph& g) {
  std::string out;
  for (const Node& n : g.nodes) out += (out.empty() ? "" : "|") + to_string(n.shape);
  return out;
}

}  // namespace ferc::test
