// maxpool K / avgpool K [stride S] [pad P] over CxHxW, and gap (global average pooling).
#include "builtin.h"

namespace ferc::ops {
namespace {

Inferred infer_pool(const std::vector<Shape>& in, const Attrs& a) {
  require_rank(in[0], 3, "CxHxW");
  int64_t k = a.get_int("kernel");
  require_in("kernel", k, 1, kMaxExtent);
  int64_t stride = a.get_int("stride");
  require_in("stride", stride, 0, kMaxExtent, " (0: the kernel size)");
  if (stride == 0) stride = k;
  int64_t pad = a.get_int("pad");
  require_in("pad", pad, 0, k - 1, " (less than the kernel " + std::to_string(k) + ")");
  int64_t h = in[0][1] + 2 * pad, w = in[0][2] + 2 * pad;
  if (h < k || w < k)
    throw ShapeError("pooling window " + std::to_string(k) + "x" + std::to_string(k) +
                     " does not fit input " + to_string(in[0]));
  Inferred r;
  r.output = Shape{in[0][0], (h - k) / stride + 1, (w - k) / stride + 1};
  r.macs = saturating_product({r.output[0], r.output[1], r.output[2], k, k});
  return r;
}

OpSchema pool_schema(const char* name, const char* summary) {
  OpSchema s;
  s.name = name;
  s.summary = summary;
  s.attrs = {
      {"kernel", AttrKind::Int, std::nullopt, true, "window size"},
      {"stride", AttrKind::Int, int64_t{0}, false, "step of the window (default: kernel)"},
      {"pad", AttrKind::Int, int64_t{0}, false, "padding on each side"},
  };
  s.infer = infer_pool;
  return s;
}

}  // namespace

OpSchema maxpool_schema() {
  return pool_schema("maxpool", "maximum over each window");
}
OpSchema avgpool_schema() {
  return pool_schema("avgpool", "mean over each window (padding excluded from the count)");
}

OpSchema gap_schema() {
  OpSchema s;
  s.name = "gap";
  s.summary = "global average pooling: CxHxW to C";
  s.infer = [](const std::vector<Shape>& in, const Attrs&) {
    require_rank(in[0], 3, "CxHxW");
    Inferred r;
    r.output = Shape{in[0][0]};
    r.macs = in[0].numel();
    return r;
  };
  return s;
}

}  // namespace ferc::ops
