// The executor: results independent of buffer reuse, a whole-graph gradient check, batches
// below max_batch, and the errors it raises.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "ferc/dsl.h"
#include "ferc/executor.h"
#include "ferc/train.h"

namespace ferc {
namespace {

const PluginHost& host() {
  static const PluginHost h = [] {
    PluginHost p;
    // First, so that it is the cuda device here even where a real CUDA plugin is found too.
    p.load(std::filesystem::path(FERC_FAKES_DIR) / "good" / "libferc_plugin_fake.so");
    p.discover();
    return p;
  }();
  return h;
}

const ops::OpRegistry& registry() {
  static const ops::OpRegistry r = [] {
    ops::OpRegistry reg = ops::builtin_registry();
    host().register_plugin_ops(reg);
    return reg;
  }();
  return r;
}

Graph model_file(const std::string& name) {
  return load_model(std::filesystem::path(FERC_SOURCE_DIR) / "models" / name, registry());
}

std::vector<float> random_input(const Graph& g, int batch, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(batch * g.input().shape.numel()));
  for (float& v : x) v = d(rng);
  return x;
}

// Everything a few training steps produce, for comparing two executors.
struct Trace {
  std::vector<float> inference;
  std::vector<double> objectives;
  std::vector<float> probs;
  std::vector<NamedTensor> params;
};

Trace run_steps(const Graph& g, bool reuse, int batch, int steps) {
  TrainSettings s = resolve_settings(g, {});
  OptimizerConfig opt;
  opt.kind = s.optimizer;
  opt.lr = static_cast<float>(s.lr);
  opt.momentum = static_cast<float>(s.momentum);
  opt.weight_decay = static_cast<float>(s.weight_decay);
  Trace t;
  const int classes = static_cast<int>(g.nodes[static_cast<size_t>(g.output)].shape.numel());
  {
    Executor inf(g, host(), ExecOptions{batch, false, reuse, "cpu"});
    inf.init_params(5);
    auto x = random_input(g, batch, 1);
    t.inference.resize(static_cast<size_t>(batch * classes));
    inf.forward(x.data(), batch, t.inference.data());
  }
  Executor ex(g, host(), ExecOptions{batch, true, reuse, "cpu"});
  ex.init_params(5);
  std::vector<int32_t> labels(static_cast<size_t>(batch));
  for (int i = 0; i < batch; ++i) labels[static_cast<size_t>(i)] = (i * 3) % classes;
  std::vector<float> weights(static_cast<size_t>(batch), 1.0f / static_cast<float>(batch));
  std::vector<float> probs(static_cast<size_t>(batch * classes));
  for (int step = 1; step <= steps; ++step) {
    auto x = random_input(g, batch, static_cast<uint32_t>(10 + step));
    BatchResult r = ex.forward_backward(x.data(), labels.data(), weights.data(), batch,
                                        static_cast<uint64_t>(step), probs.data());
    t.objectives.push_back(r.objective);
    t.probs.insert(t.probs.end(), probs.begin(), probs.end());
    ex.optimizer_step(opt, step);
  }
  t.params = ex.params();
  return t;
}

void check_identical(const Trace& a, const Trace& b) {
  CHECK(a.inference == b.inference);
  CHECK(a.objectives == b.objectives);
  CHECK(a.probs == b.probs);
  REQUIRE(a.params.size() == b.params.size());
  for (size_t i = 0; i < a.params.size(); ++i) {
    CAPTURE(a.params[i].name);
    CHECK(a.params[i].data == b.params[i].data);
  }
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Three 2-channel 6x6 maps: x is read by a convolution, an add and a concat.
constexpr const char* kResidual =
    "model tiny_residual\n"
    "input 2x6x6\n"
    "x = conv 3x3x3 pad 1\n"
    "a = x -> conv 3x3x3 pad 1\n"
    "s = add(x, a)\n"
    "concat(x, s) -> fc 7 -> softmax\n";

constexpr const char* kDropout =
    "model tiny_dropout\n"
    "input 2x6x6\n"
    "conv 3x3x3 pad 1 -> dropout 0.5 -> fc 7 -> softmax\n";

}  // namespace

TEST_CASE("results do not depend on buffer reuse") {
  for (const char* name : {"lenet_bn.net", "resnet_small.net"}) {
    CAPTURE(name);
    Graph g = model_file(name);
    Trace shared = run_steps(g, true, 4, 2);
    Trace separate = run_steps(g, false, 4, 2);
    check_identical(shared, separate);
    CHECK(std::isfinite(shared.objectives.back()));
    CHECK(shared.objectives[0] > 0.5);  // about log(7) from fresh weights
    CHECK(planned_activation_bytes(g, 4, true) ==
          Executor(g, host(), ExecOptions{4, true, true, "cpu"}).activation_bytes());
    CHECK(Executor(g, host(), ExecOptions{4, true, true, "cpu"}).activation_bytes() <
          Executor(g, host(), ExecOptions{4, true, false, "cpu"}).activation_bytes());
  }
}

namespace {

// Checks every parameter's gradient from forward_backward (read off one SGD step with lr 1)
// against central differences of the objective, all at one seed.
void check_whole_graph_gradient(const char* model, size_t min_checked) {
  Graph g = parse_model(model, "tiny.net", registry());
  const int batch = 3;
  Executor ex(g, host(), ExecOptions{batch, true, true, "cpu"});
  ex.init_params(11);
  const std::vector<NamedTensor> p0 = ex.params();
  auto x = random_input(g, batch, 3);
  const int32_t labels[batch] = {0, 4, 6};
  const float weights[batch] = {1.0f / 3, 1.0f / 3, 1.0f / 3};
  auto loss = [&](const std::vector<NamedTensor>& p) {
    ex.set_params(p);
    return ex.forward_backward(x.data(), labels, weights, batch, 1).objective;
  };

  // One plain SGD step with lr 1 leaves old - grad.
  ex.set_params(p0);
  ex.forward_backward(x.data(), labels, weights, batch, 1);
  OptimizerConfig sgd;
  sgd.kind = "sgd";
  sgd.lr = 1.0f;
  sgd.momentum = 0.0f;
  ex.optimizer_step(sgd, 1);
  const std::vector<NamedTensor> p1 = ex.params();

  const double eps = 1e-2;
  size_t checked = 0;
  for (size_t t = 0; t < p0.size(); ++t) {
    const size_t n = p0[t].data.size();
    const size_t stride = n > 100 ? 37 : 1;  // every conv value, a spread of fc weights
    for (size_t i = 0; i < n; i += stride) {
      CAPTURE(p0[t].name);
      CAPTURE(i);
      std::vector<NamedTensor> plus = p0, minus = p0;
      plus[t].data[i] += static_cast<float>(eps);
      minus[t].data[i] -= static_cast<float>(eps);
      double numeric = (loss(plus) - loss(minus)) / (2 * eps);
      double analytic = static_cast<double>(p0[t].data[i]) - static_cast<double>(p1[t].data[i]);
      CHECK(std::abs(numeric - analytic) <= 2e-3 + 2e-2 * std::abs(numeric));
      ++checked;
    }
  }
  CHECK(checked > min_checked);
}

}  // namespace

TEST_CASE("whole-graph gradient matches central differences on a residual model") {
  check_whole_graph_gradient(kResidual, 150);
}

TEST_CASE("whole-graph gradient through dropout uses the forward's mask") {
  check_whole_graph_gradient(kDropout, 40);
}

TEST_CASE("a batch smaller than max_batch gives the results of an executor sized for it") {
  Graph g = model_file("lenet_bn.net");
  const int n = 3;
  auto x = random_input(g, n, 21);
  std::vector<float> small(n * 7), big(n * 7);
  Executor exact(g, host(), ExecOptions{n, false, true, "cpu"});
  Executor roomy(g, host(), ExecOptions{8, false, true, "cpu"});
  exact.init_params(2);
  roomy.init_params(2);
  exact.forward(x.data(), n, small.data());
  roomy.forward(x.data(), n, big.data());
  for (size_t i = 0; i < small.size(); ++i)
    CHECK(big[i] == doctest::Approx(small[i]).epsilon(1e-5));

  Executor exact_t(g, host(), ExecOptions{n, true, true, "cpu"});
  Executor roomy_t(g, host(), ExecOptions{8, true, true, "cpu"});
  exact_t.init_params(2);
  roomy_t.init_params(2);
  const int32_t labels[n] = {1, 3, 5};
  const float w[n] = {1.0f / 3, 1.0f / 3, 1.0f / 3};
  BatchResult a = exact_t.forward_backward(x.data(), labels, w, n, 9);
  BatchResult b = roomy_t.forward_backward(x.data(), labels, w, n, 9);
  CHECK(b.objective == doctest::Approx(a.objective).epsilon(1e-5));
  CHECK(b.errors == a.errors);
  OptimizerConfig sgd;
  sgd.momentum = 0.0f;
  sgd.lr = 0.1f;
  exact_t.optimizer_step(sgd, 1);
  roomy_t.optimizer_step(sgd, 1);
  auto pa = exact_t.params(), pb = roomy_t.params();
  REQUIRE(pa.size() == pb.size());
  for (size_t t = 0; t < pa.size(); ++t)
    for (size_t i = 0; i < pa[t].data.size(); i += 97) {
      CAPTURE(pa[t].name);
      CHECK(pb[t].data[i] == doctest::Approx(pa[t].data[i]).epsilon(1e-4).scale(1e-3));
    }
}

TEST_CASE("a label outside the model's classes is refused before any device sees it") {
  Graph g = parse_model("input 4 -> fc 3 -> softmax\n", "m.net", registry());
  Executor ex(g, host(), ExecOptions{2, true, true, "cpu"});
  ex.init_params(1);
  const float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const float w[2] = {0.5f, 0.5f};
  const int32_t good[2] = {0, 2}, too_big[2] = {0, 3}, negative[2] = {-1, 0};
  CHECK_NOTHROW(ex.forward_backward(x, good, w, 2, 1));
  CHECK_THROWS_WITH_AS(ex.forward_backward(x, too_big, w, 2, 1),
                       doctest::Contains("label 3 of sample 1 outside 0..2"), std::logic_error);
  CHECK_THROWS_WITH_AS(ex.forward_backward(x, negative, w, 2, 1),
                       doctest::Contains("label -1 of sample 0 outside 0..2"), std::logic_error);
}

TEST_CASE("executor errors name the node, the op and the fix") {
  SUBCASE("an op without a kernel on the device") {
    Graph g = parse_model("input 4 -> scale 2.0 -> fc 7 -> softmax\n", "s.net", registry());
    CHECK(error_of([&] {
            Executor(g, host(), ExecOptions{2, false, true, "cpu"});
          }) ==
          "node 'scale1' (scale) has no kernel on device 'cpu'; `ferc plugins` lists which ops "
          "each plugin runs");
  }
  SUBCASE("an op whose plugin has no backward, when training") {
    Graph g = parse_model("input 4 -> scale 2.0\n", "s.net", registry());
    std::string path =
        (std::filesystem::path(FERC_FAKES_DIR) / "good" / "libferc_plugin_fake.so").string();
    CHECK(error_of([&] {
            Executor(g, host(), ExecOptions{2, true, true, "cuda"});
          }) == "node 'scale1' (scale) cannot be trained on device 'cuda': plugin " + path +
                    " has no backward for it");
  }
  SUBCASE("training a model that does not end in softmax") {
    Graph g = parse_model("input 4 -> fc 7\n", "nosoftmax.net", registry());
    CHECK(error_of([&] {
            Executor(g, host(), ExecOptions{2, true, true, "cpu"});
          }) ==
          "training needs the model to end in softmax, but its output is node 'fc1' (fc); add "
          "`-> softmax` after the last layer");
    CHECK_NOTHROW(Executor(g, host(), ExecOptions{2, false, true, "cpu"}));
  }
  SUBCASE("a device without a plugin") {
    Graph g = parse_model("input 4 -> fc 7\n", "m.net", registry());
    CHECK(error_of([&] {
            Executor(g, host(), ExecOptions{2, false, true, "tpu"});
          }) ==
          "no plugin for device 'tpu' was found; `ferc plugins` lists the plugins and where "
          "they are searched");
  }
  SUBCASE("set_params with a missing name or a wrong shape") {
    Graph g = parse_model("input 4 -> fc 3 -> softmax\n", "m.net", registry());
    Executor ex(g, host(), ExecOptions{1, false, true, "cpu"});
    ex.init_params(1);
    std::vector<NamedTensor> p = ex.params();
    REQUIRE(p.size() == 2);
    CHECK(p[0].name == "fc1.weight");
    CHECK(p[1].name == "fc1.bias");

    std::vector<NamedTensor> missing = {p[0]};
    CHECK(error_of([&] { ex.set_params(missing); }) ==
          "the weights have no tensor 'fc1.bias' (3); they were saved for another model");
    std::vector<NamedTensor> wrong = p;
    wrong[0].shape = Shape{4, 3};
    CHECK(error_of([&] { ex.set_params(wrong); }) ==
          "tensor 'fc1.weight' in the weights has shape 4x3, the model needs 3x4; they were saved "
          "for another model");
    wrong[0].shape = p[0].shape;
    wrong[0].data.pop_back();
    CHECK(error_of([&] { ex.set_params(wrong); }) ==
          "tensor 'fc1.weight' in the weights has shape 3x4, the model needs 3x4; they were saved "
          "for another model");
  }
}

}  // namespace ferc
