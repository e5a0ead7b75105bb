// Turns a C++ op class into a ferc_kernel table entry. The class is built from the node
// description and has forward(call) and backward(call); exceptions stay on this side of the
// boundary and come back as messages that name the device, op and node.
#pragma once

#include <memory>
#include <string>

#include "context.h"
#include "ferc/plugin_sdk.hpp"

namespace ferc::cuda {

/// "cuda <op> '<node>': " - the start of every kernel error message.
inline std::string node_prefix(const char* op, const char* node) {
  return std::string("cuda ") + op + " '" + (node ? node : "?") + "': ";
}

/// Per-node state shared by every op: the names used in messages.
struct NodeBase {
  explicit NodeBase(const ferc_node_desc& d) : prefix(node_prefix(d.op, d.name)) {}
  std::string prefix;
};

template <class Op>
int run_guarded(Op* op, const ferc_call* call, char* err, size_t len, bool backward) {
  return sdk::guard(err, len, [&] {
    try {
      backward ? op->backward(*call) : op->forward(*call);
      if (sync_each_call())
        check(cudaStreamSynchronize(Context::get().stream()),
              backward ? "cudaStreamSynchronize after backward"
                       : "cudaStreamSynchronize after forward");
    } catch (const std::exception& e) {
      throw DeviceError(op->prefix + e.what());
    }
    return FERC_OK;
  });
}

/// A kernel entry for `op` whose state is an `Op` object.
template <class Op>
ferc_kernel make_kernel(const char* op) {
  ferc_kernel k{};
  k.op = op;
  k.create = [](const ferc_node_desc* d, void** state, char* err, size_t len) {
    return sdk::guard(err, len, [&] {
      try {
        *state = std::make_unique<Op>(*d).release();  // owned by the host until destroy
      } catch (const std::exception& e) {
        throw DeviceError(node_prefix(d->op, d->name) + e.what());
      }
      return FERC_OK;
    });
  };
  k.destroy = [](void* state) { std::unique_ptr<Op> owned(static_cast<Op*>(state)); };
  k.forward = [](void* s, const ferc_call* c, char* err, size_t len) {
    return run_guarded(static_cast<Op*>(s), c, err, len, false);
  };
  k.backward = [](void* s, const ferc_call* c, char* err, size_t len) {
    return run_guarded(static_cast<Op*>(s), c, err, len, true);
  };
  return k;
}

/// Bytes of a tensor's data.
inline size_t bytes_of(const ferc_tensor& t) {
  return static_cast<size_t>(sdk::numel(t.shape)) * sizeof(float);
}

/// The i-th gradient the host asked for, or nullptr when it did not (no array, index past the
/// end, or a null data pointer).
inline float* wanted(ferc_tensor* grads, int i, int n) {
  return grads && i < n ? grads[i].data : nullptr;
}

/// Copies `src` into `dst` on the plugin's stream unless they are the same memory.
inline void copy_tensor(float* dst, const float* src, size_t bytes) {
  if (dst == src || bytes == 0) return;
  FERC_CUDA_CHECK(
      cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, Context::get().stream()));
}

}  // namespace ferc::cuda
