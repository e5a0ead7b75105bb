// Times forward and backward of each layer of lenet_bn on a plugin at batch 128.
// Usage: bench_cpu_ops [plugin.so] [threads] [iterations]
#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ferc/plugin_sdk.hpp"

namespace {

using ferc::sdk::make_shape;
using ferc::sdk::numel;

struct Layer {
  const char* label;
  const char* op;
  std::vector<ferc_attr> attrs;
  ferc_shape in, out;
  std::vector<ferc_shape> params;
};

ferc_attr int_attr(const char* name, int64_t v) {
  ferc_attr a{};
  a.name = name;
  a.kind = FERC_ATTR_INT;
  a.i = v;
  return a;
}

std::vector<Layer> lenet_bn(int64_t n) {
  auto img = [n](int64_t c, int64_t h) { return make_shape({n, c, h, h}); };
  auto vec = [n](int64_t f) { return make_shape({n, f}); };
  ferc_shape c1 = make_shape({20});
  ferc_attr stride0 = int_attr("stride", 1), pad0 = int_attr("pad", 0);
  std::vector<ferc_shape> bn_params = {c1, c1, c1, c1};
  return {
      {"conv1 20x5x5",
       "conv",
       {stride0, pad0},
       img(1, 48),
       img(20, 44),
       {make_shape({20, 1, 5, 5}), c1}},
      {"bn1", "bn", {}, img(20, 44), img(20, 44), bn_params},
      {"relu1", "relu", {}, img(20, 44), img(20, 44), {}},
      {"pool1",
       "maxpool",
       {int_attr("kernel", 2), int_attr("stride", 0)},
       img(20, 44),
       img(20, 22),
       {}},
      {"conv2 20x5x5",
       "conv",
       {stride0, pad0},
       img(20, 22),
       img(20, 18),
       {make_shape({20, 20, 5, 5}), c1}},
      {"bn2", "bn", {}, img(20, 18), img(20, 18), bn_params},
      {"relu2", "relu", {}, img(20, 18), img(20, 18), {}},
      {"pool2",
       "maxpool",
       {int_attr("kernel", 2), int_attr("stride", 0)},
       img(20, 18),
       img(20, 9),
       {}},
      {"fc 500", "fc", {}, img(20, 9), vec(500), {make_shape({500, 1620}), make_shape({500})}},
      {"fc 300", "fc", {}, vec(500), vec(300), {make_shape({300, 500}), make_shape({300})}},
      {"fc 7", "fc", {}, vec(300), vec(7), {make_shape({7, 300}), make_shape({7})}},
  };
}

// A host buffer standing in for device memory (the CPU plugin's memory is host memory).
std::vector<float> filled(const ferc_shape& s, float v) {
  return std::vector<float>(static_cast<size_t>(numel(s)), v);
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = argc > 1 ? argv[1] : FERC_BIN_DIR "/libferc_plugin_cpu.so";
  int threads = argc > 2 ? std::atoi(argv[2]) : 0;
  int iters = argc > 3 ? std::atoi(argv[3]) : 20;
  void* h = dlopen(path.c_str(), RTLD_NOW);
  if (!h) return std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), dlerror()), 1;
  auto entry = reinterpret_cast<ferc_plugin_entry_fn>(dlsym(h, FERC_ENTRY_SYMBOL));
  const ferc_plugin* p = entry ? entry(FERC_PLUGIN_ABI_VERSION) : nullptr;
  if (!p) return std::fprintf(stderr, "%s is not a usable plugin\n", path.c_str()), 1;
  if (threads > 0 && p->set_threads) p->set_threads(threads);

  const int64_t n = 128;
  double total_fwd = 0, total_bwd = 0;
  char err[512] = "";
  std::printf("%-14s %10s %10s   (batch %lld, threads %d)\n", "layer", "fwd ms", "bwd ms",
              static_cast<long long>(n), threads);
  for (Layer& l : lenet_bn(n)) {
    const ferc_kernel* k = nullptr;
    for (int i = 0; i < p->n_kernels; ++i)
      if (std::string(p->kernels[i].op) == l.op) k = &p->kernels[i];
    ferc_node_desc d{l.op,
                     l.label,
                     1,
                     &l.in,
                     l.out,
                     static_cast<int32_t>(l.params.size()),
                     l.params.data(),
                     static_cast<int32_t>(l.attrs.size()),
                     l.attrs.data(),
                     1};
    void* state = nullptr;
    if (k->create && k->create(&d, &state, err, sizeof err) != FERC_OK)
      return std::fprintf(stderr, "%s\n", err), 1;
    std::vector<float> x = filled(l.in, 0.5f), y = filled(l.out, 0), dy = filled(l.out, 0.1f),
                       dx = filled(l.in, 0);
    std::vector<std::vector<float>> ps, dps;
    std::vector<ferc_tensor> pt, dpt;
    for (const ferc_shape& s : l.params) {
      ps.push_back(filled(s, 0.01f));
      dps.push_back(filled(s, 0));
    }
    for (size_t i = 0; i < ps.size(); ++i) {
      pt.push_back({ps[i].data(), l.params[i]});
      dpt.push_back({dps[i].data(), l.params[i]});
    }
    // The graph input needs no gradient, as in training.
    bool first = std::string(l.label).rfind("conv1", 0) == 0;
    ferc_tensor in{x.data(), l.in}, din{first ? nullptr : dx.data(), l.in};
    ferc_call c{1,
                7,
                1,
                &in,
                {y.data(), l.out},
                static_cast<int32_t>(pt.size()),
                pt.data(),
                {dy.data(), l.out},
                &din,
                dpt.data()};
    k->forward(state, &c, err, sizeof err);  // warm-up: builds cached primitives
    k->backward(state, &c, err, sizeof err);
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < iters; ++i) k->forward(state, &c, err, sizeof err);
    double f = ms_since(t0) / iters;
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < iters; ++i) k->backward(state, &c, err, sizeof err);
    double b = ms_since(t0) / iters;
    std::printf("%-14s %10.3f %10.3f\n", l.label, f, b);
    total_fwd += f;
    total_bwd += b;
    if (k->destroy) k->destroy(state);
  }
  std::printf("%-14s %10.3f %10.3f   => %.0f images/s (kernels only)\n", "total", total_fwd,
              total_bwd, n * 1000.0 / (total_fwd + total_bwd));
  return 0;
}
