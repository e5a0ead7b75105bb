// Conversions between the runtime's C++ types and the plain structs of plugin_abi.h.
#pragma once

#include <string>
#include <vector>

#include "ferc/attrs.h"
#include "ferc/plugin_abi.h"
#include "ferc/shape.h"

namespace ferc {

/// A ferc_shape of `s`, with a leading batch dimension when batch >= 0.
ferc_shape to_abi(const Shape& s, int64_t batch = -1);
/// The per-sample Shape of a ferc_shape (drops the batch dimension when has_batch).
Shape from_abi(const ferc_shape& s, bool has_batch);

/// Resolved attributes laid out as ferc_attr structs; owns the strings they point to.
class AbiAttrs {
 public:
  explicit AbiAttrs(const Attrs& attrs);
  AbiAttrs(const AbiAttrs&) = delete;
  AbiAttrs& operator=(const AbiAttrs&) = delete;
  const ferc_attr* data() const { return items_.data(); }
  int32_t size() const { return static_cast<int32_t>(items_.size()); }

 private:
  std::vector<std::string> names_, strings_;
  std::vector<ferc_attr> items_;
};

}  // namespace ferc
