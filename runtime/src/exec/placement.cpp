// Choosing a plugin and kernel for every node, and creating the kernels' state.
#include "executor_impl.h"
#include "ferc/log.h"

namespace ferc {

void Executor::Impl::place_nodes(const PluginHost& host) {
  device = host.find_device(options.device);
  if (!device)
    throw Error("no plugin for device '" + options.device +
                "' was found; `ferc plugins` lists the plugins and where they are searched");
  if (!device->usable())
    throw Error("the " + options.device + " plugin (" + device->path().string() +
                ") cannot run here: " + device->unusable_reason());
  if (device->device() != "cpu")
    log::info("exec", "graph '" + graph.name + "' runs on " + options.device +
                          ": each batch's input is copied there and the output back; every other "
                          "tensor stays in " +
                          options.device + " memory");
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
    r.plugin = rec.plugin;
    r.kernel = k;
    r.staging = std::make_unique<HostStaging>();
    log::warn("exec", "node '" + r.node->name + "' (" + r.node->op + ") has no " + options.device +
                          " kernel; it runs on the " + std::string(rec.plugin->name()) +
                          " plugin, its tensors copied between " + options.device +
                          " and host memory at every step");
    return true;
  }
  return false;
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

}  // namespace ferc
