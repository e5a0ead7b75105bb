// Golden values: every CPU kernel's forward against the naive references.
#include <algorithm>
#include <cmath>
#include <set>

#include "compare.h"
#include "reference.h"

namespace ferc::test {
namespace {

using Ints = std::vector<int64_t>;

struct ConvCase {
  Ints filters;
  int64_t stride, pad, bias;
};

TEST_CASE("conv forward matches the reference across stride, pad and bias") {
  for (ConvCase c : {ConvCase{{3, 3, 3}, 1, 0, 1}, ConvCase{{4, 3, 2}, 2, 1, 1},
                     ConvCase{{2, 5, 5}, 3, 2, 0}, ConvCase{{5, 1, 1}, 1, 0, 1}}) {
    std::string what = "conv " + std::to_string(c.filters[0]) + "x" + std::to_string(c.filters[1]) +
                       "x" + std::to_string(c.filters[2]) + " stride " + std::to_string(c.stride) +
                       " pad " + std::to_string(c.pad) + " bias " + std::to_string(c.bias);
    CAPTURE(what);
    NodeRun node(cpu_plugin(),
                 {"conv",
                  {{"filters", c.filters}, {"stride", c.stride}, {"pad", c.pad}, {"bias", c.bias}},
                  {Shape{2, 7, 6}},
                  4});
    for (int64_t n : {4, 3, 1}) {  // the full batch, then smaller ones on the same node
      Values v = node.random_values(n, 10 + n);
      std::vector<float> y = node.forward(n, v, true);
      auto want =
          ref::conv(v.inputs[0], {n, 2, 7, 6}, v.params[0], c.bias ? v.params[1] : ref::FVec{},
                    c.filters[0], c.filters[1], c.filters[2], c.stride, c.pad);
      expect_close(y, want, what + " batch " + std::to_string(n));
    }
  }
}

TEST_CASE("bn in training normalises with batch statistics and updates running stats") {
  for (Shape s : {Shape{3, 4, 5}, Shape{6}}) {
    CAPTURE(to_string(s));
    NodeRun node(cpu_plugin(), {"bn", {{"momentum", 0.25}}, {s}, 8});
    int64_t n = 5, c = s[0], pos = s.numel() / c;
    Values v = node.random_values(n, 3);
    ref::FVec rm = v.params[2];
    for (float& x : v.params[3]) x = std::abs(x) + 0.5f;  // variances are positive
    ref::FVec rv = v.params[3];
    std::vector<float> y = node.forward(n, v, true);
    ref::Vec mean, var;
    expect_close(y,
                 ref::bn_train(v.inputs[0], n, c, pos, v.params[0], v.params[1], 1e-5, mean, var),
                 "bn train " + to_string(s));
    ref::Vec want_rm(c), want_rv(c);
    double m = double(n * pos);
    for (int64_t ch = 0; ch < c; ++ch) {
      want_rm[ch] = 0.75 * rm[ch] + 0.25 * mean[ch];
      want_rv[ch] = 0.75 * rv[ch] + 0.25 * var[ch] * m / (m - 1);  // unbiased
    }
    expect_close(v.params[2], want_rm, "running_mean");
    expect_close(v.params[3], want_rv, "running_var");
  }
}

TEST_CASE("bn in inference uses the running statistics and leaves them alone") {
  NodeRun node(cpu_plugin(), {"bn", {{"eps", 1e-3}}, {Shape{3, 2, 2}}, 4});
  Values v = node.random_values(3, 4);
  for (float& x : v.params[3]) x = std::abs(x) + 0.1f;
  Values before = v;
  std::vector<float> y = node.forward(3, v, false);
  expect_close(
      y,
      ref::bn_infer(v.inputs[0], 3, 3, 4, v.params[0], v.params[1], v.params[2], v.params[3], 1e-3),
      "bn inference");
  CHECK(v.params[2] == before.params[2]);
  CHECK(v.params[3] == before.params[3]);
}

TEST_CASE("relu zeroes negatives") {
  NodeRun node(cpu_plugin(), {"relu", {}, {Shape{2, 3, 3}}, 4});
  Values v = node.random_values(3, 5);
  ref::Vec want;
  for (float x : v.inputs[0]) want.push_back(x > 0 ? x : 0);
  expect_close(node.forward(3, v, true), want, "relu");
}

struct PoolCase {
  int64_t k, stride, pad;
};

TEST_CASE("maxpool and avgpool match the reference, avgpool excluding padding") {
  for (PoolCase c : {PoolCase{2, 0, 0}, PoolCase{3, 2, 1}, PoolCase{3, 1, 1}, PoolCase{2, 3, 0}}) {
    for (const char* op : {"maxpool", "avgpool"}) {
      std::string what = std::string(op) + " kernel " + std::to_string(c.k) + " stride " +
                         std::to_string(c.stride) + " pad " + std::to_string(c.pad);
      NodeRun node(
          cpu_plugin(),
          {op, {{"kernel", c.k}, {"stride", c.stride}, {"pad", c.pad}}, {Shape{2, 7, 6}}, 4});
      Values v = node.random_values(3, 6);
      ref::Window win{c.k, c.stride ? c.stride : c.k, c.pad};
      ref::Image img{3, 2, 7, 6};
      auto want = std::string(op) == "maxpool" ? ref::maxpool(v.inputs[0], img, win)
                                               : ref::avgpool(v.inputs[0], img, win);
      expect_close(node.forward(3, v, true), want, what);
    }
  }
}

TEST_CASE("avgpool corner with pad 1 averages only the four real pixels") {
  NodeRun node(cpu_plugin(), {"avgpool",
                              {{"kernel", int64_t{3}}, {"stride", int64_t{1}}, {"pad", int64_t{1}}},
                              {Shape{1, 3, 3}},
                              1});
  Values v{{{1, 2, 3, 4, 5, 6, 7, 8, 9}}, {}};
  std::vector<float> y = node.forward(1, v, false);
  CHECK(y[0] == doctest::Approx((1 + 2 + 4 + 5) / 4.0));
  CHECK(y[4] == doctest::Approx(5.0));
  CHECK(y[8] == doctest::Approx((5 + 6 + 8 + 9) / 4.0));
}

TEST_CASE("maxpool with ties outputs the tied value and routes the gradient to the first") {
  NodeRun node(cpu_plugin(), {"maxpool", {{"kernel", int64_t{2}}}, {Shape{1, 2, 4}}, 1});
  Values v{{{7, 7, 1, 3, 7, 7, 3, 3}}, {}};
  Gradients g = node.backward(1, v, {10, 20});
  CHECK(g.output == std::vector<float>{7, 3});
  CHECK(g.inputs[0] == std::vector<float>{10, 0, 0, 20, 0, 0, 0, 0});
}

TEST_CASE("gap, fc and flatten match the reference") {
  NodeRun gap(cpu_plugin(), {"gap", {}, {Shape{3, 2, 5}}, 4});
  Values v = gap.random_values(3, 7);
  ref::Vec want(9);
  for (size_t p = 0; p < 9; ++p)
    for (size_t i = 0; i < 10; ++i) want[p] += v.inputs[0][p * 10 + i] / 10.0;
  expect_close(gap.forward(3, v, false), want, "gap");

  for (int64_t bias : {1, 0}) {
    NodeRun fc(cpu_plugin(), {"fc", {{"units", int64_t{5}}, {"bias", bias}}, {Shape{2, 3, 2}}, 4});
    Values f = fc.random_values(3, 8);
    expect_close(fc.forward(3, f, true),
                 ref::fc(f.inputs[0], 3, 12, f.params[0], bias ? f.params[1] : ref::FVec{}, 5),
                 "fc bias " + std::to_string(bias));
  }

  NodeRun flat(cpu_plugin(), {"flatten", {}, {Shape{2, 2, 3}}, 4});
  Values fl = flat.random_values(2, 9);
  CHECK(flat.output_shape() == Shape{12});
  CHECK(flat.forward(2, fl, false) == fl.inputs[0]);
}

TEST_CASE("add sums any number of inputs") {
  NodeRun node(cpu_plugin(), {"add", {}, {Shape{4}, Shape{4}, Shape{4}}, 2});
  Values v = node.random_values(2, 11);
  ref::Vec want(8);
  for (size_t i = 0; i < 8; ++i) want[i] = double(v.inputs[0][i]) + v.inputs[1][i] + v.inputs[2][i];
  expect_close(node.forward(2, v, false), want, "add of 3");
}

TEST_CASE("concat joins along channels, rows and columns") {
  for (int64_t axis : {0, 1, 2}) {
    Shape a{2, 3, 4}, b{2, 3, 4};
    b.dims[axis] = 1;
    NodeRun node(cpu_plugin(), {"concat", {{"axis", axis}}, {a, b}, 3});
    Values v = node.random_values(2, 12);
    // Reference by index arithmetic over the joined per-sample shape.
    Shape o = node.output_shape();
    ref::Vec want;
    for (int64_t n = 0; n < 2; ++n)
      for (int64_t i = 0; i < o[0]; ++i)
        for (int64_t j = 0; j < o[1]; ++j)
          for (int64_t k = 0; k < o[2]; ++k) {
            int64_t idx[3] = {i, j, k};
            bool first = idx[axis] < a[axis];
            const Shape& s = first ? a : b;
            if (!first) idx[axis] -= a[axis];
            const auto& src = v.inputs[first ? 0 : 1];
            want.push_back(src[((n * s[0] + idx[0]) * s[1] + idx[1]) * s[2] + idx[2]]);
          }
    expect_close(node.forward(2, v, false), want, "concat axis " + std::to_string(axis));
  }
  NodeRun flat(cpu_plugin(), {"concat", {}, {Shape{2}, Shape{3}}, 2});
  Values f{{{1, 2, 3, 4}, {5, 6, 7, 8, 9, 10}}, {}};
  CHECK(flat.forward(2, f, false) == std::vector<float>{1, 2, 5, 6, 7, 3, 4, 8, 9, 10});
}

TEST_CASE("softmax and softmax_cross_entropy give row-wise probabilities") {
  NodeRun sm(cpu_plugin(), {"softmax", {}, {Shape{7}}, 4});
  Values v = sm.random_values(3, 13);
  v.inputs[0][0] = 80.f;  // large logits must not overflow
  auto want = ref::softmax(v.inputs[0], 3, 7);
  expect_close(sm.forward(3, v, false), want, "softmax");

  NodeRun sce(cpu_plugin(), {"softmax_cross_entropy", {}, {Shape{7}, Shape{}, Shape{}}, 4});
  Values s{{v.inputs[0], {2, 0, 6}, {0.5f, 0.25f, 0.25f}}, {}};
  Gradients g = sce.backward(3, s, std::vector<float>(21, 0.f));
  expect_close(g.output, want, "softmax_cross_entropy probabilities");
  ref::Vec d(21);
  for (int64_t b = 0; b < 3; ++b)
    for (int64_t i = 0; i < 7; ++i)
      d[b * 7 + i] = s.inputs[2][b] * (want[b * 7 + i] - (i == int64_t(s.inputs[1][b]) ? 1 : 0));
  expect_close(g.inputs[0], d, "softmax_cross_entropy d_logits");
  CHECK(g.inputs[1] == std::vector<float>(3, 0.f));
}

TEST_CASE("softmax_cross_entropy rejects a label outside the classes") {
  NodeRun sce(cpu_plugin(), {"softmax_cross_entropy", {}, {Shape{7}, Shape{}, Shape{}}, 2});
  Values s{{std::vector<float>(14, 0.f), {1, 7}, {1, 1}}, {}};
  try {
    sce.backward(2, s, std::vector<float>(14, 0.f));
    FAIL("expected an error");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()) ==
          "backward of op 'softmax_cross_entropy' failed: op 'softmax_cross_entropy' node 'node': "
          "label of sample 1 is 7.000000; labels must be class indices in [0, 7)");
  }
}

TEST_CASE("dropout scales kept values, is identity in inference and follows the seed") {
  NodeRun node(cpu_plugin(), {"dropout", {{"rate", 0.3}}, {Shape{1000}}, 4});
  Values v = node.random_values(4, 14);
  CHECK(node.forward(4, v, false) == v.inputs[0]);
  std::vector<float> a = node.forward(4, v, true, 99), b = node.forward(4, v, true, 99);
  std::vector<float> c = node.forward(4, v, true, 100);
  CHECK(a == b);
  CHECK(a != c);
  size_t dropped = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == 0.f) {
      ++dropped;
    } else {
      CHECK(a[i] == doctest::Approx(v.inputs[0][i] / 0.7f));
    }
  }
  CHECK(double(dropped) / a.size() == doctest::Approx(0.3).epsilon(0.1));
}

}  // namespace
}  // namespace ferc::test
