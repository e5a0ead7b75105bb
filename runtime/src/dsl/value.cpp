#include "ferc/dsl.h"
#include "grammar.h"

namespace ferc {

AttrValue parse_value(std::string_view text) {
  size_t b = text.find_first_not_of(" \t"), e = text.find_last_not_of(" \t");
  AttrValue out;
  if (b == std::string_view::npos || !dsl::parse_value_text(text.substr(b, e - b + 1), out))
    throw Error("'" + std::string(text) +
                "' is not a value: expected an integer (30), a number (0.01, 1e-7), dims "
                "(20x5x5), a name (sgd, true) or a quoted string");
  return out;
}

}  // namespace ferc
