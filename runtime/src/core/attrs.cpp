#include "ferc/attrs.h"

#include <cstdio>

namespace ferc {

const char* to_string(AttrKind k) {
  switch (k) {
    case AttrKind::Int:
      return "an integer";
    case AttrKind::Float:
      return "a number";
    case AttrKind::String:
      return "a name";
    case AttrKind::Ints:
      return "dims (like 20x5x5)";
  }
  return "?";
}

AttrKind kind_of(const AttrValue& v) {
  switch (v.index()) {
    case 0:
      return AttrKind::Int;
    case 1:
      return AttrKind::Float;
    case 2:
      return AttrKind::String;
    default:
      return AttrKind::Ints;
  }
}

std::string to_string(const AttrValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", *d);
    return buf;
  }
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  std::string out;
  for (int64_t d : std::get<std::vector<int64_t>>(v))
    out += (out.empty() ? "" : "x") + std::to_string(d);
  return out;
}

namespace {
[[noreturn]] void missing(const std::string& name, const char* kind) {
  throw std::logic_error("internal error: attribute '" + name + "' is not resolved as " + kind);
}
}  // namespace

int64_t Attrs::get_int(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || !std::holds_alternative<int64_t>(it->second)) missing(name, "int");
  return std::get<int64_t>(it->second);
}

double Attrs::get_float(const std::string& name) const {
  auto it = values_.find(name);
  if (it != values_.end()) {
    if (auto* d = std::get_if<double>(&it->second)) return *d;
    if (auto* i = std::get_if<int64_t>(&it->second)) return static_cast<double>(*i);
  }
  missing(name, "float");
}

const std::string& Attrs::get_string(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || !std::holds_alternative<std::string>(it->second))
    missing(name, "string");
  return std::get<std::string>(it->second);
}

const std::vector<int64_t>& Attrs::get_ints(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || !std::holds_alternative<std::vector<int64_t>>(it->second))
    missing(name, "dims");
  return std::get<std::vector<int64_t>>(it->second);
}

}  // namespace ferc
