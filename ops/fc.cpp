// fc N [bias true|false]: fully connected layer; inputs of any rank are flattened first.
#include "builtin.h"

namespace ferc::ops {

OpSchema fc_schema() {
  OpSchema s;
  s.name = "fc";
  s.summary = "fully connected layer (flattens its input)";
  s.attrs = {
      {"units", AttrKind::Int, std::nullopt, true, "number of outputs"},
      {"bias", AttrKind::Int, int64_t{1}, false, "learn a bias (true|false)"},
  };
  s.infer = [](const std::vector<Shape>& in, const Attrs& a) {
    int64_t units = a.get_int("units");
    require_in("units", units, 1, kMaxExtent);
    int64_t features = in[0].numel();
    Inferred r;
    r.output = Shape{units};
    r.params.push_back({"weight", Shape{units, features}, Init::HeNormal, true, features, units});
    if (a.get_int("bias")) r.params.push_back({"bias", Shape{units}, Init::Zeros, true, 0, 0});
    r.macs = saturating_product({units, features});
    return r;
  };
  return s;
}

}  // namespace ferc::ops
