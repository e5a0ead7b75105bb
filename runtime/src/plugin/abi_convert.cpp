#include "ferc/abi_convert.h"

#include "ferc/error.h"

namespace ferc {

ferc_shape to_abi(const Shape& s, int64_t batch) {
  ferc_shape out{};
  if (batch >= 0) out.dims[out.rank++] = batch;
  FERC_ASSERT(s.rank() + out.rank <= FERC_MAX_RANK, "shape " + to_string(s) + " has too many dims");
  for (int64_t d : s.dims) out.dims[out.rank++] = d;
  return out;
}

Shape from_abi(const ferc_shape& s, bool has_batch) {
  Shape out;
  for (int i = has_batch ? 1 : 0; i < s.rank; ++i) out.dims.push_back(s.dims[i]);
  return out;
}

AbiAttrs::AbiAttrs(const Attrs& attrs) {
  // Reserve first: items_ keep pointers into names_ and strings_.
  names_.reserve(attrs.all().size());
  strings_.reserve(attrs.all().size());
  for (const auto& [name, value] : attrs.all()) {
    ferc_attr a{};
    a.name = names_.emplace_back(name).c_str();
    if (auto* i = std::get_if<int64_t>(&value)) {
      a.kind = FERC_ATTR_INT;
      a.i = *i;
      a.f = static_cast<double>(*i);
    } else if (auto* d = std::get_if<double>(&value)) {
      a.kind = FERC_ATTR_FLOAT;
      a.f = *d;
    } else if (auto* s = std::get_if<std::string>(&value)) {
      a.kind = FERC_ATTR_STRING;
      a.s = strings_.emplace_back(*s).c_str();
    } else {
      const auto& v = std::get<std::vector<int64_t>>(value);
      FERC_ASSERT(v.size() <= FERC_MAX_RANK, "attribute '" + name + "' has too many dims");
      a.kind = FERC_ATTR_INTS;
      a.n_ints = static_cast<int32_t>(v.size());
      for (size_t k = 0; k < v.size(); ++k) a.ints[k] = v[k];
    }
    items_.push_back(a);
  }
}

}  // namespace ferc
