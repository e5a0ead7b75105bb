// Per-node kernel state behind the C slots of ferc_kernel, and small tensor helpers shared by
// the CPU kernels.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "ferc/plugin_sdk.hpp"

namespace ferc::cpu {

/// The state of one graph node on the CPU. forward/backward throw std::exception on failure.
class Node {
 public:
  virtual ~Node() = default;
  /// Computes call.output from call.inputs and call.params.
  virtual void forward(const ferc_call& call) = 0;
  /// Overwrites every d_inputs[i] / d_params[i] whose data is not null.
  virtual void backward(const ferc_call& call) = 0;
};

/// Batch size of an activation tensor (its first dimension).
inline int64_t batch_of(const ferc_tensor& t) {
  return t.shape.rank > 0 ? t.shape.dims[0] : 1;
}

/// True when the host asked for this gradient.
inline bool wanted(const ferc_tensor* grads, int32_t i) {
  return grads && grads[i].data;
}

/// "NxCxHxW" for messages.
std::string shape_text(const ferc_shape& s);

namespace detail {

// Runs `body`, turning any exception into FERC_FAILED with "op 'x' node 'y': message".
template <class F>
int run(const std::string& op, const std::string& node, char* err, size_t len, F&& body) noexcept {
  return sdk::guard(err, len, [&] {
    try {
      body();
    } catch (const std::exception& e) {
      throw std::runtime_error("op '" + op + "' node '" + node + "': " + e.what());
    }
    return FERC_OK;
  });
}

// Heap state: the node object plus its name, for messages.
struct Holder {
  std::unique_ptr<Node> node;
  std::string op;
  std::string name;
};

}  // namespace detail

/// A ferc_kernel whose state is a `T` constructed from the node description.
template <class T>
ferc_kernel make_kernel(const char* op) {
  ferc_kernel k{};
  k.op = op;
  k.create = [](const ferc_node_desc* d, void** state, char* err, size_t len) {
    auto h = std::make_unique<detail::Holder>();
    h->op = d->op;
    h->name = d->name ? d->name : "?";
    return detail::run(h->op, h->name, err, len, [&] {
      h->node = std::make_unique<T>(*d);
      *state = h.release();
    });
  };
  k.destroy = [](void* state) {
    std::unique_ptr<detail::Holder>(static_cast<detail::Holder*>(state));
  };
  k.forward = [](void* state, const ferc_call* call, char* err, size_t len) {
    auto* h = static_cast<detail::Holder*>(state);
    return detail::run(h->op, h->name, err, len, [&] { h->node->forward(*call); });
  };
  k.backward = [](void* state, const ferc_call* call, char* err, size_t len) {
    auto* h = static_cast<detail::Holder*>(state);
    return detail::run(h->op, h->name, err, len, [&] { h->node->backward(*call); });
  };
  return k;
}

}  // namespace ferc::cpu
