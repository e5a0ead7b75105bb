// Per-sample tensor shapes as the graph sees them, and their one printed form.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace ferc {

/// Dimensions without the batch: {C, H, W} for images, {F} for features.
struct Shape {
  std::vector<int64_t> dims;

  Shape() = default;
  Shape(std::initializer_list<int64_t> d) : dims(d) {}
  explicit Shape(std::vector<int64_t> d) : dims(std::move(d)) {}

  int rank() const { return static_cast<int>(dims.size()); }
  int64_t operator[](int i) const { return dims[static_cast<size_t>(i)]; }
  /// Product of all dims (1 for rank 0).
  int64_t numel() const;
  bool operator==(const Shape&) const = default;
};

/// The only way shapes are printed: "20x44x44"; "scalar" for rank 0.
std::string to_string(const Shape& s);

}  // namespace ferc
