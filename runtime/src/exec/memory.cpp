// Allocating planned buffers, parameters and host staging, and copies between memories.
#include "executor_impl.h"

namespace ferc {

void Executor::Impl::allocate() {
  schedule = exec::build_schedule(graph, options.max_batch, options.training);
  plan = plan_memory(schedule.tensors, options.reuse_buffers);
  for (int64_t bytes : plan.buffer_bytes) buffers.emplace_back(device, static_cast<size_t>(bytes));
  for (NodeRun& r : runs) {
    for (const ParamSpec& spec : r.node->params) {
      ParamSlot p;
      p.name = r.node->name + "." + spec.name;
      p.shape = spec.shape;
      p.trainable = spec.trainable;
      p.plugin = r.plugin;
      size_t bytes = static_cast<size_t>(spec.shape.numel()) * 4;
      p.value = DeviceBuffer(p.plugin, bytes);
      if (options.training && spec.trainable) p.grad = DeviceBuffer(p.plugin, bytes);
      r.params.push_back(std::move(p));
    }
  }
  classes = static_cast<int>(graph.nodes[static_cast<size_t>(graph.output)].shape.numel());
  if (options.training) {
    labels = DeviceBuffer(device, static_cast<size_t>(options.max_batch) * 4);
    weights = DeviceBuffer(device, static_cast<size_t>(options.max_batch) * 4);
  }
  timing.assign(graph.nodes.size(), NodeTiming{});
  for (const Node& n : graph.nodes) timing[static_cast<size_t>(n.id)] = {n.name, n.op, 0, 0, 0};
}

void Executor::Impl::upload(float* dst, const void* src, size_t bytes) const {
  if (api().upload(dst, src, bytes) != FERC_OK)
    throw Error("copy to " + std::string(device->device()) + " memory failed");
}

void Executor::Impl::download(void* dst, const float* src, size_t bytes) const {
  if (api().download(dst, src, bytes) != FERC_OK)
    throw Error("copy from " + std::string(device->device()) + " memory failed");
}

void Executor::Impl::put(const ParamSlot& p, const DeviceBuffer& dst, const float* src) {
  if (p.plugin->table().upload(dst.data(), src, dst.bytes()) != FERC_OK)
    throw Error("copying '" + p.name + "' to " + std::string(p.plugin->device()) +
                " memory failed");
}

void Executor::Impl::get(const ParamSlot& p, float* dst, const DeviceBuffer& src) {
  if (p.plugin->table().download(dst, src.data(), src.bytes()) != FERC_OK)
    throw Error("copying '" + p.name + "' from " + std::string(p.plugin->device()) +
                " memory failed");
}

void Executor::Impl::stage(NodeRun& r) {
  HostStaging& h = *r.staging;
  auto bytes = [&](const Shape& s) {
    return static_cast<size_t>(options.max_batch * s.numel()) * 4;
  };
  for (int in : r.node->inputs) {
    const Shape& s = graph.nodes[static_cast<size_t>(in)].shape;
    h.inputs.emplace_back(r.plugin, bytes(s));
    if (options.training) h.d_inputs.emplace_back(r.plugin, bytes(s));
  }
  if (r.loss_kernel)  // labels and weights of the fused loss
    for (int i = 0; i < 2; ++i) h.inputs.emplace_back(r.plugin, bytes(Shape{}));
  h.output = DeviceBuffer(r.plugin, bytes(r.node->shape));
  if (options.training) h.d_output = DeviceBuffer(r.plugin, bytes(r.node->shape));
}

}  // namespace ferc
