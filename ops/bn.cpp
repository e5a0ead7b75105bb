// bn [eps E] [momentum M]: batch normalisation per channel (CxHxW) or per feature (F).
#include "builtin.h"

namespace ferc::ops {

OpSchema bn_schema() {
  OpSchema s;
  s.name = "bn";
  s.summary = "batch normalisation with learned scale and shift";
  s.attrs = {
      {"eps", AttrKind::Float, 1e-5, false, "added to the variance"},
      {"momentum", AttrKind::Float, 0.1, false, "weight of the newest batch in running stats"},
  };
  s.infer = [](const std::vector<Shape>& in, const Attrs& a) {
    if (in[0].rank() != 1 && in[0].rank() != 3)
      throw ShapeError("expected an input of rank 3 (CxHxW) or 1 (F), got " + to_string(in[0]));
    double m = a.get_float("momentum");
    if (!(m > 0 && m <= 1))
      throw ShapeError("momentum must be in (0, 1], got " + std::to_string(m));
    if (!(a.get_float("eps") > 0)) throw ShapeError("eps must be positive");
    int64_t c = in[0][0];
    Inferred r;
    r.output = in[0];
    r.params = {{"gamma", Shape{c}, Init::Ones, true, 0, 0},
                {"beta", Shape{c}, Init::Zeros, true, 0, 0},
                {"running_mean", Shape{c}, Init::Zeros, false, 0, 0},
                {"running_var", Shape{c}, Init::Ones, false, 0, 0}};
    r.macs = 2 * in[0].numel();
    return r;
  };
  return s;
}

}  // namespace ferc::ops
