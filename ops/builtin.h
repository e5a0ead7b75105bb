// The built-in op schemas, one function per op, each defined in its own file.
#pragma once

#include <initializer_list>
#include <string>

#include "ferc/ops/schema.h"

namespace ferc::ops {

OpSchema input_schema();
OpSchema conv_schema();
OpSchema bn_schema();
OpSchema relu_schema();
OpSchema maxpool_schema();
OpSchema avgpool_schema();
OpSchema gap_schema();
OpSchema fc_schema();
OpSchema dropout_schema();
OpSchema flatten_schema();
OpSchema add_schema();
OpSchema concat_schema();
OpSchema softmax_schema();

/// Throws ShapeError unless `s` has rank `rank`; `what` names the expected layout, e.g. "CxHxW".
void require_rank(const Shape& s, int rank, const char* what);

/// The largest extent an attribute may give (filters, units, kernel, stride): the most elements
/// a tensor holds. Below it, sums and products of two extents cannot overflow int64_t.
constexpr int64_t kMaxExtent = 2147483647;

/// Throws ShapeError "<what> must be in [lo, hi]<why>, got <v>" unless lo <= v <= hi.
void require_in(const std::string& what, int64_t v, int64_t lo, int64_t hi,
                const std::string& why = "");

/// The product of `factors` (all >= 0), or INT64_MAX when it overflows: for multiply-add counts,
/// which are only reported, and fan-ins of parameters the graph builder refuses when that large.
int64_t saturating_product(std::initializer_list<int64_t> factors);

}  // namespace ferc::ops
