#include "ferc/executor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "device_buffer.h"
#include "ferc/abi_convert.h"
#include "ferc/log.h"
#include "ferc/plugin_sdk.hpp"
#include "param_init.h"
#include "schedule.h"

namespace ferc {

using exec::DeviceBuffer;
using exec::KernelState;

namespace {

constexpr const char* kLossOp = FERC_LOSS_OP;

// Mixes a seed with a node id so each stochastic node draws its own stream.
uint64_t mix(uint64_t seed, uint64_t id) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (id + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

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

}  // namespace

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
  void to_host(std::vector<ferc_tensor>& ts, const std::vector<DeviceBuffer>& host) const;
  void to_device(const ferc_tensor& host, float* device_dst) const;
  void create_kernels();
  void allocate();
  void check(int rc, const NodeRun& r, const char* what, const char* err) const;
  ferc_tensor act(int node, int batch) const;
  void run_forward(int batch, bool training, uint64_t seed);
  void run_backward(int batch);
  void upload(float* dst, const void* src, size_t bytes) const;
  /// Copies into or out of a parameter's memory, which belongs to its node's plugin.
  static void put(const ParamSlot& p, const DeviceBuffer& dst, const float* src);
  static void get(const ParamSlot& p, float* dst, const DeviceBuffer& src);
  void download(void* dst, const float* src, size_t bytes) const;
  template <class F>
  void timed(int node, bool backward, F&& f);
};

void Executor::Impl::check(int rc, const NodeRun& r, const char* what, const char* err) const {
  if (rc == FERC_OK) return;
  throw Error("node '" + r.node->name + "' (" + r.node->op + ") " + what + " failed on plugin " +
              std::string(r.plugin->name()) + ": " + (*err ? err : "no reason given"));
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

void Executor::Impl::place_nodes(const PluginHost& host) {
  device = host.find_device(options.device);
  if (!device)
    throw Error("no plugin for device '" + options.device +
                "' was found; `ferc plugins` lists the plugins and where they are searched");
  if (!device->usable())
    throw Error("the " + options.device + " plugin (" + device->path().string() +
                ") cannot run here: " + device->unusable_reason());
  runs.resize(graph.nodes.size());
  for (const Node& node : graph.nodes) {
    NodeRun& r = runs[static_cast<size_t>(node.id)];
    r.node = &node;
    if (node.id == 0) continue;  // the input is filled by upload
    std::vector<std::shared_ptr<Plugin>> candidates{device};
    for (const auto& rec : host.records())
      if (rec.plugin && rec.plugin != device && rec.plugin->device() == device->device() &&
          rec.plugin->usable())
        candidates.push_back(rec.plugin);
    for (const auto& p : candidates) {
      if (const ferc_kernel* k = p->kernel(node.op)) {
        r.plugin = p;
        r.kernel = k;
        break;
      }
    }
    if (!r.kernel && !place_on_host(r, host))
      throw Error("node '" + node.name + "' (" + node.op + ") has no kernel on device '" +
                  options.device + "'; `ferc plugins` lists which ops each plugin runs");
    if (options.training && !r.kernel->backward)
      throw Error("node '" + node.name + "' (" + node.op + ") cannot be trained on device '" +
                  options.device + "': plugin " + r.plugin->path().string() +
                  " has no backward for it");
  }
  if (options.training) {
    const Node& out = graph.nodes[static_cast<size_t>(graph.output)];
    if (out.op != "softmax")
      throw Error("training needs the model to end in softmax, but its output is node '" +
                  out.name + "' (" + out.op + "); add `-> softmax` after the last layer");
    NodeRun& r = runs[static_cast<size_t>(graph.output)];
    r.loss_kernel = r.plugin->kernel(kLossOp);
    if (!r.loss_kernel || !r.loss_kernel->backward)
      throw Error("plugin " + r.plugin->path().string() + " lacks the '" + kLossOp +
                  "' kernel that training needs");
  }
}

// A node whose op the device lacks runs on a CPU plugin, its tensors copied through host
// memory. Never silent: the copies cost time on every step.
bool Executor::Impl::place_on_host(NodeRun& r, const PluginHost& host) {
  if (device->device() == "cpu") return false;
  for (const auto& rec : host.records()) {
    if (!rec.plugin || rec.plugin->device() != "cpu" || !rec.plugin->usable()) continue;
    const ferc_kernel* k = rec.plugin->kernel(r.node->op);
    if (!k) continue;
    if (r.node->id == graph.output && options.training)
      return false;  // the fused loss reads labels in device memory
    r.plugin = rec.plugin;
    r.kernel = k;
    r.staging = std::make_unique<HostStaging>();
    log::warn("exec", "node '" + r.node->name + "' (" + r.node->op + ") has no " + options.device +
                          " kernel; it runs on the " + std::string(rec.plugin->name()) +
                          " plugin with its inputs and outputs "
                          "copied between " +
                          options.device + " and host memory");
    return true;
  }
  return false;
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
  h.output = DeviceBuffer(r.plugin, bytes(r.node->shape));
  if (options.training) h.d_output = DeviceBuffer(r.plugin, bytes(r.node->shape));
}

void Executor::Impl::to_host(std::vector<ferc_tensor>& ts,
                             const std::vector<DeviceBuffer>& host) const {
  for (size_t i = 0; i < ts.size() && i < host.size(); ++i) {
    if (ts[i].data)
      download(host[i].data(), ts[i].data, static_cast<size_t>(sdk::numel(ts[i].shape)) * 4);
    ts[i].data = host[i].data();
  }
}

void Executor::Impl::to_device(const ferc_tensor& host, float* device_dst) const {
  if (device_dst) upload(device_dst, host.data, static_cast<size_t>(sdk::numel(host.shape)) * 4);
}

void Executor::Impl::create_kernels() {
  for (NodeRun& r : runs) {
    if (!r.kernel) continue;
    const Node& node = *r.node;
    std::vector<ferc_shape> ins;
    for (int in : node.inputs)
      ins.push_back(to_abi(graph.nodes[static_cast<size_t>(in)].shape, options.max_batch));
    std::vector<ferc_shape> ps;
    for (const ParamSpec& p : node.params) ps.push_back(to_abi(p.shape));
    r.attrs = std::make_unique<AbiAttrs>(node.attrs);
    ferc_node_desc d{};
    d.op = node.op.c_str();
    d.name = node.name.c_str();
    d.n_inputs = static_cast<int32_t>(ins.size());
    d.input_shapes = ins.data();
    d.output_shape = to_abi(node.shape, options.max_batch);
    d.n_params = static_cast<int32_t>(ps.size());
    d.param_shapes = ps.data();
    d.n_attrs = r.attrs->size();
    d.attrs = r.attrs->data();
    d.training = options.training ? 1 : 0;
    char err[512] = {0};
    void* state = nullptr;
    if (r.kernel->create) check(r.kernel->create(&d, &state, err, sizeof err), r, "create", err);
    r.state = KernelState(r.kernel, state);
    if (r.staging) stage(r);
    if (r.loss_kernel) {
      ferc_shape n1 = to_abi(Shape{}, options.max_batch);
      ins = {ins[0], n1, n1};
      d.op = kLossOp;
      d.n_inputs = 3;
      d.input_shapes = ins.data();
      state = nullptr;
      if (r.loss_kernel->create)
        check(r.loss_kernel->create(&d, &state, err, sizeof err), r, "create", err);
      r.loss_state = KernelState(r.loss_kernel, state);
    }
  }
}

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
    call.seed = mix(seed, static_cast<uint64_t>(node.id));
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
        to_host(ins, r.staging->inputs);
        call.output.data = r.staging->output.data();
      }
      check(k->forward(state, &call, err, sizeof err), r, "forward", err);
      if (r.staging) to_device(call.output, device_out);
    });
  }
}

void Executor::Impl::run_backward(int batch) {
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
        to_host(ins, h.inputs);
        download(h.output.data(), call.output.data,
                 static_cast<size_t>(sdk::numel(call.output.shape)) * 4);
        download(h.d_output.data(), call.d_output.data,
                 static_cast<size_t>(sdk::numel(call.d_output.shape)) * 4);
        call.output.data = h.output.data();
        call.d_output.data = h.d_output.data();
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
  std::vector<float> label_f(labels, labels + batch);
  m.upload(m.labels.data(), label_f.data(), static_cast<size_t>(batch) * 4);
  m.upload(m.weights.data(), weights, static_cast<size_t>(batch) * 4);
  m.run_forward(batch, true, seed);

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
  m.run_backward(batch);
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
