// The model language: text in, validated and shape-inferred graph out.
// Grammar and examples: docs/dsl.md.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "ferc/graph.h"
#include "ferc/ops/schema.h"

namespace ferc {

/// Parses a model, resolves attributes against `ops`, and infers every shape. Throws
/// SourceError (file:line:column, source line, caret) for any problem in the text.
Graph parse_model(std::string_view text, const std::string& file_name, const ops::OpRegistry& ops);

/// Reads and parses a model file; a missing or unreadable file is an Error naming it.
Graph load_model(const std::filesystem::path& path, const ops::OpRegistry& ops);

/// Parses one attribute or setting value as the DSL would ("0.01", "20x5x5", "sgd", "true"),
/// for overrides given on the command line. Throws Error on text that is no value.
AttrValue parse_value(std::string_view text);

/// A stable description of ops, attributes and shapes, for matching weights to a graph.
std::string fingerprint(const Graph& g);

}  // namespace ferc
