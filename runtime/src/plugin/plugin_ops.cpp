// Schemas for ops that plugins bring: built from the kernel's attribute declarations and its
// C shape-inference callback, so the DSL treats them exactly like built-in ops.
#include <charconv>

#include "ferc/abi_convert.h"
#include "ferc/plugin_host.h"

namespace ferc {
namespace {

AttrKind kind_from_abi(ferc_attr_kind k) {
  switch (k) {
    case FERC_ATTR_INT:
      return AttrKind::Int;
    case FERC_ATTR_FLOAT:
      return AttrKind::Float;
    case FERC_ATTR_STRING:
      return AttrKind::String;
    case FERC_ATTR_INTS:
      return AttrKind::Ints;
  }
  return AttrKind::String;
}

// Default values are declared as DSL text; only the plain forms are needed here.
AttrValue parse_default(const std::string& op, const ferc_attr_spec& spec) {
  std::string text = spec.default_value;
  try {
    switch (spec.kind) {
      case FERC_ATTR_INT:
        return int64_t{std::stoll(text)};
      case FERC_ATTR_FLOAT:
        return std::stod(text);
      case FERC_ATTR_STRING:
        return text;
      case FERC_ATTR_INTS: {
        std::vector<int64_t> dims;
        size_t pos = 0;
        while (pos <= text.size()) {
          size_t x = text.find('x', pos);
          dims.push_back(std::stoll(text.substr(pos, x - pos)));
          if (x == std::string::npos) break;
          pos = x + 1;
        }
        return dims;
      }
    }
  } catch (const std::exception&) {
  }
  throw Error("op '" + op + "': default '" + text + "' of attribute '" + spec.name + "' is not " +
              to_string(kind_from_abi(spec.kind)));
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
  std::string op = s.name;
  s.infer = [infer, op](const std::vector<Shape>& inputs, const Attrs& attrs) {
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
    ferc_shape params[8]{};
    int32_t n_params = 0;
    char err[512] = {0};
    if (infer(&desc, &out, &n_params, params, err, sizeof err) != FERC_OK)
      throw ops::ShapeError(*err ? err : "shape inference failed");
    ops::Inferred r;
    r.output = from_abi(out, false);
    for (int32_t i = 0; i < n_params && i < 8; ++i) {
      Shape ps = from_abi(params[i], false);
      int64_t fan_in = ps.rank() > 1 ? ps.numel() / ps[0] : ps.numel();
      r.params.push_back({"param" + std::to_string(i), ps, Init::HeNormal, true, fan_in, ps[0]});
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
      if (registry.find(k.op) || std::string_view(k.op) == FERC_LOSS_OP) continue;  // known op
      if (!k.infer)
        throw Error("plugin " + r.path.string() + " has a kernel for op '" + k.op +
                    "', which ferc does not know, without a shape-inference function; "
                    "fill ferc_kernel::infer and attr_specs for new ops");
      registry.add(schema_from_kernel(*r.plugin, k));
    }
  }
}

}  // namespace ferc
