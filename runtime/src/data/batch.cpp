// Batch assembly: optional flip and shift, then the shared normalisation, into NCHW floats.
#include <algorithm>
#include <vector>

#include "ferc/data.h"
#include "ferc/error.h"
#include "ferc/preprocess.h"
#include "rng.h"

namespace ferc {
namespace {

// One image's random transform.
struct Transform {
  bool flip = false;
  int dy = 0, dx = 0;  // content moves down / right by this much
};

Transform draw_transform(const Augment& a, uint64_t seed, size_t position) {
  std::mt19937_64 rng = data::make_rng(seed, position);
  Transform t;
  t.flip = a.flip && (rng() >> 63) != 0;
  if (a.shift > 0) {
    auto span = static_cast<uint64_t>(2 * a.shift + 1);
    t.dy = static_cast<int>(data::draw_below(rng, span)) - a.shift;
    t.dx = static_cast<int>(data::draw_below(rng, span)) - a.shift;
  }
  return t;
}

// out(y, x) = in(y - dy, x' - dx) with x' mirrored when flipping; the border is replicated.
void apply(const Transform& t, const uint8_t* in, int h, int w, uint8_t* out) {
  for (int y = 0; y < h; ++y) {
    int sy = std::clamp(y - t.dy, 0, h - 1);
    for (int x = 0; x < w; ++x) {
      int sx = std::clamp((t.flip ? w - 1 - x : x) - t.dx, 0, w - 1);
      out[y * w + x] = in[sy * w + sx];
    }
  }
}

}  // namespace

void make_batch(const Dataset& data, std::span<const uint32_t> indices, const Augment* augment,
                uint64_t seed, float* images, int32_t* labels) {
  Preprocessing p;
  p.height = data.height;
  p.width = data.width;
  size_t plane = static_cast<size_t>(data.height) * static_cast<size_t>(data.width);
  std::vector<uint8_t> moved(augment ? plane : 0);
  for (size_t b = 0; b < indices.size(); ++b) {
    uint32_t i = indices[b];
    FERC_ASSERT(i < data.size(), "batch index " + std::to_string(i) + " beyond dataset of " +
                                     std::to_string(data.size()));
    const uint8_t* image = data.image(i);
    if (augment) {
      apply(draw_transform(*augment, seed, b), image, data.height, data.width, moved.data());
      image = moved.data();
    }
    normalize_image(p, image, images + b * plane);
    labels[b] = data.labels[i];
  }
}

}  // namespace ferc
