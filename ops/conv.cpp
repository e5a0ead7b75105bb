// conv OxKxK [stride S] [pad P] [bias true|false]: 2-D convolution over CxHxW.
#include <algorithm>

#include "builtin.h"

namespace ferc::ops {
namespace {

// Output extent of a sliding window; throws when the window does not fit. The attributes are
// bounded (extents up to kMaxExtent, pad below the kernel), so nothing here overflows.
int64_t window_out(int64_t in, int64_t k, int64_t stride, int64_t pad, const char* axis,
                   const Shape& input) {
  int64_t span = in + 2 * pad - k;
  if (span < 0)
    throw ShapeError(std::string("kernel ") + std::to_string(k) + " is larger than the padded " +
                     axis + " " + std::to_string(in + 2 * pad) + " of input " + to_string(input));
  return span / stride + 1;
}

Inferred infer_conv(const std::vector<Shape>& in, const Attrs& a) {
  require_rank(in[0], 3, "CxHxW");
  const auto& f = a.get_ints("filters");
  if (f.size() != 2 && f.size() != 3)
    throw ShapeError("filters must be OxK or OxKHxKW (e.g. 20x5x5), got " +
                     to_string(AttrValue(f)));
  for (int64_t d : f)
    if (d <= 0 || d > kMaxExtent)
      throw ShapeError("filters must be between 1 and " + std::to_string(kMaxExtent) +
                       " each, got " + to_string(AttrValue(f)));
  int64_t out_c = f[0], kh = f[1], kw = f.size() == 3 ? f[2] : f[1];
  int64_t stride = a.get_int("stride"), pad = a.get_int("pad");
  require_in("stride", stride, 1, kMaxExtent);
  int64_t k = std::max(kh, kw);
  require_in("pad", pad, 0, k - 1,
             " (less than the kernel size " + std::to_string(kh) + "x" + std::to_string(kw) + ")");
  int64_t c = in[0][0];
  int64_t oh = window_out(in[0][1], kh, stride, pad, "height", in[0]);
  int64_t ow = window_out(in[0][2], kw, stride, pad, "width", in[0]);

  Inferred r;
  r.output = Shape{out_c, oh, ow};
  int64_t fan_in = saturating_product({c, kh, kw});
  r.params.push_back({"weight", Shape{out_c, c, kh, kw}, Init::HeNormal, true, fan_in,
                      saturating_product({out_c, kh, kw})});
  if (a.get_int("bias")) r.params.push_back({"bias", Shape{out_c}, Init::Zeros, true, 0, 0});
  r.macs = saturating_product({out_c, oh, ow, fan_in});
  return r;
}

}  // namespace

OpSchema conv_schema() {
  OpSchema s;
  s.name = "conv";
  s.summary = "2-D convolution with learned filters";
  s.attrs = {
      {"filters", AttrKind::Ints, std::nullopt, true, "output channels x kernel height x width"},
      {"stride", AttrKind::Int, int64_t{1}, false, "step of the window"},
      {"pad", AttrKind::Int, int64_t{0}, false, "zero padding on each side, less than the kernel"},
      {"bias", AttrKind::Int, int64_t{1}, false, "learn a per-channel bias (true|false)"},
  };
  s.infer = infer_conv;
  return s;
}

}  // namespace ferc::ops
