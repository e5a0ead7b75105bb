// One forward or backward pass: a kernel call per node in schedule order.
#include <chrono>

#include "executor_impl.h"
#include "ferc/plugin_sdk.hpp"

namespace ferc {

void Executor::Impl::check(int rc, const NodeRun& r, const char* what, const char* err) const {
  if (rc == FERC_OK) return;
  throw Error("node '" + r.node->name + "' (" + r.node->op + ") " + what + " failed on plugin " +
              std::string(r.plugin->name()) + ": " + (*err ? err : "no reason given"));
}

ferc_tensor Executor::Impl::act(int node, int batch) const {
  return {tensor(schedule.activation(node)),
          to_abi(graph.nodes[static_cast<size_t>(node)].shape, batch)};
}

template <class F>
void Executor::Impl::timed(int node, bool backward, F&& f) {
  if (!profiling) return f();
  auto start = std::chrono::steady_clock::now();
  f();
  if (api().synchronize) api().synchronize();
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  NodeTiming& t = timing[static_cast<size_t>(node)];
  (backward ? t.backward_ms : t.forward_ms) += ms;
  if (!backward) ++t.calls;
}

void Executor::Impl::run_forward(int batch, bool training, uint64_t seed) {
  char err[512];
  for (size_t i = 1; i < runs.size(); ++i) {
    NodeRun& r = runs[i];
    const Node& node = *r.node;
    std::vector<ferc_tensor> ins;
    for (int in : node.inputs) ins.push_back(act(in, batch));
    std::vector<ferc_tensor> ps;
    for (ParamSlot& p : r.params) ps.push_back({p.value.data(), to_abi(p.shape)});
    bool fused = training && r.loss_kernel;
    if (fused) {
      ins.push_back({labels.data(), to_abi(Shape{}, batch)});
      ins.push_back({weights.data(), to_abi(Shape{}, batch)});
    }
    ferc_call call{};
    call.training = training ? 1 : 0;
    call.seed = mix_seed(seed, static_cast<uint64_t>(node.id));
    call.n_inputs = static_cast<int32_t>(ins.size());
    call.inputs = ins.data();
    call.output = act(node.id, batch);
    call.n_params = static_cast<int32_t>(ps.size());
    call.params = ps.data();
    err[0] = '\0';
    const ferc_kernel* k = fused ? r.loss_kernel : r.kernel;
    void* state = fused ? r.loss_state.get() : r.state.get();
    timed(node.id, false, [&] {
      float* device_out = call.output.data;
      if (r.staging) {
        for (size_t i = 0; i < ins.size(); ++i) to_host(ins[i], r.staging->inputs[i]);
        call.output.data = r.staging->output.data();
      }
      check(k->forward(state, &call, err, sizeof err), r, "forward", err);
      if (r.staging) to_device(call.output, device_out);
    });
  }
}

void Executor::Impl::run_backward(int batch, uint64_t seed) {
  char err[512];
  for (int c = static_cast<int>(runs.size()) - 1; c >= 1; --c) {
    NodeRun& r = runs[static_cast<size_t>(c)];
    const Node& node = *r.node;
    bool fused = r.loss_kernel != nullptr;
    std::vector<ferc_tensor> ins, d_ins;
    for (size_t slot = 0; slot < node.inputs.size(); ++slot) {
      int producer = node.inputs[slot];
      ins.push_back(act(producer, batch));
      const exec::GradEdge& e = schedule.edge(c, static_cast<int>(slot));
      float* dst = !e.needed  ? nullptr
                   : e.direct ? tensor(schedule.gradient(producer))
                              : tensor(e.scratch);
      d_ins.push_back({dst, to_abi(graph.nodes[static_cast<size_t>(producer)].shape, batch)});
    }
    if (fused) {
      ins.push_back({labels.data(), to_abi(Shape{}, batch)});
      ins.push_back({weights.data(), to_abi(Shape{}, batch)});
      d_ins.push_back({nullptr, to_abi(Shape{}, batch)});
      d_ins.push_back({nullptr, to_abi(Shape{}, batch)});
    }
    std::vector<ferc_tensor> ps, d_ps;
    for (ParamSlot& p : r.params) {
      ps.push_back({p.value.data(), to_abi(p.shape)});
      d_ps.push_back({p.grad.data(), to_abi(p.shape)});
    }
    ferc_call call{};
    call.training = 1;
    // The forward's seed: dropout regenerates its mask from it.
    call.seed = mix_seed(seed, static_cast<uint64_t>(node.id));
    call.n_inputs = static_cast<int32_t>(ins.size());
    call.inputs = ins.data();
    call.output = act(c, batch);
    call.n_params = static_cast<int32_t>(ps.size());
    call.params = ps.data();
    call.d_output = fused ? ferc_tensor{nullptr, call.output.shape}
                          : ferc_tensor{tensor(schedule.gradient(c)), call.output.shape};
    call.d_inputs = d_ins.data();
    call.d_params = d_ps.data();
    err[0] = '\0';
    const ferc_kernel* k = fused ? r.loss_kernel : r.kernel;
    void* state = fused ? r.loss_state.get() : r.state.get();
    timed(c, true, [&] {
      std::vector<float*> device_d_ins;
      if (r.staging) {
        HostStaging& h = *r.staging;
        for (size_t i = 0; i < ins.size(); ++i) to_host(ins[i], h.inputs[i]);
        to_host(call.output, h.output);
        to_host(call.d_output, h.d_output);
        for (size_t slot = 0; slot < d_ins.size(); ++slot) {
          device_d_ins.push_back(d_ins[slot].data);
          if (d_ins[slot].data) d_ins[slot].data = h.d_inputs[slot].data();
        }
      }
      check(k->backward(state, &call, err, sizeof err), r, "backward", err);
      for (size_t slot = 0; slot < device_d_ins.size(); ++slot)
        to_device(d_ins[slot], device_d_ins[slot]);
      for (size_t slot = 0; slot < node.inputs.size(); ++slot) {
        const exec::GradEdge& e = schedule.edge(c, static_cast<int>(slot));
        if (!e.needed || e.direct) continue;
        size_t count = static_cast<size_t>(sdk::numel(d_ins[slot].shape));
        if (api().axpy(1.0f, tensor(e.scratch), tensor(schedule.gradient(e.producer)), count) !=
            FERC_OK)
          throw Error("adding gradients for node '" + node.name + "' failed");
      }
    });
  }
}

void Executor::Impl::to_host(ferc_tensor& t, const DeviceBuffer& host) const {
  if (!t.data) return;
  download(host.data(), t.data, static_cast<size_t>(sdk::numel(t.shape)) * 4);
  t.data = host.data();
}

void Executor::Impl::to_device(const ferc_tensor& host, float* device_dst) const {
  if (device_dst) upload(device_dst, host.data, static_cast<size_t>(sdk::numel(host.shape)) * 4);
}

}  // namespace ferc
