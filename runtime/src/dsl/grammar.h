// The Spirit X3 grammar of one statement. Throws SourceError for text it cannot read.
#pragma once

#include <string>

#include "ast.h"
#include "source_text.h"

namespace ferc::dsl {

/// Reads `[NAME =] source { -> call }` from the statement's text.
AstChain parse_chain(const SourceText& src, const Statement& st);

/// Reads `model NAME` and returns NAME.
std::string parse_model_name(const SourceText& src, const Statement& st);

/// Reads one `key value` line of a train block; false for a blank or comment-only line.
bool parse_setting(const SourceText& src, std::string_view line, AstSetting& out);

/// Checks that a train statement's first line is `train {`.
void parse_train_open(const SourceText& src, const Statement& st);

/// Reads a whole string as one value; false when it is not exactly one value.
bool parse_value_text(std::string_view text, AttrValue& out);

}  // namespace ferc::dsl
