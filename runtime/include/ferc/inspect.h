// Human views of a graph: the `check` table and Graphviz DOT.
#pragma once

#include <cstdint>
#include <string>

#include "ferc/graph.h"

namespace ferc {

/// Per-node table: name, op, inputs, output shape, parameters, multiply-adds; then totals and
/// the activation memory planned for `batch` (as computed by plan_memory in executor.h).
std::string summary_table(const Graph& g, int batch, int64_t planned_activation_bytes);

/// DOT with one box per node showing op, attributes and output shape.
std::string to_dot(const Graph& g);

}  // namespace ferc
