#include "builtin.h"

#include <array>

namespace ferc::ops {

void require_rank(const Shape& s, int rank, const char* what) {
  if (s.rank() != rank)
    throw ShapeError("expected an input of rank " + std::to_string(rank) + " (" + what + "), got " +
                     to_string(s));
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
