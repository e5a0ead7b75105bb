#include "source_text.h"

#include <algorithm>
#include <cctype>

namespace ferc::dsl {
namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

const char* first_token_pos(std::string_view line) {
  for (const char& c : line) {
    if (c == ' ' || c == '\t' || c == '\r') continue;
    return c == '#' ? nullptr : &c;
  }
  return nullptr;
}

std::string_view first_token(std::string_view line) {
  const char* p = first_token_pos(line);
  if (!p) return {};
  const char* end = line.data() + line.size();
  if (end - p >= 2 && p[0] == '-' && p[1] == '>') return {p, 2};
  const char* q = p;
  while (q < end && is_word_char(*q)) ++q;
  return {p, static_cast<size_t>(q == p ? 1 : q - p)};
}

SourceText::SourceText(std::string_view text, std::string file)
    : text_(text), file_(std::move(file)) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

std::string_view SourceText::line_of(size_t index) const {
  size_t start = line_starts_[index];
  size_t end = index + 1 < line_starts_.size() ? line_starts_[index + 1] - 1 : text_.size();
  std::string_view line = text_.substr(start, end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

SourceLoc SourceText::loc_at(const char* pos) const {
  size_t offset = std::min(static_cast<size_t>(pos - text_.data()), text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t index = static_cast<size_t>(it - line_starts_.begin()) - 1;
  std::string_view line = line_of(index);
  size_t col0 = offset - line_starts_[index];
  SourceLoc loc{file_, static_cast<int>(index) + 1, static_cast<int>(col0) + 1, {}, 1};
  if (line.size() <= kMaxShownLine) {
    loc.line_text = line;
    return loc;
  }
  // Every node keeps its location: copying a whole long line into each would make memory grow
  // with the square of the line's length. Keep a window around the column instead.
  size_t start = col0 > kMaxShownLine / 2 ? col0 - kMaxShownLine / 2 : 0;
  size_t end = std::min(line.size(), start + kMaxShownLine);
  auto continuation = [&](size_t i) {
    return i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80;
  };
  while (start > 0 && continuation(start)) --start;  // whole UTF-8 characters only
  while (continuation(end)) ++end;
  loc.line_text.reserve(end - start + 3);  // exactly: each node keeps one
  loc.line_text.append(line.substr(start, end - start));
  if (end < line.size()) loc.line_text += "...";
  loc.text_column = static_cast<int>(start) + 1;
  return loc;
}

std::vector<Statement> SourceText::statements() const {
  std::vector<Statement> out;
  for (size_t i = 0; i < line_starts_.size(); ++i) {
    std::string_view line = line_of(i);
    std::string_view tok = first_token(line);
    if (tok.empty()) continue;
    const char* line_end = line.data() + line.size();
    if (tok == "->") {
      if (out.empty() || out.back().kind != StatementKind::Chain)
        throw SourceError(loc_at(tok.data()),
                          "a chain has nothing before '->'; start it with a source such as "
                          "'input 1x48x48', an op or a tensor name");
      out.back().end = line_end;
      continue;
    }
    Statement st{
        tok == "model" ? StatementKind::Model : StatementKind::Chain, tok.data(), line_end, {}};
    if (tok == "train") st.kind = StatementKind::Train;
    if (tok == "train" && line.find('{') != std::string_view::npos) {
      size_t open = i;
      for (++i; i < line_starts_.size() && first_token(line_of(i)) != "}"; ++i)
        st.lines.push_back(line_of(i));
      if (i == line_starts_.size())
        throw SourceError(loc_at(tok.data()),
                          "the train block is never closed: expected a line with '}' after it");
      st.end = line_of(open).data() + line_of(open).size();
    }
    out.push_back(st);
  }
  return out;
}

}  // namespace ferc::dsl
