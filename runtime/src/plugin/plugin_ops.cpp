// Schemas for ops that plugins bring: built from the kernel's attribute declarations and its
// C shape-inference callback, so the DSL treats them exactly like built-in ops.
#include "ferc/abi_convert.h"
#include "ferc/plugin_host.h"
#include "plugin_check.h"

namespace ferc {
namespace {

// Room that ferc_infer_fn gives for parameter shapes.
constexpr int32_t kMaxInferParams = 8;

using plugin_check::kind_from_abi;
using plugin_check::parse_default;

// What a plugin's shape inference returned, checked before anything reads past FERC_MAX_RANK
// or sizes a tensor with it. The graph builder adds the node and its position.
Shape checked_shape(const std::string& plugin, const std::string& what, const ferc_shape& s,
                    int max_rank) {
  auto fail = [&](const std::string& why) {
    throw ops::ShapeError("the shape inference of plugin " + plugin + " returned " + what + " " +
                          why + "; fix the plugin's infer function");
  };
  if (s.rank < 1 || s.rank > max_rank)
    fail("of rank " + std::to_string(s.rank) + "; it must have rank 1 to " +
         std::to_string(max_rank) +
         (max_rank < FERC_MAX_RANK
              ? " (FERC_MAX_RANK " + std::to_string(FERC_MAX_RANK) + " counts the batch dimension)"
              : ""));
  Shape out = from_abi(s, false);
  for (int64_t d : out.dims)
    if (d <= 0) fail(to_string(out) + ", with a dimension that is not positive");
  return out;
}

ops::OpSchema schema_from_kernel(const Plugin& plugin, const ferc_kernel& k) {
  ops::OpSchema s;
  s.name = k.op;
  s.summary = k.summary ? k.summary : "";
  s.min_inputs = k.min_inputs;
  s.max_inputs = k.max_inputs;
  s.origin = plugin.path().string();
  s.differentiable = k.backward != nullptr;
  for (int i = 0; i < k.n_attr_specs; ++i) {
    const ferc_attr_spec& a = k.attr_specs[i];
    ops::AttrSpec spec;
    spec.name = a.name;
    spec.kind = kind_from_abi(a.kind);
    if (a.default_value) spec.default_value = parse_default(s.name, a);
    spec.positional = a.positional != 0;
    spec.doc = a.doc ? a.doc : "";
    s.attrs.push_back(std::move(spec));
  }
  ferc_infer_fn infer = k.infer;
  std::string op = s.name, origin = s.origin;
  s.infer = [infer, op, origin](const std::vector<Shape>& inputs, const Attrs& attrs) {
    std::vector<ferc_shape> in;
    for (const Shape& sh : inputs) in.push_back(to_abi(sh));
    AbiAttrs abi_attrs(attrs);
    ferc_node_desc desc{};
    desc.op = op.c_str();
    desc.name = op.c_str();
    desc.n_inputs = static_cast<int32_t>(in.size());
    desc.input_shapes = in.data();
    desc.n_attrs = abi_attrs.size();
    desc.attrs = abi_attrs.data();
    ferc_shape out{};
    ferc_shape params[kMaxInferParams]{};
    int32_t n_params = 0;
    char err[512] = {0};
    int rc = infer(&desc, &out, &n_params, params, err, sizeof err);
    err[sizeof err - 1] = '\0';  // a plugin that filled the buffer left no terminator
    if (rc != FERC_OK) throw ops::ShapeError(*err ? err : "shape inference failed");
    ops::Inferred r;
    // Kernels see one more dimension than the per-sample output: the batch.
    r.output = checked_shape(origin, "an output", out, FERC_MAX_RANK - 1);
    if (n_params < 0 || n_params > kMaxInferParams)
      throw ops::ShapeError("the shape inference of plugin " + origin + " returned " +
                            std::to_string(n_params) + " parameters; it may return 0 to " +
                            std::to_string(kMaxInferParams) + "; fix the plugin's infer function");
    for (int32_t i = 0; i < n_params; ++i) {
      std::string name = "param" + std::to_string(i);
      Shape ps = checked_shape(origin, "parameter '" + name + "'", params[i], FERC_MAX_RANK);
      int64_t fan_in = 1;  // saturates: the builder refuses a parameter that large anyway
      for (int d = ps.rank() > 1 ? 1 : 0; d < ps.rank(); ++d)
        if (__builtin_mul_overflow(fan_in, ps[d], &fan_in)) fan_in = INT64_MAX;
      r.params.push_back({name, ps, Init::HeNormal, true, fan_in, ps[0]});
    }
    return r;
  };
  return s;
}

}  // namespace

void PluginHost::register_plugin_ops(ops::OpRegistry& registry) const {
  for (const auto& r : records_) {
    if (!r.plugin) continue;
    const ferc_plugin& t = r.plugin->table();
    for (int i = 0; i < t.n_kernels; ++i) {
      const ferc_kernel& k = t.kernels[i];
      // Built-in ops and ops an earlier plugin declared keep their schema. Plugin::open has
      // refused new ops that lack shape inference.
      if (registry.find(k.op) || plugin_check::is_builtin_op(k.op)) continue;
      registry.add(schema_from_kernel(*r.plugin, k));
    }
  }
}

}  // namespace ferc
