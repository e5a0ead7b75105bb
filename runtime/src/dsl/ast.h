// What the grammar reads from one statement, before any op or name is looked up.
#pragma once

#include <string>
#include <vector>

#include "ferc/attrs.h"

namespace ferc::dsl {

/// A value with the position of its first character.
struct AstValue {
  const char* pos = nullptr;
  AttrValue value;
};

/// `name value`, or a positional value when name is empty.
struct AstAttr {
  const char* pos = nullptr;
  std::string name;
  AstValue value;
};

/// A tensor name inside the parentheses of a multi-input call.
struct AstArg {
  const char* pos = nullptr;
  std::string name;
};

/// An op call (`conv 20x5x5 pad 1`), a bare name, or a multi-input call (`add(a, b)`).
struct AstCall {
  const char* pos = nullptr;
  std::string op;
  bool has_args = false;  // written with parentheses
  std::vector<AstArg> args;
  std::vector<AstAttr> attrs;
};

/// `[NAME =] source { -> call }`.
struct AstChain {
  const char* name_pos = nullptr;  // null when the chain is not named
  std::string name;
  std::vector<AstCall> calls;  // calls[0] is the source
};

/// `key value` inside a train block.
struct AstSetting {
  const char* pos = nullptr;
  std::string key;
  AstValue value;
};

}  // namespace ferc::dsl
