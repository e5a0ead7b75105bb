// The built-in op schemas, one function per op, each defined in its own file.
#pragma once

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

}  // namespace ferc::ops
