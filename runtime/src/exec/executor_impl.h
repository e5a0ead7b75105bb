// Internals of the executor, shared by its source files: the per-node and per-parameter
// records and the Impl that owns them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "device_buffer.h"
#include "ferc/abi_convert.h"
#include "ferc/executor.h"
#include "ferc/memory_plan.h"
#include "ferc/plugin_sdk.hpp"
#include "ferc/seed.h"
#include "schedule.h"

namespace ferc::exec {

inline constexpr const char* kLossOp = FERC_LOSS_OP;

struct ParamSlot {
  std::string name;  // "<node>.<param>"
  Shape shape;
  bool trainable = true;
  std::shared_ptr<Plugin> plugin;          // whose memory holds the buffers below
  DeviceBuffer value, grad, slot1, slot2;  // slots: velocity, or Adam's m and v
};

// Host copies of a node's tensors, for a node whose kernel runs on the CPU while the graph's
// tensors live in another device's memory.
struct HostStaging {
  std::vector<DeviceBuffer> inputs, d_inputs;
  DeviceBuffer output, d_output;
};

struct NodeRun {
  const Node* node = nullptr;
  std::shared_ptr<Plugin> plugin;
  const ferc_kernel* kernel = nullptr;
  const ferc_kernel* loss_kernel = nullptr;  // training only, for the output softmax
  std::unique_ptr<AbiAttrs> attrs;
  KernelState state, loss_state;
  std::vector<ParamSlot> params;
  std::unique_ptr<HostStaging> staging;  // set when the node runs off the graph's device
};

}  // namespace ferc::exec

namespace ferc {

using exec::DeviceBuffer;
using exec::HostStaging;
using exec::KernelState;
using exec::kLossOp;
using exec::NodeRun;
using exec::ParamSlot;

struct Executor::Impl {
  Graph graph;
  ExecOptions options;
  std::shared_ptr<Plugin> device;  // the plugin whose memory holds every activation
  std::vector<NodeRun> runs;
  exec::Schedule schedule;
  MemoryPlan plan;
  std::vector<DeviceBuffer> buffers;
  DeviceBuffer labels, weights;
  int classes = 0;
  bool profiling = false;
  std::vector<NodeTiming> timing;

  float* tensor(int t) const {
    int b = plan.buffer_of[static_cast<size_t>(t)];
    return b < 0 ? nullptr : buffers[static_cast<size_t>(b)].data();
  }
  const ferc_plugin& api() const { return device->table(); }

  void place_nodes(const PluginHost& host);
  bool place_on_host(NodeRun& r, const PluginHost& host);
  void stage(NodeRun& r);
  /// Copies a device tensor into host staging and points `t` at the copy (null stays null).
  void to_host(ferc_tensor& t, const DeviceBuffer& host) const;
  void to_device(const ferc_tensor& host, float* device_dst) const;
  void create_kernels();
  void allocate();
  void check(int rc, const NodeRun& r, const char* what, const char* err) const;
  ferc_tensor act(int node, int batch) const;
  void run_forward(int batch, bool training, uint64_t seed);
  /// `seed` must be the one the training forward of this batch was given.
  void run_backward(int batch, uint64_t seed);
  void upload(float* dst, const void* src, size_t bytes) const;
  /// Copies into or out of a parameter's memory, which belongs to its node's plugin.
  static void put(const ParamSlot& p, const DeviceBuffer& dst, const float* src);
  static void get(const ParamSlot& p, float* dst, const DeviceBuffer& src);
  void download(void* dst, const float* src, size_t bytes) const;
  template <class F>
  void timed(int node, bool backward, F&& f);
};
}  // namespace ferc
