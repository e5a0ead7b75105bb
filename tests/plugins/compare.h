// Closeness checks that report the worst element, for golden-value and gradient tests.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "harness.h"

namespace ferc::test {

/// The CPU plugin built beside the tests.
inline const PluginLib& cpu_plugin() {
  static const PluginLib lib(FERC_BIN_DIR "/libferc_plugin_cpu.so");
  return lib;
}

/// Largest |got - want| / (atol + rtol * |want|) and where it occurs.
struct Mismatch {
  double ratio = 0;
  size_t index = 0;
  double got = 0, want = 0;
};

template <class G, class W>
Mismatch worst(const std::vector<G>& got, const std::vector<W>& want, double atol, double rtol) {
  Mismatch m;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i) {
    double g = got[i], w = want[i];
    double r = std::abs(g - w) / (atol + rtol * std::abs(w));
    if (!(r <= m.ratio)) m = {std::isnan(r) ? INFINITY : r, i, g, w};
  }
  return m;
}

/// Checks every element within atol + rtol * |want|; the message names `what` and the index.
template <class G, class W>
void expect_close(const std::vector<G>& got, const std::vector<W>& want, const std::string& what,
                  double atol = 1e-5, double rtol = 1e-4) {
  REQUIRE_MESSAGE(got.size() == want.size(),
                  what << ": size " << got.size() << " vs " << want.size());
  Mismatch m = worst(got, want, atol, rtol);
  CHECK_MESSAGE(m.ratio <= 1.0, what << ": worst at index " << m.index << ": got " << m.got
                                     << ", want " << m.want << " (atol " << atol << ", rtol "
                                     << rtol << ")");
}

}  // namespace ferc::test
