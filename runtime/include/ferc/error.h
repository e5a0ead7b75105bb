// Errors: user errors carry where and what; invariant failures carry the broken condition.
#pragma once

#include <stdexcept>
#include <string>

namespace ferc {

/// A place in a model file.
struct SourceLoc {
  std::string file;
  int line = 0;           // 1-based; 0 means unknown
  int column = 0;         // 1-based
  std::string line_text;  // the source line for the caret display; of a long line, the part
                          // around column
  int text_column = 1;    // the column of line_text's first character
};

/// Something the user can fix: bad model text, data, flags or files. what() is the full message.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg) : std::runtime_error(msg) {}
};

/// An error located in a model file. what() is "file:line:column: message\n<line>\n   ^".
class SourceError : public Error {
 public:
  SourceError(const SourceLoc& loc, const std::string& message);
  const SourceLoc& loc() const { return loc_; }
  /// The message without location and caret.
  const std::string& message() const { return message_; }

 private:
  SourceLoc loc_;
  std::string message_;
};

/// Formats "file:line:column: message" followed by the source line and a caret under column.
std::string format_at(const SourceLoc& loc, const std::string& message);

[[noreturn]] void assert_fail(const char* cond, const char* file, int line, const std::string& msg);

}  // namespace ferc

/// Invariant check that stays on in release builds; names the condition and place.
#define FERC_ASSERT(cond, msg)                                                     \
  do {                                                                             \
    if (!(cond)) ::ferc::assert_fail(#cond, __FILE__, __LINE__, std::string(msg)); \
  } while (0)
