// conv OxKxK [stride S] [pad P] [bias true|false]: 2-D convolution over CxHxW.
#include "builtin.h"

namespace ferc::ops {
namespace {

// Output extent of a sliding window; throws when the window does not fit.
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
  int64_t out_c = f[0], kh = f[1], kw = f.size() == 3 ? f[2] : f[1];
  int64_t stride = a.get_int("stride"), pad = a.get_int("pad");
  if (out_c <= 0 || kh <= 0 || kw <= 0)
    throw ShapeError("filters must be positive, got " + to_string(AttrValue(f)));
  if (stride <= 0) throw ShapeError("stride must be at least 1, got " + std::to_string(stride));
  if (pad < 0) throw ShapeError("pad must not be negative, got " + std::to_string(pad));
  int64_t c = in[0][0];
  int64_t oh = window_out(in[0][1], kh, stride, pad, "height", in[0]);
  int64_t ow = window_out(in[0][2], kw, stride, pad, "width", in[0]);

  Inferred r;
  r.output = Shape{out_c, oh, ow};
  int64_t fan_in = c * kh * kw;
  r.params.push_back(
      {"weight", Shape{out_c, c, kh, kw}, Init::HeNormal, true, fan_in, out_c * kh * kw});
  if (a.get_int("bias")) r.params.push_back({"bias", Shape{out_c}, Init::Zeros, true, 0, 0});
  r.macs = out_c * oh * ow * fan_in;
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
      {"pad", AttrKind::Int, int64_t{0}, false, "zero padding on each side"},
      {"bias", AttrKind::Int, int64_t{1}, false, "learn a per-channel bias (true|false)"},
  };
  s.infer = infer_conv;
  return s;
}

}  // namespace ferc::ops
