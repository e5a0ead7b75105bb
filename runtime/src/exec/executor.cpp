#include "ferc/executor.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "executor_impl.h"
#include "param_init.h"

namespace ferc {

Executor::Executor(const Graph& graph, const PluginHost& plugins, ExecOptions options)
    : impl_(std::make_unique<Impl>()), options_(options) {
  if (options.max_batch < 1)
    throw Error("batch size must be at least 1, got " + std::to_string(options.max_batch));
  impl_->graph = graph;
  impl_->options = options;
  impl_->place_nodes(plugins);
  impl_->create_kernels();
  impl_->allocate();
}

Executor::~Executor() = default;

void Executor::init_params(uint64_t seed) {
  uint64_t stream = 0;
  for (NodeRun& r : impl_->runs) {
    for (size_t i = 0; i < r.params.size(); ++i) {
      std::vector<float> v = exec::initial_values(r.node->params[i], seed, stream++);
      Impl::put(r.params[i], r.params[i].value, v.data());
    }
  }
}

std::vector<NamedTensor> Executor::params() const {
  std::vector<NamedTensor> out;
  for (const NodeRun& r : impl_->runs)
    for (const ParamSlot& p : r.params) {
      NamedTensor t{p.name, p.shape, std::vector<float>(static_cast<size_t>(p.shape.numel()))};
      Impl::get(p, t.data.data(), p.value);
      out.push_back(std::move(t));
    }
  return out;
}

void Executor::set_params(const std::vector<NamedTensor>& params) {
  std::map<std::string, const NamedTensor*> by_name;
  for (const NamedTensor& t : params) by_name[t.name] = &t;
  for (NodeRun& r : impl_->runs)
    for (ParamSlot& p : r.params) {
      auto it = by_name.find(p.name);
      if (it == by_name.end())
        throw Error("the weights have no tensor '" + p.name + "' (" + to_string(p.shape) +
                    "); they were saved for another model");
      const NamedTensor& t = *it->second;
      if (t.shape != p.shape || t.data.size() != static_cast<size_t>(p.shape.numel()))
        throw Error("tensor '" + p.name + "' in the weights has shape " + to_string(t.shape) +
                    ", the model needs " + to_string(p.shape) +
                    "; they were saved for another model");
      Impl::put(p, p.value, t.data.data());
    }
}

void Executor::forward(const float* input, int batch, float* output) {
  Impl& m = *impl_;
  FERC_ASSERT(batch >= 1 && batch <= options_.max_batch,
              "batch " + std::to_string(batch) + " outside [1, " +
                  std::to_string(options_.max_batch) + "]");
  size_t in_bytes = static_cast<size_t>(batch * m.graph.nodes[0].shape.numel()) * 4;
  m.upload(m.tensor(m.schedule.activation(0)), input, in_bytes);
  m.run_forward(batch, false, 0);
  m.download(output, m.tensor(m.schedule.activation(m.graph.output)),
             static_cast<size_t>(batch * m.classes) * 4);
}

BatchResult Executor::forward_backward(const float* input, const int32_t* labels,
                                       const float* weights, int batch, uint64_t seed,
                                       float* probs_out) {
  Impl& m = *impl_;
  FERC_ASSERT(options_.training, "forward_backward on an executor built for inference");
  FERC_ASSERT(batch >= 1 && batch <= options_.max_batch, "batch outside [1, max_batch]");
  size_t in_bytes = static_cast<size_t>(batch * m.graph.nodes[0].shape.numel()) * 4;
  m.upload(m.tensor(m.schedule.activation(0)), input, in_bytes);
  // Checked here because device plugins cannot report a bad label from inside a kernel.
  for (int i = 0; i < batch; ++i)
    FERC_ASSERT(labels[i] >= 0 && labels[i] < m.classes,
                "label " + std::to_string(labels[i]) + " of sample " + std::to_string(i) +
                    " outside 0.." + std::to_string(m.classes - 1));
  std::vector<float> label_f(labels, labels + batch);
  m.upload(m.labels.data(), label_f.data(), static_cast<size_t>(batch) * 4);
  m.upload(m.weights.data(), weights, static_cast<size_t>(batch) * 4);
  m.run_forward(batch, true, seed);
  // Backward is queued before the probabilities are read back, so a device plugin runs the
  // whole step without waiting for the host; the schedule keeps the output alive to the end.
  m.run_backward(batch, seed);

  std::vector<float> probs(static_cast<size_t>(batch * m.classes));
  m.download(probs.data(), m.tensor(m.schedule.activation(m.graph.output)), probs.size() * 4);
  BatchResult result;
  for (int i = 0; i < batch; ++i) {
    const float* p = probs.data() + static_cast<size_t>(i * m.classes);
    double ce = -std::log(std::max(static_cast<double>(p[labels[i]]), 1e-30));
    result.ce_sum += ce;
    result.objective += weights[i] * ce;
    if (std::max_element(p, p + m.classes) - p != labels[i]) ++result.errors;
  }
  if (probs_out) std::copy(probs.begin(), probs.end(), probs_out);
  return result;
}

void Executor::optimizer_step(const OptimizerConfig& config, int64_t step) {
  Impl& m = *impl_;
  bool adam = config.kind == "adam";
  for (NodeRun& r : m.runs)
    for (ParamSlot& p : r.params) {
      if (!p.trainable) continue;
      const ferc_plugin& api = p.plugin->table();
      size_t count = static_cast<size_t>(p.shape.numel());
      if (!p.slot1.data()) {
        p.slot1 = DeviceBuffer(p.plugin, count * 4);
        api.fill(p.slot1.data(), 0.0f, count);
        if (adam) {
          p.slot2 = DeviceBuffer(p.plugin, count * 4);
          api.fill(p.slot2.data(), 0.0f, count);
        }
      }
      int rc;
      if (adam) {
        ferc_adam_args a{config.lr,  config.beta1,        config.beta2,
                         config.eps, config.weight_decay, step};
        rc = api.adam_step ? api.adam_step(&a, p.value.data(), p.grad.data(), p.slot1.data(),
                                           p.slot2.data(), count)
                           : FERC_UNSUPPORTED;
      } else {
        ferc_sgd_args a{config.lr, config.momentum, config.weight_decay, config.nesterov ? 1 : 0};
        rc = api.sgd_step ? api.sgd_step(&a, p.value.data(), p.grad.data(), p.slot1.data(), count)
                          : FERC_UNSUPPORTED;
      }
      if (rc != FERC_OK)
        throw Error("the " + config.kind + " step for '" + p.name + "' failed on plugin " +
                    std::string(p.plugin->name()) +
                    (rc == FERC_UNSUPPORTED ? ": the plugin has no such optimizer" : ""));
    }
}

std::vector<NamedTensor> Executor::optimizer_slots() const {
  std::vector<NamedTensor> out;
  auto save = [&](const ParamSlot& p, const DeviceBuffer& b, const char* suffix) {
    if (!b.data()) return;
    NamedTensor t{p.name + suffix, p.shape,
                  std::vector<float>(static_cast<size_t>(p.shape.numel()))};
    Impl::get(p, t.data.data(), b);
    out.push_back(std::move(t));
  };
  for (const NodeRun& r : impl_->runs)
    for (const ParamSlot& p : r.params) {
      save(p, p.slot1, ".slot1");
      save(p, p.slot2, ".slot2");
    }
  return out;
}

void Executor::set_optimizer_slots(const std::vector<NamedTensor>& slots) {
  std::map<std::string, const NamedTensor*> by_name;
  for (const NamedTensor& t : slots) by_name[t.name] = &t;
  auto load = [&](ParamSlot& p, DeviceBuffer& b, const char* suffix) {
    auto it = by_name.find(p.name + suffix);
    if (it == by_name.end()) {
      b = DeviceBuffer();  // no saved state: the optimizer starts this slot from zero
      return;
    }
    size_t count = static_cast<size_t>(p.shape.numel());
    if (it->second->data.size() != count)
      throw Error("optimizer state '" + it->first + "' does not match parameter shape " +
                  to_string(p.shape));
    if (!b.data()) b = DeviceBuffer(p.plugin, count * 4);
    Impl::put(p, b, it->second->data.data());
  };
  for (NodeRun& r : impl_->runs)
    for (ParamSlot& p : r.params) {
      load(p, p.slot1, ".slot1");
      load(p, p.slot2, ".slot2");
    }
}

int64_t Executor::activation_bytes() const {
  return impl_->plan.total_bytes();
}

std::vector<std::string> Executor::placement() const {
  std::vector<std::string> out;
  for (const NodeRun& r : impl_->runs)
    out.push_back(r.plugin ? std::string(r.plugin->name()) : "host");
  return out;
}

void Executor::set_profiling(bool on) {
  impl_->profiling = on;
}

std::vector<NodeTiming> Executor::timings() const {
  return impl_->timing;
}

int64_t planned_activation_bytes(const Graph& graph, int batch, bool training) {
  exec::Schedule s = exec::build_schedule(graph, batch, training);
  return plan_memory(s.tensors, true).total_bytes();
}

}  // namespace ferc
