// Shape-preserving ops: input, relu, dropout, flatten, softmax.
#include "builtin.h"

namespace ferc::ops {

OpSchema input_schema() {
  OpSchema s;
  s.name = "input";
  s.summary = "the graph input, one sample's shape (e.g. 1x48x48)";
  s.min_inputs = s.max_inputs = 0;
  s.attrs = {{"shape", AttrKind::Ints, std::nullopt, true, "per-sample shape, e.g. 1x48x48"}};
  s.infer = [](const std::vector<Shape>&, const Attrs& a) {
    Inferred r;
    r.output = Shape(a.get_ints("shape"));
    for (int64_t d : r.output.dims)
      if (d <= 0) throw ShapeError("input dims must be positive, got " + to_string(r.output));
    if (r.output.rank() != 1 && r.output.rank() != 3)
      throw ShapeError("input must be CxHxW or F, got " + to_string(r.output));
    return r;
  };
  return s;
}

OpSchema relu_schema() {
  OpSchema s;
  s.name = "relu";
  s.summary = "max(x, 0)";
  s.infer = [](const std::vector<Shape>& in, const Attrs&) { return Inferred{in[0], {}, 0}; };
  return s;
}

OpSchema dropout_schema() {
  OpSchema s;
  s.name = "dropout";
  s.summary = "zeroes a fraction of activations in training, scaling the rest";
  s.attrs = {{"rate", AttrKind::Float, 0.5, true, "fraction dropped, in [0, 1)"}};
  s.infer = [](const std::vector<Shape>& in, const Attrs& a) {
    double p = a.get_float("rate");
    if (!(p >= 0 && p < 1)) throw ShapeError("rate must be in [0, 1), got " + std::to_string(p));
    return Inferred{in[0], {}, 0};
  };
  return s;
}

OpSchema flatten_schema() {
  OpSchema s;
  s.name = "flatten";
  s.summary = "CxHxW to C*H*W";
  s.infer = [](const std::vector<Shape>& in, const Attrs&) {
    return Inferred{Shape{in[0].numel()}, {}, 0};
  };
  return s;
}

OpSchema softmax_schema() {
  OpSchema s;
  s.name = "softmax";
  s.summary = "class probabilities; in training, fused with the cross-entropy loss";
  s.infer = [](const std::vector<Shape>& in, const Attrs&) {
    if (in[0].rank() != 1)
      throw ShapeError("expected a feature vector (rank 1), got " + to_string(in[0]) +
                       "; put fc or gap before softmax");
    return Inferred{in[0], {}, 3 * in[0].numel()};
  };
  return s;
}

}  // namespace ferc::ops
