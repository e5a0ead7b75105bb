#include "grad_cases.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "compare.h"

namespace ferc::test {
namespace {

using Ints = std::vector<int64_t>;

// Values at least 0.1 away from zero, so relu's kink is never crossed by a perturbation.
void away_from_zero(Values& v) {
  for (float& x : v.inputs[0]) x = x < 0 ? x - 0.1f : x + 0.1f;
}

// Distinct values 0.05 apart in random order, so no max-pool window has a near tie.
void distinct(Values& v) {
  std::vector<float>& x = v.inputs[0];
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937_64(5));
  for (size_t i = 0; i < x.size(); ++i) x[order[i]] = 0.05f * float(i) - 1.f;
}

// Every field spelled out, so that no aggregate is left partly initialised.
NodeSpec spec(std::string op, std::vector<AttrArg> attrs, std::vector<Shape> inputs,
              int64_t max_batch) {
  NodeSpec s;
  s.op = std::move(op);
  s.attrs = std::move(attrs);
  s.inputs = std::move(inputs);
  s.max_batch = max_batch;
  s.training = true;
  return s;
}

GradCase grad_case(std::string label, NodeSpec node, int64_t n = 2,
                   void (*prepare)(Values&) = nullptr, std::vector<int> skip_params = {}) {
  GradCase c;
  c.label = std::move(label);
  c.spec = std::move(node);
  c.n = n;
  c.prepare = prepare;
  c.skip_params = std::move(skip_params);
  return c;
}

}  // namespace

std::vector<GradCase> gradient_cases() {
  Shape img{2, 5, 5};
  return {
      grad_case("conv 3x3x3 stride 1 pad 0", spec("conv", {{"filters", Ints{3, 3, 3}}}, {img}, 3)),
      grad_case(
          "conv 2x3x2 stride 2 pad 1",
          spec("conv", {{"filters", Ints{2, 3, 2}}, {"stride", int64_t{2}}, {"pad", int64_t{1}}},
               {img}, 3)),
      grad_case("conv 2x2x2 no bias",
                spec("conv", {{"filters", Ints{2, 2, 2}}, {"bias", int64_t{0}}}, {img}, 3)),
      grad_case("bn 2x3x3", spec("bn", {}, {Shape{2, 3, 3}}, 4), 3, nullptr, {2, 3}),
      grad_case("bn 4", spec("bn", {}, {Shape{4}}, 6), 5, nullptr, {2, 3}),
      grad_case("relu", spec("relu", {}, {img}, 3), 2, away_from_zero),
      grad_case("maxpool 2", spec("maxpool", {{"kernel", int64_t{2}}}, {img}, 3), 2, distinct),
      grad_case(
          "maxpool 3 stride 2 pad 1",
          spec("maxpool", {{"kernel", int64_t{3}}, {"stride", int64_t{2}}, {"pad", int64_t{1}}},
               {img}, 3),
          2, distinct),
      grad_case("avgpool 2", spec("avgpool", {{"kernel", int64_t{2}}}, {img}, 3)),
      grad_case(
          "avgpool 3 stride 2 pad 1",
          spec("avgpool", {{"kernel", int64_t{3}}, {"stride", int64_t{2}}, {"pad", int64_t{1}}},
               {img}, 3)),
      grad_case("gap", spec("gap", {}, {img}, 3)),
      grad_case("fc 4", spec("fc", {{"units", int64_t{4}}}, {Shape{2, 2, 3}}, 3)),
      grad_case("fc 3 no bias",
                spec("fc", {{"units", int64_t{3}}, {"bias", int64_t{0}}}, {Shape{5}}, 3)),
      grad_case("dropout 0.5", spec("dropout", {{"rate", 0.5}}, {Shape{3, 2, 2}}, 3)),
      grad_case("flatten", spec("flatten", {}, {Shape{2, 2, 3}}, 3)),
      grad_case("add of 3", spec("add", {}, {Shape{2, 3}, Shape{2, 3}, Shape{2, 3}}, 3)),
      grad_case("concat axis 0", spec("concat", {}, {Shape{1, 2, 3}, Shape{2, 2, 3}}, 3)),
      grad_case("concat axis 2",
                spec("concat", {{"axis", int64_t{2}}}, {Shape{2, 2, 1}, Shape{2, 2, 3}}, 3)),
      grad_case("softmax", spec("softmax", {}, {Shape{6}}, 3)),
  };
}

void run_gradient_case(const PluginLib& lib, const GradCase& c) {
  NodeRun node(lib, c.spec);
  Values v = node.random_values(c.n, 21);
  if (c.prepare) c.prepare(v);
  check_gradients(node, c.n, v, c.label, 7, {}, {}, c.skip_params);
}

void check_loss_gradient(const PluginLib& lib) {
  NodeRun node(lib, spec("softmax_cross_entropy", {}, {Shape{5}, Shape{}, Shape{}}, 4));
  Values v = node.random_values(3, 22);
  v.inputs[1] = {4, 0, 2};
  v.inputs[2] = {0.5f, 0.2f, 0.3f};
  auto loss = [&](Values x) {
    std::vector<float> p = node.forward(3, x, true);
    double s = 0;
    for (int b = 0; b < 3; ++b)
      s -= x.inputs[2][b] * std::log(double(p[b * 5 + int(x.inputs[1][b])]));
    return s;
  };
  Gradients g = node.backward(3, v, std::vector<float>(15, 0.f));
  std::vector<double> numeric(15);
  const float eps = 1e-2f;
  for (size_t i = 0; i < 15; ++i) {
    Values up = v, down = v;
    up.inputs[0][i] += eps;
    down.inputs[0][i] -= eps;
    numeric[i] = (loss(up) - loss(down)) / (2.0 * eps);
  }
  expect_close(g.inputs[0], numeric, "softmax_cross_entropy d_logits", 1e-3, 1e-2);
}

}  // namespace ferc::test
