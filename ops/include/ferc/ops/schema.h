// Device-independent op schemas: attributes, arity, shape inference and gradient rule.
// Validation happens here, when the graph is built, so kernels may assume valid inputs.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ferc/attrs.h"
#include "ferc/error.h"
#include "ferc/graph.h"
#include "ferc/shape.h"

namespace ferc::ops {

/// Thrown by shape inference with a message that states the rule and the offending shapes.
/// The graph builder adds the file position, node and op.
class ShapeError : public Error {
 public:
  using Error::Error;
};

struct AttrSpec {
  std::string name;
  AttrKind kind = AttrKind::Int;
  std::optional<AttrValue> default_value;  // nullopt: required
  bool positional = false;                 // may be written without its name, in declaration order
  std::string doc;
};

/// What shape inference returns for one node.
struct Inferred {
  Shape output;
  std::vector<ParamSpec> params;
  int64_t macs = 0;  // multiply-adds per sample, forward
};

/// inputs are per-sample shapes; attrs are resolved. Throws ShapeError.
using InferFn = std::function<Inferred(const std::vector<Shape>& inputs, const Attrs& attrs)>;

struct OpSchema {
  std::string name;
  std::string summary;
  int min_inputs = 1;
  int max_inputs = 1;  // -1: unbounded
  std::vector<AttrSpec> attrs;
  InferFn infer;
  /// Gradient rule: true when backward yields gradients for every input and trainable param.
  /// False ops (none built in) stop gradient flow and need no backward kernel.
  bool differentiable = true;
  /// Where the schema came from: "built-in" or a plugin's path.
  std::string origin = "built-in";
};

/// An explicit table of schemas keyed by op name.
class OpRegistry {
 public:
  /// Adds a schema; a second schema with the same name is an Error naming it and both origins.
  void add(OpSchema schema);
  const OpSchema* find(std::string_view name) const;
  std::vector<std::string> names() const;
  /// Up to `n` known names closest to `name` by edit distance, nearest first.
  std::vector<std::string> closest(std::string_view name, size_t n = 3) const;

 private:
  std::map<std::string, OpSchema, std::less<>> schemas_;
};

/// A registry holding every built-in op.
OpRegistry builtin_registry();

/// Resolves positional and named attributes against the schema, fills defaults and converts
/// kinds (int -> float). Throws SourceError at the offending value (or at op_loc).
Attrs bind_attrs(const OpSchema& schema, const std::vector<RawAttr>& raw, const SourceLoc& op_loc);

/// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace ferc::ops
