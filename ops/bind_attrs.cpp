// Resolves the attribute values written in the model file against an op's schema.
#include <cmath>
#include <set>

#include "ferc/ops/schema.h"

namespace ferc::ops {
namespace {

std::string attr_list(const OpSchema& schema) {
  std::string out;
  for (const auto& a : schema.attrs) out += (out.empty() ? "" : ", ") + a.name;
  return out.empty() ? "none" : out;
}

// Converts `v` to the declared kind, or explains why it cannot be.
AttrValue convert(const OpSchema& schema, const AttrSpec& spec, const RawAttr& raw) {
  const AttrValue& v = raw.value;
  auto fail = [&]() -> AttrValue {
    throw SourceError(raw.loc, "attribute '" + spec.name + "' of op '" + schema.name +
                                   "' expects " + to_string(spec.kind) + ", got " +
                                   to_string(kind_of(v)) + " '" + to_string(v) + "'");
  };
  switch (spec.kind) {
    case AttrKind::Int:
      if (auto* i = std::get_if<int64_t>(&v)) return *i;
      if (auto* s = std::get_if<std::string>(&v)) {
        if (*s == "true") return int64_t{1};
        if (*s == "false") return int64_t{0};
      }
      if (auto* d = std::get_if<double>(&v); d && std::floor(*d) == *d) return int64_t(*d);
      return fail();
    case AttrKind::Float:
      if (auto* d = std::get_if<double>(&v)) return *d;
      if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
      return fail();
    case AttrKind::String:
      if (std::holds_alternative<std::string>(v)) return v;
      return fail();
    case AttrKind::Ints:
      if (std::holds_alternative<std::vector<int64_t>>(v)) return v;
      if (auto* i = std::get_if<int64_t>(&v)) return std::vector<int64_t>{*i};
      return fail();
  }
  return fail();
}

}  // namespace

Attrs bind_attrs(const OpSchema& schema, const std::vector<RawAttr>& raw, const SourceLoc& op_loc) {
  Attrs out;
  std::set<std::string> given;
  std::vector<const AttrSpec*> positional;
  for (const auto& spec : schema.attrs)
    if (spec.positional) positional.push_back(&spec);

  size_t next_positional = 0;
  for (const RawAttr& r : raw) {
    const AttrSpec* spec = nullptr;
    if (r.name.empty()) {
      if (next_positional >= positional.size())
        throw SourceError(r.loc,
                          "op '" + schema.name + "' takes " + std::to_string(positional.size()) +
                              " value(s) without a name, got another: '" + to_string(r.value) +
                              "' (attributes: " + attr_list(schema) + ")");
      spec = positional[next_positional++];
    } else {
      for (const auto& s : schema.attrs)
        if (s.name == r.name) spec = &s;
      if (!spec) {
        std::string hint;
        size_t best = 3;
        for (const auto& s : schema.attrs)
          if (size_t d = edit_distance(r.name, s.name); d < best) best = d, hint = s.name;
        throw SourceError(r.loc, "op '" + schema.name + "' has no attribute '" + r.name + "'" +
                                     (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                                     " (attributes: " + attr_list(schema) + ")");
      }
    }
    if (!given.insert(spec->name).second)
      throw SourceError(
          r.loc, "attribute '" + spec->name + "' of op '" + schema.name + "' is given twice");
    out.set(spec->name, convert(schema, *spec, r));
  }

  for (const auto& spec : schema.attrs) {
    if (out.has(spec.name)) continue;
    if (!spec.default_value)
      throw SourceError(op_loc, "op '" + schema.name + "' needs attribute '" + spec.name + "' (" +
                                    to_string(spec.kind) + ": " + spec.doc + ")");
    out.set(spec.name, *spec.default_value);
  }
  return out;
}

}  // namespace ferc::ops
