#include "builder.h"

#include <algorithm>
#include <limits>
#include <map>

#include "grammar.h"

namespace ferc::dsl {
namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "'" : i + 1 == names.size() ? "' or '" : "', '") + names[i];
  return out.empty() ? out : out + "'";
}

std::string arity_text(const ops::OpSchema& s) {
  auto inputs = [](int n) { return std::to_string(n) + (n == 1 ? " input" : " inputs"); };
  if (s.max_inputs < 0) return "at least " + inputs(s.min_inputs);
  if (s.min_inputs == s.max_inputs) return "exactly " + inputs(s.min_inputs);
  return std::to_string(s.min_inputs) + " to " + inputs(s.max_inputs);
}

class Builder {
 public:
  Builder(const SourceText& src, const ops::OpRegistry& ops) : src_(src), ops_(ops) {}

  void statement(const Statement& st);
  Graph finish();

 private:
  void chain(const AstChain& c);
  int call(const AstCall& c, std::vector<int> inputs);
  int source(const AstCall& c);
  int lookup(const std::string& name, const char* pos) const;
  void undefined_word(const AstCall& c) const;
  const ops::OpSchema& schema(const AstCall& c) const;
  void infer(Node& n, const ops::OpSchema& s);
  std::string auto_name(const std::string& op);
  void define(const std::string& name, const char* pos, int id);
  void setting(const AstSetting& s);
  [[noreturn]] void fail(const char* pos, const std::string& msg) const {
    throw SourceError(src_.loc_at(pos), msg);
  }

  const SourceText& src_;
  const ops::OpRegistry& ops_;
  Graph g_;
  std::map<std::string, int> names_;       // every node name -> id
  std::map<std::string, int> op_counts_;   // for conv1, conv2, ...
  std::map<int, const char*> user_named_;  // ids named with `NAME =`, and where
  const char* model_pos_ = nullptr;
  int previous_ = -1;  // output of the previous statement
};

void Builder::statement(const Statement& st) {
  switch (st.kind) {
    case StatementKind::Model:
      if (model_pos_) fail(st.begin, "the model is named twice; keep one 'model NAME' line");
      model_pos_ = st.begin;
      g_.name = parse_model_name(src_, st);
      return;
    case StatementKind::Train:
      parse_train_open(src_, st);
      for (std::string_view line : st.lines) {
        AstSetting s;
        if (parse_setting(src_, line, s)) setting(s);
      }
      return;
    case StatementKind::Chain:
      chain(parse_chain(src_, st));
      return;
  }
}

void Builder::setting(const AstSetting& s) {
  auto it = g_.train.find(s.key);
  if (it != g_.train.end())
    fail(s.pos, "train setting '" + s.key + "' is given twice (first on line " +
                    std::to_string(it->second.loc.line) + "); keep one");
  g_.train[s.key] = Setting{s.value.value, src_.loc_at(s.value.pos), src_.loc_at(s.pos)};
}

void Builder::chain(const AstChain& c) {
  int id = source(c.calls.front());
  for (size_t i = 1; i < c.calls.size(); ++i) {
    if (c.calls[i].op == "input")
      fail(c.calls[i].pos, "'input' starts the first chain and cannot follow '->'");
    id = call(c.calls[i], {id});
  }
  if (!c.name.empty()) {
    if (id == previous_ || (c.calls.size() == 1 && names_.count(c.calls[0].op)))
      fail(c.name_pos, "'" + c.name + " =' names no new node; '" + c.name +
                           "' would be another name for '" + g_.nodes[id].name + "'");
    names_.erase(g_.nodes[id].name);
    define(c.name, c.name_pos, id);
    user_named_[id] = c.name_pos;
  }
  previous_ = id;
}

int Builder::source(const AstCall& c) {
  if (c.has_args) {
    std::vector<int> inputs;
    for (const AstArg& a : c.args) inputs.push_back(lookup(a.name, a.pos));
    return call(c, inputs);
  }
  bool is_op = ops_.find(c.op) != nullptr;
  if (!is_op && c.attrs.empty() && names_.count(c.op)) return names_.at(c.op);
  if (!is_op && c.attrs.empty() && previous_ >= 0) undefined_word(c);
  if (c.op == "input") {
    if (!g_.nodes.empty())
      fail(c.pos,
           "a second 'input' statement; a model has exactly one, first (the first is on "
           "line " +
               std::to_string(g_.nodes[0].loc.line) + ")");
    return call(c, {});
  }
  if (g_.nodes.empty() && is_op)
    fail(c.pos,
         "missing input statement: a model starts with 'input' and a shape, e.g. "
         "'input 1x48x48', found op '" +
             c.op + "'");
  return call(c, previous_ < 0 ? std::vector<int>{} : std::vector<int>{previous_});
}

// A bare word that is neither an op nor a tensor: report it as whichever it resembles more.
void Builder::undefined_word(const AstCall& c) const {
  size_t tensor_d = 3, op_d = 3;
  for (const auto& [name, id] : names_)
    tensor_d = std::min(tensor_d, ops::edit_distance(name, c.op));
  for (const std::string& op : ops_.names()) op_d = std::min(op_d, ops::edit_distance(op, c.op));
  if (tensor_d <= 2 && tensor_d <= op_d) lookup(c.op, c.pos);
}

int Builder::lookup(const std::string& name, const char* pos) const {
  auto it = names_.find(name);
  if (it != names_.end()) return it->second;
  std::vector<std::string> near;
  for (const auto& [known, id] : names_)
    if (ops::edit_distance(name, known) <= std::max<size_t>(2, name.size() / 3))
      near.push_back(known);
  std::string hint = near.empty() ? "; name a chain with 'NAME = ...' before reading it"
                                  : "; did you mean " + quoted_list(near) + "?";
  fail(pos, "undefined tensor '" + name + "'" + hint);
}

const ops::OpSchema& Builder::schema(const AstCall& c) const {
  if (const ops::OpSchema* s = ops_.find(c.op)) return *s;
  std::vector<std::string> near = ops_.closest(c.op);
  // A name at the head of a chain may have been meant as a tensor defined earlier.
  std::vector<std::string> tensors;
  for (const auto& [known, id] : names_)
    if (ops::edit_distance(c.op, known) <= std::max<size_t>(1, c.op.size() / 3))
      tensors.push_back(known);
  if (!tensors.empty())
    fail(c.pos, "'" + c.op + "' is neither an op nor a defined tensor; did you mean tensor " +
                    quoted_list(tensors) + (near.empty() ? "" : ", or op " + quoted_list(near)) +
                    "?");
  if (!near.empty())
    fail(c.pos, "unknown op '" + c.op + "'; did you mean " + quoted_list(near) + "?");
  std::string all;
  for (const std::string& n : ops_.names()) all += (all.empty() ? "" : ", ") + n;
  fail(c.pos, "unknown op '" + c.op + "'; known ops: " + all);
}

int Builder::call(const AstCall& c, std::vector<int> inputs) {
  const ops::OpSchema& s = schema(c);
  int n_in = static_cast<int>(inputs.size());
  if (n_in < s.min_inputs || (s.max_inputs >= 0 && n_in > s.max_inputs))
    fail(c.pos, "op '" + s.name + "' takes " + arity_text(s) + ", got " + std::to_string(n_in));
  std::vector<RawAttr> raw;
  for (const AstAttr& a : c.attrs) raw.push_back({a.name, a.value.value, src_.loc_at(a.pos)});
  Node n;
  n.id = static_cast<int>(g_.nodes.size());
  n.op = s.name;
  n.loc = src_.loc_at(c.pos);
  n.inputs = std::move(inputs);
  n.attrs = ops::bind_attrs(s, raw, n.loc);
  n.name = auto_name(s.name);
  infer(n, s);
  names_[n.name] = n.id;
  g_.nodes.push_back(std::move(n));
  return g_.nodes.back().id;
}

// Kernels index tensors with 32-bit integers (oneDNN, cuDNN, cuBLAS), so a layer whose per-sample
// output or parameter is larger than that is a typo to report now, not an allocation failure later.
void check_size(const std::string& what, const Shape& shape, bool per_sample) {
  constexpr int64_t kMaxElements = std::numeric_limits<int32_t>::max();
  int64_t total = 1;
  for (int64_t d : shape.dims)
    if (__builtin_mul_overflow(total, d, &total) || total > kMaxElements) {
      total = -1;
      break;
    }
  if (total >= 0) return;
  throw ops::ShapeError(what + " " + to_string(shape) + " has more than 2,147,483,647 elements" +
                        (per_sample ? " per sample" : "") +
                        ", the most a ferc tensor can hold; use fewer channels or units");
}

void Builder::infer(Node& n, const ops::OpSchema& s) {
  std::vector<Shape> shapes;
  for (int in : n.inputs) shapes.push_back(g_.nodes[static_cast<size_t>(in)].shape);
  try {
    ops::Inferred r = s.infer(shapes, n.attrs);
    n.shape = std::move(r.output);
    n.params = std::move(r.params);
    n.macs = r.macs;
    check_size("output", n.shape, true);
    for (const ParamSpec& p : n.params) check_size("parameter '" + p.name + "'", p.shape, false);
  } catch (const ops::ShapeError& e) {
    std::string given;
    for (const Shape& sh : shapes) given += (given.empty() ? "" : ", ") + to_string(sh);
    throw SourceError(n.loc, "node '" + n.name + "' (" + n.op + "): " + e.what() +
                                 (shapes.empty() ? "" : " (input shapes: " + given + ")"));
  }
}

std::string Builder::auto_name(const std::string& op) {
  if (op == "input") return op;
  std::string name;
  do name = op + std::to_string(++op_counts_[op]);
  while (names_.count(name));
  return name;
}

void Builder::define(const std::string& name, const char* pos, int id) {
  auto it = names_.find(name);
  if (it != names_.end())
    fail(pos, "tensor '" + name + "' is defined twice (first on line " +
                  std::to_string(g_.nodes[static_cast<size_t>(it->second)].loc.line) +
                  "); choose another name");
  if (ops_.find(name))
    fail(pos, "tensor name '" + name + "' is also an op name; choose another name");
  names_[name] = id;
  g_.nodes[static_cast<size_t>(id)].name = name;
}

Graph Builder::finish() {
  if (g_.nodes.empty())
    throw SourceError(SourceLoc{src_.file(), 1, 1, {}},
                      "missing input statement: a model needs at least 'input CxHxW' and ops "
                      "after it, e.g. 'input 1x48x48 -> fc 7 -> softmax'");
  g_.output = previous_;
  std::vector<bool> read(g_.nodes.size());  // one pass: consumers() per node would be quadratic
  for (const Node& n : g_.nodes)
    for (int in : n.inputs) read[static_cast<size_t>(in)] = true;
  for (const Node& n : g_.nodes) {
    if (n.id == g_.output || read[static_cast<size_t>(n.id)]) continue;
    auto named = user_named_.find(n.id);
    const char* pos = named != user_named_.end() ? named->second : nullptr;
    std::string msg = "tensor '" + n.name +
                      "' is never used; read it in a later statement "
                      "(e.g. 'add(" +
                      n.name + ", ...)') or remove it";
    if (pos) fail(pos, msg);
    throw SourceError(n.loc, msg);
  }
  return std::move(g_);
}

}  // namespace

Graph build_graph(const SourceText& src, const std::vector<Statement>& statements,
                  const ops::OpRegistry& ops) {
  Builder b(src, ops);
  for (const Statement& st : statements) b.statement(st);
  return b.finish();
}

}  // namespace ferc::dsl
