#include "harness.h"

#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "ferc/ops/schema.h"

namespace ferc::test {

PluginLib::PluginLib(const std::string& path, uint32_t host_abi) {
  handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) throw std::runtime_error("cannot open plugin " + path + ": " + dlerror());
  entry_ = reinterpret_cast<ferc_plugin_entry_fn>(dlsym(handle_, FERC_ENTRY_SYMBOL));
  if (!entry_) throw std::runtime_error(path + " does not export " FERC_ENTRY_SYMBOL);
  table_ = entry_(host_abi);
}

PluginLib::~PluginLib() {
  if (handle_) dlclose(handle_);
}

const ferc_kernel& PluginLib::kernel(std::string_view op) const {
  if (!table_) throw std::runtime_error("the plugin refused this host's ABI version");
  for (int32_t i = 0; i < table_->n_kernels; ++i)
    if (op == table_->kernels[i].op) return table_->kernels[i];
  throw std::runtime_error("plugin '" + std::string(table_->name) + "' has no kernel for op '" +
                           std::string(op) + "'");
}

// Storage behind the ferc_node_desc given to create(): names, shapes and attributes.
struct NodeRun::Desc {
  std::vector<std::string> names;
  std::vector<ferc_attr> attrs;
  std::vector<ferc_shape> inputs, params;
  ferc_node_desc desc{};
};

// A device allocation of `count` floats, released through the plugin.
class NodeRun::Buffer {
 public:
  Buffer(const ferc_plugin& p, size_t count) : p_(&p), count_(count) {
    data_ = static_cast<float*>(p.alloc((count ? count : 1) * sizeof(float)));
    if (!data_)
      throw std::runtime_error("plugin alloc of " + std::to_string(count) + " floats failed");
  }
  ~Buffer() { p_->release(data_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  void upload(const std::vector<float>& v) {
    if (v.size() != count_)
      throw std::runtime_error("expected " + std::to_string(count_) + " values, got " +
                               std::to_string(v.size()));
    if (p_->upload(data_, v.data(), count_ * sizeof(float)) != FERC_OK)
      throw std::runtime_error("upload failed");
  }
  std::vector<float> download() const {
    std::vector<float> out(count_);
    if (p_->download(out.data(), data_, count_ * sizeof(float)) != FERC_OK)
      throw std::runtime_error("download failed");
    return out;
  }
  // NaN everywhere, so a gradient the kernel forgets to overwrite cannot pass a check.
  void poison() { p_->fill(data_, std::nanf(""), count_); }
  float* data() { return data_; }

 private:
  const ferc_plugin* p_;
  size_t count_;
  float* data_;
};

namespace {

ferc_shape with_batch(int64_t n, const Shape& s) {
  ferc_shape out{};
  out.rank = s.rank() + 1;
  out.dims[0] = n;
  for (int i = 0; i < s.rank(); ++i) out.dims[i + 1] = s[i];
  return out;
}

ferc_shape plain(const Shape& s) {
  ferc_shape out{};
  out.rank = s.rank();
  for (int i = 0; i < s.rank(); ++i) out.dims[i] = s[i];
  return out;
}

Shape from_abi(const ferc_shape& s) {
  return Shape(std::vector<int64_t>(s.dims, s.dims + s.rank));
}

// Defaults of a plugin op's attributes, parsed from their DSL text (numbers only).
Attrs plugin_defaults(const ferc_kernel& k, const std::vector<AttrArg>& given) {
  Attrs out;
  for (int32_t i = 0; i < k.n_attr_specs; ++i) {
    const ferc_attr_spec& a = k.attr_specs[i];
    if (!a.default_value) continue;
    if (a.kind == FERC_ATTR_FLOAT) out.set(a.name, std::strtod(a.default_value, nullptr));
    if (a.kind == FERC_ATTR_INT)
      out.set(a.name, int64_t{std::strtoll(a.default_value, nullptr, 10)});
  }
  for (const AttrArg& g : given) out.set(g.name, g.value);
  return out;
}

ferc_attr to_abi(const std::string& name, const AttrValue& v) {
  ferc_attr a{};
  a.name = name.c_str();
  if (auto* i = std::get_if<int64_t>(&v)) a.kind = FERC_ATTR_INT, a.i = *i;
  if (auto* d = std::get_if<double>(&v)) a.kind = FERC_ATTR_FLOAT, a.f = *d;
  if (auto* s = std::get_if<std::string>(&v)) a.kind = FERC_ATTR_STRING, a.s = s->c_str();
  if (auto* d = std::get_if<std::vector<int64_t>>(&v)) {
    a.kind = FERC_ATTR_INTS;
    a.n_ints = static_cast<int32_t>(d->size());
    for (size_t i = 0; i < d->size(); ++i) a.ints[i] = (*d)[i];
  }
  return a;
}

}  // namespace

NodeRun::NodeRun(const PluginLib& lib, NodeSpec spec)
    : lib_(lib),
      kernel_(lib.kernel(spec.op)),
      spec_(std::move(spec)),
      desc_(std::make_unique<Desc>()) {
  static const ops::OpRegistry registry = ops::builtin_registry();
  Attrs attrs;
  char err[512] = "";
  if (const ops::OpSchema* schema = registry.find(spec_.op)) {
    std::vector<RawAttr> raw;
    for (const AttrArg& a : spec_.attrs) raw.push_back({a.name, a.value, {}});
    attrs = ops::bind_attrs(*schema, raw, {});
    ops::Inferred inf = schema->infer(spec_.inputs, attrs);
    output_ = inf.output;
    for (const ParamSpec& p : inf.params) params_.push_back(p.shape);
  } else {
    attrs = plugin_defaults(kernel_, spec_.attrs);
  }
  // Keep the strings alive while the plugin may look at them.
  auto& d = *desc_;
  for (const auto& [name, value] : attrs.all()) d.names.push_back(name);
  size_t k = 0;
  for (const auto& [name, value] : attrs.all()) d.attrs.push_back(to_abi(d.names[k++], value));
  d.desc.op = spec_.op.c_str();
  d.desc.name = "node";
  d.desc.n_attrs = static_cast<int32_t>(d.attrs.size());
  d.desc.attrs = d.attrs.data();
  d.desc.training = spec_.training;
  if (kernel_.infer) {  // a plugin op: per-sample shapes go in, shapes come out
    for (const Shape& s : spec_.inputs) d.inputs.push_back(plain(s));
    d.desc.n_inputs = static_cast<int32_t>(d.inputs.size());
    d.desc.input_shapes = d.inputs.data();
    ferc_shape out{}, ps[8]{};
    int32_t np = 0;
    check(kernel_.infer(&d.desc, &out, &np, ps, err, sizeof err), "infer", err);
    output_ = from_abi(out);
    for (int32_t i = 0; i < np; ++i) params_.push_back(from_abi(ps[i]));
  } else if (spec_.op == "softmax_cross_entropy") {
    output_ = spec_.inputs.at(0);
  }
  d.inputs.clear();
  for (const Shape& s : spec_.inputs) d.inputs.push_back(with_batch(spec_.max_batch, s));
  for (const Shape& s : params_) d.params.push_back(plain(s));
  d.desc.n_inputs = static_cast<int32_t>(d.inputs.size());
  d.desc.input_shapes = d.inputs.data();
  d.desc.output_shape = with_batch(spec_.max_batch, output_);
  d.desc.n_params = static_cast<int32_t>(d.params.size());
  d.desc.param_shapes = d.params.data();
  if (kernel_.create) check(kernel_.create(&d.desc, &state_, err, sizeof err), "create", err);
}

NodeRun::~NodeRun() {
  if (kernel_.destroy) kernel_.destroy(state_);
}

void NodeRun::check(int rc, const char* what, const char* err) const {
  if (rc != FERC_OK)
    throw std::runtime_error(std::string(what) + " of op '" + spec_.op + "' failed: " + err);
}

ferc_tensor NodeRun::tensor(Buffer& b, int64_t n, const Shape& per_sample) const {
  return {b.data(), with_batch(n, per_sample)};
}

Values NodeRun::random_values(int64_t n, uint64_t seed) const {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  auto fill = [&](size_t count) {
    std::vector<float> v(count);
    for (float& x : v) x = u(rng);
    return v;
  };
  Values v;
  for (const Shape& s : spec_.inputs) v.inputs.push_back(fill(static_cast<size_t>(n * s.numel())));
  for (const Shape& s : params_) v.params.push_back(fill(static_cast<size_t>(s.numel())));
  return v;
}

std::vector<float> NodeRun::forward(int64_t n, Values& values, bool training, uint64_t seed) {
  const ferc_plugin& p = *lib_.table();
  std::vector<std::unique_ptr<Buffer>> in, par;
  std::vector<ferc_tensor> in_t, par_t;
  for (size_t i = 0; i < spec_.inputs.size(); ++i) {
    in.push_back(std::make_unique<Buffer>(p, static_cast<size_t>(n * spec_.inputs[i].numel())));
    in.back()->upload(values.inputs.at(i));
    in_t.push_back(tensor(*in.back(), n, spec_.inputs[i]));
  }
  for (size_t i = 0; i < params_.size(); ++i) {
    par.push_back(std::make_unique<Buffer>(p, static_cast<size_t>(params_[i].numel())));
    par.back()->upload(values.params.at(i));
    par_t.push_back({par.back()->data(), plain(params_[i])});
  }
  Buffer out(p, static_cast<size_t>(n * output_.numel()));
  ferc_call call{};
  call.training = training;
  call.seed = seed;
  call.n_inputs = static_cast<int32_t>(in_t.size());
  call.inputs = in_t.data();
  call.output = tensor(out, n, output_);
  call.n_params = static_cast<int32_t>(par_t.size());
  call.params = par_t.data();
  char err[512] = "";
  check(kernel_.forward(state_, &call, err, sizeof err), "forward", err);
  for (size_t i = 0; i < par.size(); ++i) values.params[i] = par[i]->download();
  return out.download();
}

Gradients NodeRun::backward(int64_t n, const Values& values, const std::vector<float>& d_output,
                            uint64_t seed) {
  if (!kernel_.backward) throw std::runtime_error("op '" + spec_.op + "' has no backward kernel");
  const ferc_plugin& p = *lib_.table();
  auto make = [&](size_t count) { return std::make_unique<Buffer>(p, count); };
  std::vector<std::unique_ptr<Buffer>> in, par, d_in, d_par;
  std::vector<ferc_tensor> in_t, par_t, d_in_t, d_par_t;
  for (size_t i = 0; i < spec_.inputs.size(); ++i) {
    size_t count = static_cast<size_t>(n * spec_.inputs[i].numel());
    in.push_back(make(count));
    in.back()->upload(values.inputs.at(i));
    in_t.push_back(tensor(*in.back(), n, spec_.inputs[i]));
    d_in.push_back(make(count));
    d_in.back()->poison();
    d_in_t.push_back(tensor(*d_in.back(), n, spec_.inputs[i]));
  }
  for (size_t i = 0; i < params_.size(); ++i) {
    size_t count = static_cast<size_t>(params_[i].numel());
    par.push_back(make(count));
    par.back()->upload(values.params.at(i));
    par_t.push_back({par.back()->data(), plain(params_[i])});
    d_par.push_back(make(count));
    d_par.back()->poison();
    d_par_t.push_back({d_par.back()->data(), plain(params_[i])});
  }
  Buffer out(p, static_cast<size_t>(n * output_.numel()));
  Buffer d_out(p, static_cast<size_t>(n * output_.numel()));
  d_out.upload(d_output);
  ferc_call call{};
  call.training = 1;
  call.seed = seed;
  call.n_inputs = static_cast<int32_t>(in_t.size());
  call.inputs = in_t.data();
  call.output = tensor(out, n, output_);
  call.n_params = static_cast<int32_t>(par_t.size());
  call.params = par_t.data();
  call.d_output = tensor(d_out, n, output_);
  call.d_inputs = d_in_t.data();
  call.d_params = d_par_t.data();
  char err[512] = "";
  check(kernel_.forward(state_, &call, err, sizeof err), "forward", err);
  check(kernel_.backward(state_, &call, err, sizeof err), "backward", err);
  Gradients g;
  g.output = out.download();
  for (auto& b : d_in) g.inputs.push_back(b->download());
  for (auto& b : d_par) g.params.push_back(b->download());
  return g;
}

}  // namespace ferc::test
