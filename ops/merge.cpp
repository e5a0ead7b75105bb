// Multi-input ops: add (elementwise sum) and concat (along an axis, 0 = channels).
#include "builtin.h"

namespace ferc::ops {

OpSchema add_schema() {
  OpSchema s;
  s.name = "add";
  s.summary = "elementwise sum of inputs of one shape";
  s.min_inputs = 2;
  s.max_inputs = -1;
  s.infer = [](const std::vector<Shape>& in, const Attrs&) {
    for (size_t i = 1; i < in.size(); ++i)
      if (in[i] != in[0])
        throw ShapeError("all inputs must have one shape; input 1 is " + to_string(in[0]) +
                         ", input " + std::to_string(i + 1) + " is " + to_string(in[i]));
    return Inferred{in[0], {}, in[0].numel() * static_cast<int64_t>(in.size() - 1)};
  };
  return s;
}

OpSchema concat_schema() {
  OpSchema s;
  s.name = "concat";
  s.summary = "joins inputs along an axis (0: channels)";
  s.min_inputs = 2;
  s.max_inputs = -1;
  s.attrs = {{"axis", AttrKind::Int, int64_t{0}, false, "axis of the per-sample shape"}};
  s.infer = [](const std::vector<Shape>& in, const Attrs& a) {
    int64_t axis = a.get_int("axis");
    if (axis < 0 || axis >= in[0].rank())
      throw ShapeError("axis must be in [0, " + std::to_string(in[0].rank()) + ") for input " +
                       to_string(in[0]) + ", got " + std::to_string(axis));
    Shape out = in[0];
    for (size_t i = 1; i < in.size(); ++i) {
      bool ok = in[i].rank() == in[0].rank();
      for (int d = 0; ok && d < in[0].rank(); ++d) ok = d == axis || in[i][d] == in[0][d];
      if (!ok)
        throw ShapeError("inputs must match except on axis " + std::to_string(axis) +
                         "; input 1 is " + to_string(in[0]) + ", input " + std::to_string(i + 1) +
                         " is " + to_string(in[i]));
      out.dims[axis] += in[i][axis];
    }
    return Inferred{out, {}, 0};
  };
  return s;
}

}  // namespace ferc::ops
