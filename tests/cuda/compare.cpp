#include "compare.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>

namespace ferc::test {

void check_close(const std::string& what, const std::vector<float>& ref,
                 const std::vector<float>& got, double rel) {
  REQUIRE_MESSAGE(ref.size() == got.size(), what, ": ", ref.size(), " reference values, ",
                  got.size(), " device values");
  double scale = 1.0, worst = -1.0;
  size_t at = 0;
  for (float r : ref) scale = std::fmax(scale, std::fabs(r));
  for (size_t i = 0; i < ref.size(); ++i) {
    double d = std::fabs(double(got[i]) - double(ref[i]));
    if (std::isnan(got[i]) != std::isnan(ref[i])) d = INFINITY;
    if (d > worst) worst = d, at = i;
  }
  double limit = rel * scale;
  CHECK_MESSAGE(worst <= limit, what, ": worst mismatch at index ", at, ": cpu ",
                ref.empty() ? 0.f : ref[at], ", cuda ", got.empty() ? 0.f : got[at], " (|diff| ",
                worst, " > ", limit, ")");
}

}  // namespace ferc::test
