// The pass after the grammar: looks up ops and names, binds attributes and infers shapes.
#pragma once

#include <vector>

#include "ferc/graph.h"
#include "ferc/ops/schema.h"
#include "source_text.h"

namespace ferc::dsl {

/// Builds the graph from parsed statements; throws SourceError at the offending token.
Graph build_graph(const SourceText& src, const std::vector<Statement>& statements,
                  const ops::OpRegistry& ops);

}  // namespace ferc::dsl
