// Optimizer steps and a short training run of a tiny network on both plugins.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "compare.h"
#include "cuda_env.h"
#include "harness.h"

using namespace ferc;
using namespace ferc::test;

namespace {

using Ints = std::vector<int64_t>;

// A device array owned through the plugin's alloc/release.
class DeviceArray {
 public:
  DeviceArray(const ferc_plugin& p, const std::vector<float>& v) : p_(p), n_(v.size()) {
    data_ = static_cast<float*>(p.alloc(n_ * sizeof(float)));
    if (!data_ || p.upload(data_, v.data(), n_ * sizeof(float)) != FERC_OK)
      throw std::runtime_error(std::string(p.name) + ": alloc or upload failed");
  }
  ~DeviceArray() { p_.release(data_); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  float* data() const { return data_; }
  std::vector<float> download() const {
    std::vector<float> v(n_);
    if (p_.download(v.data(), data_, n_ * sizeof(float)) != FERC_OK)
      throw std::runtime_error(std::string(p_.name) + ": download failed");
    return v;
  }

 private:
  const ferc_plugin& p_;
  size_t n_;
  float* data_ = nullptr;
};

std::vector<float> random_vector(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

// One SGD step on the host vectors p and v through plugin `lib`.
void sgd(const PluginLib& lib, const ferc_sgd_args& a, std::vector<float>& p,
         const std::vector<float>& g, std::vector<float>& v) {
  const ferc_plugin& t = *lib.table();
  DeviceArray dp(t, p), dg(t, g), dv(t, v);
  REQUIRE(t.sgd_step(&a, dp.data(), dg.data(), dv.data(), p.size()) == FERC_OK);
  p = dp.download();
  v = dv.download();
}

const PluginLib& cpu() {
  static PluginLib lib(plugin_path("cpu"));
  return lib;
}

const PluginLib& cuda() {
  static PluginLib lib(plugin_path("cuda"));
  return lib;
}

}  // namespace

TEST_CASE("sgd_step matches the CPU plugin with and without Nesterov momentum") {
  for (int nesterov : {0, 1}) {
    ferc_sgd_args a{0.05f, 0.9f, 1e-3f, nesterov};
    std::vector<float> p = random_vector(1000, 1), v = random_vector(1000, 2);
    std::vector<float> p_dev = p, v_dev = v;
    for (uint64_t step = 0; step < 3; ++step) {
      std::vector<float> g = random_vector(1000, 10 + step);
      sgd(cpu(), a, p, g, v);
      sgd(cuda(), a, p_dev, g, v_dev);
    }
    std::string what = "sgd nesterov=" + std::to_string(nesterov);
    check_close(what + " params", p, p_dev, 1e-5);
    check_close(what + " velocity", v, v_dev, 1e-5);
  }
}

TEST_CASE("adam_step matches the CPU plugin over three bias-corrected steps") {
  std::vector<float> p = random_vector(1000, 3), zeros(1000, 0.f);
  std::vector<std::vector<float>> out[2];
  for (int dev = 0; dev < 2; ++dev) {
    const ferc_plugin& t = *(dev ? cuda() : cpu()).table();
    DeviceArray dp(t, p), dm(t, zeros), dv(t, zeros);
    for (int64_t step = 1; step <= 3; ++step) {
      ferc_adam_args a{1e-2f, 0.9f, 0.999f, 1e-8f, 1e-4f, step};
      DeviceArray dg(t, random_vector(1000, 20 + uint64_t(step)));
      REQUIRE(t.adam_step(&a, dp.data(), dg.data(), dm.data(), dv.data(), 1000) == FERC_OK);
    }
    out[dev] = {dp.download(), dm.download(), dv.download()};
  }
  check_close("adam params", out[0][0], out[1][0], 1e-5);
  check_close("adam first moment", out[0][1], out[1][1], 1e-5);
  check_close("adam second moment", out[0][2], out[1][2], 1e-5);
}

namespace {

// conv-bn-relu-maxpool-fc-loss on 1x8x8 inputs, trained by SGD through one plugin.
class TinyNet {
 public:
  static constexpr int64_t kBatch = 8;

  explicit TinyNet(const PluginLib& lib) : lib_(lib) {
    add({"conv", {{"filters", Ints{4, 3, 3}}, {"pad", int64_t{1}}}, {Shape{1, 8, 8}}});
    add({"bn", {}, {Shape{4, 8, 8}}});
    add({"relu", {}, {Shape{4, 8, 8}}});
    add({"maxpool", {{"kernel", int64_t{2}}}, {Shape{4, 8, 8}}});
    add({"fc", {{"units", int64_t{7}}}, {Shape{4, 4, 4}}});
    add({"softmax_cross_entropy", {}, {Shape{7}, Shape{}, Shape{}}});
    for (size_t i = 0; i < nodes_.size(); ++i) {
      values_.push_back(nodes_[i]->random_values(kBatch, 100 + i));
      for (auto& p : values_.back().params) velocity_.emplace_back(p.size(), 0.f);
    }
    values_[1].params = {std::vector<float>(4, 1.f), std::vector<float>(4, 0.f),
                         std::vector<float>(4, 0.f), std::vector<float>(4, 1.f)};
  }

  // One training step on (x, labels); returns the mean loss before the update.
  double step(const std::vector<float>& x, const std::vector<float>& labels) {
    std::vector<float> act = x;
    for (size_t i = 0; i + 1 < nodes_.size(); ++i) {
      values_[i].inputs = {act};
      act = nodes_[i]->forward(kBatch, values_[i], true);
    }
    Values& loss = values_.back();
    loss.inputs = {act, labels, std::vector<float>(kBatch, 1.f / kBatch)};
    std::vector<float> probs = nodes_.back()->forward(kBatch, loss, true);
    // The fused loss ignores d_output: its gradient comes from the labels and weights.
    std::vector<float> unused(probs.size(), 0.f);
    std::vector<float> d = nodes_.back()->backward(kBatch, loss, unused).inputs[0];
    size_t v = velocity_.size();
    for (size_t i = nodes_.size() - 1; i-- > 0;) {
      Gradients g = nodes_[i]->backward(kBatch, values_[i], d);
      d = g.inputs[0];
      auto& params = values_[i].params;
      v -= params.size();
      // bn's running statistics (params 2 and 3) are not trained.
      size_t trained = nodes_[i]->param_shapes().size() == 4 ? 2 : params.size();
      for (size_t k = 0; k < trained; ++k)
        sgd(lib_, ferc_sgd_args{0.1f, 0.9f, 0.f, 0}, params[k], g.params[k], velocity_[v + k]);
    }
    double sum = 0;
    for (int64_t n = 0; n < kBatch; ++n) sum -= std::log(probs[n * 7 + int64_t(labels[n])]);
    return sum / kBatch;
  }

 private:
  void add(NodeSpec spec) {
    spec.max_batch = kBatch;
    nodes_.push_back(std::make_unique<NodeRun>(lib_, std::move(spec)));
  }

  const PluginLib& lib_;
  std::vector<std::unique_ptr<NodeRun>> nodes_;
  std::vector<Values> values_;
  std::vector<std::vector<float>> velocity_;
};

}  // namespace

TEST_CASE("20 SGD steps of conv-bn-relu-maxpool-fc give the same losses on both plugins") {
  TinyNet ref(cpu()), dev(cuda());
  std::vector<float> x = random_vector(TinyNet::kBatch * 64, 42);
  std::vector<float> labels(TinyNet::kBatch);
  for (int64_t n = 0; n < TinyNet::kBatch; ++n) labels[n] = float(n % 7);
  double first = 0, last = 0;
  for (int step = 0; step < 20; ++step) {
    double l_ref = ref.step(x, labels), l_dev = dev.step(x, labels);
    CAPTURE(step);
    CHECK(std::fabs(l_ref - l_dev) <= 1e-3 * std::fmax(1.0, l_ref));
    if (step == 0) first = l_ref;
    last = l_dev;
  }
  // Twenty steps on one fixed batch must fit it noticeably.
  CHECK(last < 0.5 * first);
}
