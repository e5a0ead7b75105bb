// Attribute values of graph nodes, as written in the model file and as resolved by op schemas.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "ferc/error.h"

namespace ferc {

/// int (also booleans true/false as 1/0), float, identifier or string, or dims such as 20x5x5.
using AttrValue = std::variant<int64_t, double, std::string, std::vector<int64_t>>;

enum class AttrKind { Int, Float, String, Ints };

/// "int", "float", "string", "dims".
const char* to_string(AttrKind k);
/// Prints a value the way it is written in the DSL.
std::string to_string(const AttrValue& v);
AttrKind kind_of(const AttrValue& v);

/// A value as it appears in the source, before the op's schema has seen it.
struct RawAttr {
  std::string name;  // empty for positional values
  AttrValue value;
  SourceLoc loc;
};

/// Resolved attributes: every declared attribute present, defaults filled, kinds converted.
class Attrs {
 public:
  void set(const std::string& name, AttrValue v) { values_[name] = std::move(v); }
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  int64_t get_int(const std::string& name) const;
  double get_float(const std::string& name) const;  // ints convert
  const std::string& get_string(const std::string& name) const;
  const std::vector<int64_t>& get_ints(const std::string& name) const;
  const std::map<std::string, AttrValue>& all() const { return values_; }

 private:
  std::map<std::string, AttrValue> values_;
};

}  // namespace ferc
