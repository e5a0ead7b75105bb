// Model text split into statements, with byte positions mapped back to lines and columns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ferc/error.h"

namespace ferc::dsl {

enum class StatementKind { Model, Chain, Train };

/// One logical statement: a line plus its `->` continuation lines, or a whole train block.
struct Statement {
  StatementKind kind = StatementKind::Chain;
  const char* begin = nullptr;          // first token
  const char* end = nullptr;            // end of the last line (exclusive)
  std::vector<std::string_view> lines;  // train block: the lines between the braces
};

/// The text of one model file and where each of its lines starts.
class SourceText {
 public:
  SourceText(std::string_view text, std::string file);

  /// Lines longer than this are shown as an excerpt of this many bytes around the column.
  static constexpr size_t kMaxShownLine = 160;

  /// The location of a byte inside the text, with its line (or, for a long line, the part
  /// around the byte) for the caret display.
  SourceLoc loc_at(const char* pos) const;
  const std::string& file() const { return file_; }
  std::string_view text() const { return text_; }
  /// Splits into statements; throws SourceError for a stray `->` or an unclosed train block.
  std::vector<Statement> statements() const;

 private:
  std::string_view line_of(size_t index) const;

  std::string_view text_;
  std::string file_;
  std::vector<size_t> line_starts_;
};

/// The first token on a line (an identifier, `->`, or one other character); empty for a blank
/// or comment-only line.
std::string_view first_token(std::string_view line);

/// Start of the line's first token, or nullptr for a blank or comment-only line.
const char* first_token_pos(std::string_view line);

}  // namespace ferc::dsl
