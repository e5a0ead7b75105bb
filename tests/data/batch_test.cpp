// make_batch: normalisation, labels, reproducible flips and shifts.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "ferc/data.h"
#include "ferc/preprocess.h"
#include "fixtures.h"

namespace ferc::test {
namespace {

constexpr size_t kPlane = 48 * 48;

// Three images with distinct patterns, labelled 4, 6, 2.
Dataset three_images() {
  Dataset d;
  for (int id : {1, 2, 3}) {
    std::vector<uint8_t> p = pattern(id);
    d.pixels.insert(d.pixels.end(), p.begin(), p.end());
    d.sources.push_back("image " + std::to_string(id));
  }
  d.labels = {4, 6, 2};
  return d;
}

// The image moved by (dy, dx), optionally mirrored, with edges replicated; then normalised.
std::vector<float> expected(const Dataset& d, uint32_t i, bool flip, int dy, int dx) {
  std::vector<uint8_t> moved(kPlane);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 48; ++x) {
      int sx = std::clamp((flip ? 47 - x : x) - dx, 0, 47), sy = std::clamp(y - dy, 0, 47);
      moved[static_cast<size_t>(y * 48 + x)] = d.image(i)[sy * 48 + sx];
    }
  std::vector<float> out(kPlane);
  normalize_image(Preprocessing{}, moved.data(), out.data());
  return out;
}

std::vector<float> slot(const std::vector<float>& images, size_t b) {
  return {images.begin() + static_cast<long>(b * kPlane),
          images.begin() + static_cast<long>((b + 1) * kPlane)};
}

}  // namespace

TEST_CASE("make_batch without augmentation normalises the images in index order") {
  Dataset d = three_images();
  std::vector<uint32_t> indices = {2, 0, 2};
  std::vector<float> images(indices.size() * kPlane);
  std::vector<int32_t> labels(indices.size());
  make_batch(d, indices, nullptr, 1, images.data(), labels.data());
  CHECK(labels == std::vector<int32_t>{2, 4, 2});
  CHECK(slot(images, 0) == expected(d, 2, false, 0, 0));
  CHECK(slot(images, 1) == expected(d, 0, false, 0, 0));
  CHECK(slot(images, 2) == slot(images, 0));
}

TEST_CASE("make_batch flips about half the images, reproducibly") {
  Dataset d = three_images();
  std::vector<uint32_t> indices(64, 1);
  std::vector<float> a(indices.size() * kPlane), b(a.size()), c(a.size());
  std::vector<int32_t> labels(indices.size());
  Augment flip_only{.flip = true, .shift = 0};
  make_batch(d, indices, &flip_only, 9, a.data(), labels.data());
  make_batch(d, indices, &flip_only, 9, b.data(), labels.data());
  make_batch(d, indices, &flip_only, 10, c.data(), labels.data());
  CHECK(a == b);
  CHECK(a != c);
  std::vector<float> plain = expected(d, 1, false, 0, 0), mirrored = expected(d, 1, true, 0, 0);
  int flipped = 0;
  for (size_t i = 0; i < indices.size(); ++i) {
    std::vector<float> got = slot(a, i);
    CHECK((got == plain || got == mirrored));
    flipped += got == mirrored;
  }
  CHECK(flipped > 16);
  CHECK(flipped < 48);
}

TEST_CASE("make_batch shifts stay within the range and replicate edges") {
  Dataset d = three_images();
  std::vector<uint32_t> indices(32, 0);
  std::vector<float> images(indices.size() * kPlane);
  std::vector<int32_t> labels(indices.size());
  Augment shift_only{.flip = false, .shift = 2};
  make_batch(d, indices, &shift_only, 3, images.data(), labels.data());
  std::vector<int> seen(25, 0);
  for (size_t i = 0; i < indices.size(); ++i) {
    std::vector<float> got = slot(images, i);
    int match = -1;
    for (int dy = -2; dy <= 2 && match < 0; ++dy)
      for (int dx = -2; dx <= 2 && match < 0; ++dx)
        if (got == expected(d, 0, false, dy, dx)) match = (dy + 2) * 5 + dx + 2;
    CHECK_MESSAGE(match >= 0, "image " << i << " is no shift of at most 2 pixels");
    if (match >= 0) ++seen[static_cast<size_t>(match)];
  }
  CHECK(std::count_if(seen.begin(), seen.end(), [](int n) { return n > 0; }) > 5);
}

}  // namespace ferc::test
