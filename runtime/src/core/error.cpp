#include "ferc/error.h"

namespace ferc {

std::string format_at(const SourceLoc& loc, const std::string& message) {
  std::string out = loc.file.empty() ? "<model>" : loc.file;
  if (loc.line > 0) out += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
  out += ": " + message;
  if (loc.line > 0 && !loc.line_text.empty()) {
    // An excerpt that starts inside the line is marked with "...".
    std::string cut = loc.text_column > 1 ? "..." : "";
    out += "\n  " + cut + loc.line_text + "\n  " + std::string(cut.size(), ' ');
    // Keep tabs so the caret lines up under tab-indented source.
    for (int i = loc.text_column;
         i < loc.column && i - loc.text_column < static_cast<int>(loc.line_text.size()); ++i)
      out += loc.line_text[static_cast<size_t>(i - loc.text_column)] == '\t' ? '\t' : ' ';
    out += "^";
  }
  return out;
}

SourceError::SourceError(const SourceLoc& loc, const std::string& message)
    : Error(format_at(loc, message)), loc_(loc), message_(message) {}

void assert_fail(const char* cond, const char* file, int line, const std::string& msg) {
  throw std::logic_error(std::string("internal error: ") + msg + " [" + cond + " failed at " +
                         file + ":" + std::to_string(line) + "]");
}

}  // namespace ferc
