// A plugin that brings an op ferc does not know: leaky_relu [slope S], y = x > 0 ? x : S * x.
// It runs on host memory ("cpu" device), so its memory and optimizer slots are plain loops.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "ferc/plugin_sdk.hpp"

namespace {

using ferc::sdk::guard;
using ferc::sdk::numel;

// Per-node state: the slope, read once from the node's attributes.
struct LeakyRelu {
  float slope;
};

const ferc_attr_spec kAttrs[] = {
    {"slope", FERC_ATTR_FLOAT, "0.01", 1, "gradient for negative inputs"},
};

int infer(const ferc_node_desc* d, ferc_shape* out, int32_t* n_params, ferc_shape*, char* err,
          size_t len) {
  return guard(err, len, [&] {
    double slope = ferc::sdk::attr_float(*d, "slope", 0.01);
    if (!std::isfinite(slope))
      throw std::invalid_argument("leaky_relu: slope must be a finite number, got " +
                                  std::to_string(slope));
    *out = d->input_shapes[0];  // same shape as the input
    *n_params = 0;
    return FERC_OK;
  });
}

int create(const ferc_node_desc* d, void** state, char* err, size_t len) {
  return guard(err, len, [&] {
    auto s = std::make_unique<LeakyRelu>();
    s->slope = static_cast<float>(ferc::sdk::attr_float(*d, "slope", 0.01));
    *state = s.release();
    return FERC_OK;
  });
}

void destroy(void* state) {
  std::unique_ptr<LeakyRelu>(static_cast<LeakyRelu*>(state));
}

int forward(void* state, const ferc_call* c, char* err, size_t len) {
  return guard(err, len, [&] {
    float a = static_cast<LeakyRelu*>(state)->slope;
    const float* x = c->inputs[0].data;
    for (int64_t i = 0; i < numel(c->inputs[0].shape); ++i)
      c->output.data[i] = x[i] > 0.f ? x[i] : a * x[i];
    return FERC_OK;
  });
}

int backward(void* state, const ferc_call* c, char* err, size_t len) {
  return guard(err, len, [&] {
    if (!c->d_inputs || !c->d_inputs[0].data) return FERC_OK;  // gradient not wanted
    float a = static_cast<LeakyRelu*>(state)->slope;
    const float* x = c->inputs[0].data;
    for (int64_t i = 0; i < numel(c->inputs[0].shape); ++i)
      c->d_inputs[0].data[i] = x[i] > 0.f ? c->d_output.data[i] : a * c->d_output.data[i];
    return FERC_OK;
  });
}

// Host-memory slots.
void* alloc(size_t bytes) {
  return std::aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
}
void release(void* p) {
  std::free(p);
}
int copy(void* dst, const void* src, size_t bytes) {
  std::memcpy(dst, src, bytes);
  return FERC_OK;
}
int fill(float* dst, float v, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = v;
  return FERC_OK;
}
int axpy(float alpha, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
  return FERC_OK;
}

int sgd_step(const ferc_sgd_args* a, float* p, const float* g, float* v, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    float d = g[i] + a->weight_decay * p[i];
    if (v) d = v[i] = a->momentum * v[i] + d;
    p[i] -= a->lr * d;
  }
  return FERC_OK;
}
int adam_step(const ferc_adam_args* a, float* p, const float* g, float* m, float* v, size_t n) {
  double bc1 = 1 - std::pow(a->beta1, double(a->step)),
         bc2 = 1 - std::pow(a->beta2, double(a->step));
  for (size_t i = 0; i < n; ++i) {
    float d = g[i] + a->weight_decay * p[i];
    m[i] = a->beta1 * m[i] + (1 - a->beta1) * d;
    v[i] = a->beta2 * v[i] + (1 - a->beta2) * d * d;
    p[i] -= static_cast<float>(a->lr * (m[i] / bc1) / (std::sqrt(v[i] / bc2) + a->eps));
  }
  return FERC_OK;
}

ferc_kernel make_kernel() {
  ferc_kernel k{};
  k.op = "leaky_relu";
  k.create = create;
  k.destroy = destroy;
  k.forward = forward;
  k.backward = backward;
  k.summary = "x where x > 0, else slope * x";
  k.min_inputs = k.max_inputs = 1;
  k.n_attr_specs = 1;
  k.attr_specs = kAttrs;
  k.infer = infer;
  return k;
}

}  // namespace

/// The plugin's only exported symbol; returns NULL to a host with another ABI version.
extern "C" __attribute__((visibility("default"))) const ferc_plugin* ferc_plugin_entry(
    uint32_t host_abi_version) {
  if (host_abi_version != FERC_PLUGIN_ABI_VERSION) return nullptr;
  static const ferc_kernel kernels[] = {make_kernel()};
  static const ferc_plugin table = [] {
    ferc_plugin p{};
    p.abi_version = FERC_PLUGIN_ABI_VERSION;
    p.name = "leaky_relu";
    p.version = "1.0.0";
    p.device = "cpu";
    p.alloc = alloc;
    p.release = release;
    p.upload = copy;
    p.download = copy;
    p.fill = fill;
    p.axpy = axpy;
    p.sgd_step = sgd_step;
    p.adam_step = adam_step;
    p.n_kernels = 1;
    p.kernels = kernels;
    return p;
  }();
  return &table;
}
