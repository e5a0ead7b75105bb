#include "builtin.h"

#include <array>
#include <limits>

namespace ferc::ops {

void require_rank(const Shape& s, int rank, const char* what) {
  if (s.rank() != rank)
    throw ShapeError("expected an input of rank " + std::to_string(rank) + " (" + what + "), got " +
                     to_string(s));
}

void require_in(const std::string& what, int64_t v, int64_t lo, int64_t hi,
                const std::string& why) {
  if (v < lo || v > hi)
    throw ShapeError(what + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]" +
                     why + ", got " + std::to_string(v));
}

int64_t saturating_product(std::initializer_list<int64_t> factors) {
  int64_t out = 1;
  for (int64_t f : factors)
    if (__builtin_mul_overflow(out, f, &out)) return std::numeric_limits<int64_t>::max();
  return out;
}

OpRegistry builtin_registry() {
  // The explicit table of built-in ops. Adding an op: write ops/<op>.cpp, declare it in
  // builtin.h, list it here, and add kernels under plugins/<device>/.
  using SchemaFn = OpSchema (*)();
  static constexpr std::array<SchemaFn, 13> kBuiltins = {
      input_schema,   conv_schema,   bn_schema,     relu_schema,    maxpool_schema,
      avgpool_schema, gap_schema,    fc_schema,     dropout_schema, flatten_schema,
      add_schema,     concat_schema, softmax_schema};
  OpRegistry registry;
  for (SchemaFn fn : kBuiltins) registry.add(fn());
  return registry;
}

}  // namespace ferc::ops
