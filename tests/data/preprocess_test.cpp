// normalize_image, the normalisation shared by training and prediction.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "ferc/error.h"
#include "ferc/preprocess.h"
#include "fixtures.h"

namespace ferc::test {

TEST_CASE("per_image normalisation gives mean 0 and standard deviation 1") {
  std::vector<uint8_t> pixels = pattern(3);
  std::vector<float> out(pixels.size());
  normalize_image(Preprocessing{}, pixels.data(), out.data());
  double sum = 0, sum_sq = 0;
  for (float v : out) sum += v;
  for (float v : out) sum_sq += double{v} * v;
  double n = static_cast<double>(out.size());
  CHECK(sum / n == doctest::Approx(0.0).epsilon(1e-5));
  CHECK(std::sqrt(sum_sq / n - (sum / n) * (sum / n)) == doctest::Approx(1.0).epsilon(1e-5));
  // Order is kept: brighter pixels stay brighter.
  CHECK((out[1] - out[0]) * (static_cast<int>(pixels[1]) - pixels[0]) > 0);
}

TEST_CASE("a flat image becomes zeros, not infinities") {
  std::vector<uint8_t> flat(48 * 48, 200);
  std::vector<float> out(flat.size(), 1.0f);
  normalize_image(Preprocessing{}, flat.data(), out.data());
  for (float v : out) REQUIRE(v == 0.0f);
}

TEST_CASE("an almost flat image is not stretched beyond one grey level") {
  std::vector<uint8_t> pixels(48 * 48, 100);
  pixels[0] = 101;  // standard deviation about 0.02 grey levels
  std::vector<float> out(pixels.size());
  normalize_image(Preprocessing{}, pixels.data(), out.data());
  CHECK(out[0] == doctest::Approx(1.0 - 1.0 / 2304).epsilon(1e-5));
}

TEST_CASE("an unknown normalisation is refused by name") {
  Preprocessing p;
  p.normalize = "minmax";
  std::vector<uint8_t> pixels(48 * 48);
  std::vector<float> out(pixels.size());
  CHECK_THROWS_WITH_AS(normalize_image(p, pixels.data(), out.data()),
                       "preprocessing: unknown normalize 'minmax'; the only method is per_image",
                       Error);
}

}  // namespace ferc::test
