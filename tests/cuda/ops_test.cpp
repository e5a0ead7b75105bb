// Every op, forward and backward, on the CUDA plugin against the CPU plugin, at the full batch
// and at a smaller one (the last batch of an epoch).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>

#include "compare.h"
#include "cuda_env.h"
#include "harness.h"

using namespace ferc;
using namespace ferc::test;

namespace {

using Ints = std::vector<int64_t>;

const PluginLib& cpu() {
  static PluginLib lib(plugin_path("cpu"));
  return lib;
}

const PluginLib& cuda() {
  static PluginLib lib(plugin_path("cuda"));
  return lib;
}

// "conv filters=4x3x3 pad=1 on 3x9x9, batch 3" - the case in every failure message.
std::string describe(const NodeSpec& s, int64_t n) {
  std::string out = s.op;
  for (const AttrArg& a : s.attrs) out += " " + a.name + "=" + to_string(a.value);
  out += " on";
  for (const Shape& in : s.inputs) out += " " + to_string(in);
  return out + ", batch " + std::to_string(n);
}

// Makes labels valid class indices and weights positive for softmax_cross_entropy.
void fix_loss_inputs(const NodeSpec& s, Values& v, int64_t n) {
  if (s.op != "softmax_cross_entropy") return;
  int64_t classes = s.inputs[0].numel();
  for (int64_t i = 0; i < n; ++i) {
    v.inputs[1][i] = float(i % classes);
    v.inputs[2][i] = 0.25f + 0.1f * float(i);
  }
}

// Forward (inference and training) and backward on both plugins; every value compared.
// `prepare` may change the random values (to make ties, say).
void compare_op(const NodeSpec& spec, int64_t n, uint64_t seed = 7,
                void (*prepare)(Values&) = nullptr) {
  std::string what = describe(spec, n);
  NodeRun ref(cpu(), spec), dev(cuda(), spec);
  Values v = ref.random_values(n, seed);
  fix_loss_inputs(spec, v, n);
  if (prepare) prepare(v);
  Values v_ref = v, v_dev = v;
  check_close(what + " inference output", ref.forward(n, v_ref, false, seed),
              dev.forward(n, v_dev, false, seed));
  check_close(what + " training output", ref.forward(n, v_ref, true, seed),
              dev.forward(n, v_dev, true, seed));
  for (size_t i = 0; i < v_ref.params.size(); ++i)  // running statistics after training
    check_close(what + " param " + std::to_string(i) + " after training forward", v_ref.params[i],
                v_dev.params[i]);

  std::mt19937_64 rng(seed + 1);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<float> d_out(size_t(n * ref.output_shape().numel()));
  for (float& x : d_out) x = u(rng);
  Gradients g_ref = ref.backward(n, v, d_out, seed), g_dev = dev.backward(n, v, d_out, seed);
  check_close(what + " output in backward", g_ref.output, g_dev.output);
  // The loss's labels and weights are data: only the logits get a gradient.
  size_t n_in = spec.op == "softmax_cross_entropy" ? 1 : g_ref.inputs.size();
  for (size_t i = 0; i < n_in; ++i)
    check_close(what + " d input " + std::to_string(i), g_ref.inputs[i], g_dev.inputs[i]);
  for (size_t i = 0; i < g_ref.params.size(); ++i)
    check_close(what + " d param " + std::to_string(i), g_ref.params[i], g_dev.params[i]);
}

// Runs the spec at its max batch and one below.
void compare_batches(NodeSpec spec) {
  spec.max_batch = 4;
  compare_op(spec, 4);
  compare_op(spec, 3);
}

}  // namespace

TEST_CASE("conv matches the CPU plugin") {
  compare_batches({"conv", {{"filters", Ints{4, 3, 3}}, {"pad", int64_t{1}}}, {Shape{3, 9, 9}}});
  compare_batches({"conv",
                   {{"filters", Ints{5, 3, 2}}, {"stride", int64_t{2}}, {"bias", int64_t{0}}},
                   {Shape{2, 8, 7}}});
}

TEST_CASE("bn matches the CPU plugin per channel and per feature") {
  compare_batches({"bn", {{"momentum", 0.2}}, {Shape{3, 5, 5}}});
  compare_batches({"bn", {}, {Shape{6}}});
}

TEST_CASE("relu, flatten and softmax match the CPU plugin") {
  compare_batches({"relu", {}, {Shape{3, 4, 4}}});
  compare_batches({"flatten", {}, {Shape{2, 3, 4}}});
  compare_batches({"softmax", {}, {Shape{7}}});
}

TEST_CASE("maxpool and avgpool match the CPU plugin, padding left out of the average") {
  compare_batches({"maxpool", {{"kernel", int64_t{2}}}, {Shape{3, 6, 6}}});
  compare_batches({"maxpool",
                   {{"kernel", int64_t{3}}, {"stride", int64_t{2}}, {"pad", int64_t{1}}},
                   {Shape{2, 7, 7}}});
  compare_batches({"avgpool",
                   {{"kernel", int64_t{3}}, {"stride", int64_t{2}}, {"pad", int64_t{1}}},
                   {Shape{2, 7, 7}}});
}

TEST_CASE("gap and fc match the CPU plugin") {
  compare_batches({"gap", {}, {Shape{3, 5, 5}}});
  compare_batches({"fc", {{"units", int64_t{5}}}, {Shape{2, 3, 3}}});
  compare_batches({"fc", {{"units", int64_t{4}}, {"bias", int64_t{0}}}, {Shape{10}}});
}

TEST_CASE("dropout draws the same mask from the seed as the CPU plugin") {
  compare_batches({"dropout", {{"rate", 0.3}}, {Shape{4, 5, 5}}});
}

TEST_CASE("add and concat match the CPU plugin") {
  compare_batches({"add", {}, {Shape{2, 4, 4}, Shape{2, 4, 4}, Shape{2, 4, 4}}});
  compare_batches({"concat", {}, {Shape{2, 3, 3}, Shape{4, 3, 3}}});
  compare_batches({"concat", {{"axis", int64_t{1}}}, {Shape{2, 3, 3}, Shape{2, 5, 3}}});
}

TEST_CASE("softmax_cross_entropy matches the CPU plugin") {
  compare_batches({"softmax_cross_entropy", {}, {Shape{7}, Shape{}, Shape{}}});
}

// Inputs rounded to 0.5 steps in [-1, 1]: most pooling windows hold several equal maxima.
void with_ties(Values& v) {
  for (float& x : v.inputs[0]) x = std::round(x * 2.f) / 2.f;
}

TEST_CASE("maxpool sends the gradient of a tie to the window's first maximum, as the CPU does") {
  NodeSpec two{"maxpool", {{"kernel", int64_t{2}}}, {Shape{2, 6, 6}}};
  NodeSpec overlapping{"maxpool",
                       {{"kernel", int64_t{3}}, {"stride", int64_t{2}}, {"pad", int64_t{1}}},
                       {Shape{2, 7, 7}}};
  for (const NodeSpec& s : {two, overlapping}) {
    compare_op(s, 4, 11, with_ties);
    compare_op(s, 3, 12, with_ties);
  }
}

TEST_CASE("bn with one value per channel keeps its running variance finite, as the CPU does") {
  // Batch 1 of a feature vector: the unbiased batch variance is undefined.
  NodeSpec spec{"bn", {{"momentum", 0.3}}, {Shape{5}}};
  spec.max_batch = 2;
  compare_op(spec, 1);
  compare_op(spec, 2);
}

TEST_CASE("bn with eps below 1e-5 matches the CPU plugin") {
  compare_batches({"bn", {{"eps", 1e-7}}, {Shape{3, 4, 4}}});
}
