// Kaggle's fer2013.csv: "emotion,pixels,Usage" then one row per image, 2304 grey values each.
// Columns may come in any order and with spaces around names; LF, CRLF and CR line ends are
// accepted.
#include <algorithm>
#include <charconv>
#include <optional>

#include "ferc/error.h"
#include "readers.h"

namespace ferc::data {
namespace {

constexpr size_t kImageBytes = 48 * 48;

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

// A field without surrounding blanks and quotes.
std::string_view field_text(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = trim(s.substr(1, s.size() - 2));
  return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (size_t comma; (comma = line.find(',', start)) != std::string_view::npos; start = comma + 1)
    fields.push_back(field_text(line.substr(start, comma - start)));
  fields.push_back(field_text(line.substr(start)));
  return fields;
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == y;
         });
}

// Column positions from the header line.
struct Columns {
  size_t count = 0;
  std::optional<size_t> emotion, pixels, usage;
};

Columns parse_header(std::string_view line) {
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // UTF-8 byte order mark
  std::vector<std::string_view> names = split_fields(line);
  Columns c;
  c.count = names.size();
  for (size_t i = 0; i < names.size(); ++i) {
    if (same_name(names[i], "emotion")) c.emotion = i;
    if (same_name(names[i], "pixels")) c.pixels = i;
    if (same_name(names[i], "usage")) c.usage = i;
  }
  return c;
}

// Parses one CSV file, line by line, keeping the physical line number for messages.
class CsvParser {
 public:
  CsvParser(const std::filesystem::path& path, Columns columns)
      : path_(path.string()), name_(path.filename().string()), columns_(columns) {
    result_.has_usage = columns_.usage.has_value();
  }

  void parse_row(std::string_view line, size_t line_no) {
    line_no_ = line_no;
    std::vector<std::string_view> fields = split_fields(line);
    if (fields.size() != columns_.count)
      fail("expected " + std::to_string(columns_.count) + " comma-separated fields as in the " +
           "header, found " + std::to_string(fields.size()));
    Dataset& d = split(fields);
    int32_t label = parse_emotion(fields[*columns_.emotion]);
    parse_pixels(fields[*columns_.pixels], d.pixels);
    d.labels.push_back(label);
    d.sources.push_back(name_ + ":" + std::to_string(line_no));
  }

  CsvContents take() { return std::move(result_); }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw Error(path_ + ":" + std::to_string(line_no_) + ": " + message);
  }

  Dataset& split(const std::vector<std::string_view>& fields) {
    if (!columns_.usage) return result_.data.test;
    std::string_view usage = fields[*columns_.usage];
    if (same_name(usage, "training")) return result_.data.train;
    if (same_name(usage, "publictest")) return result_.data.val;
    if (same_name(usage, "privatetest")) return result_.data.test;
    fail("unknown Usage '" + std::string(usage) +
         "', expected Training, PublicTest or PrivateTest");
  }

  int32_t parse_emotion(std::string_view text) const {
    int32_t value = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
      fail("emotion '" + std::string(text) + "' is not an integer; expected a class index 0..6");
    if (value < 0 || value > 6)
      fail("emotion " + std::to_string(value) + " is outside 0..6 (angry..neutral)");
    return value;
  }

  void parse_pixels(std::string_view text, std::vector<uint8_t>& out) const {
    size_t start = out.size(), count = 0;
    out.resize(start + kImageBytes);
    const char* p = text.data();
    const char* end = p + text.size();
    while (true) {
      while (p < end && (*p == ' ' || *p == '\t')) ++p;
      if (p == end) break;
      int value = -1;
      auto [next, ec] = std::from_chars(p, end, value);
      if (ec != std::errc() || (next < end && *next != ' ' && *next != '\t'))
        fail("pixel " + std::to_string(count + 1) + " is '" + std::string(p, word_end(p, end)) +
             "', expected an integer 0..255");
      if (value < 0 || value > 255)
        fail("pixel " + std::to_string(count + 1) + " is " + std::to_string(value) +
             ", outside 0..255");
      if (count < kImageBytes) out[start + count] = static_cast<uint8_t>(value);
      ++count;
      p = next;
    }
    if (count != kImageBytes)
      fail("expected " + std::to_string(kImageBytes) + " pixel values, found " +
           std::to_string(count));
  }

  static const char* word_end(const char* p, const char* end) {
    while (p < end && *p != ' ' && *p != '\t') ++p;
    return p;
  }

  std::string path_, name_;
  Columns columns_;
  size_t line_no_ = 0;
  CsvContents result_;
};

// The end of the line starting at `begin` and where the next one starts (npos at the end).
std::pair<size_t, size_t> line_end(std::string_view text, size_t begin) {
  size_t end = text.find_first_of("\r\n", begin);
  if (end == std::string_view::npos) return {text.size(), std::string_view::npos};
  size_t next = end + 1;
  if (text[end] == '\r' && next < text.size() && text[next] == '\n') ++next;
  return {end, next < text.size() ? next : std::string_view::npos};
}

}  // namespace

std::string_view first_line(std::string_view text) {
  return text.substr(0, line_end(text, 0).first);
}

bool is_csv_header(std::string_view line) {
  Columns c = parse_header(line);
  return c.pixels.has_value();
}

CsvContents parse_csv(const std::filesystem::path& path, std::string_view text) {
  Columns columns = parse_header(first_line(text));
  if (!columns.emotion || !columns.pixels)
    throw Error(path.string() + ":1: the header needs emotion and pixels columns, found '" +
                std::string(trim(first_line(text))) +
                "'; ferc trains and evaluates on labelled images only");
  CsvParser parser(path, columns);
  size_t line_no = 1;
  for (size_t begin = line_end(text, 0).second; begin != std::string_view::npos; ++line_no) {
    auto [end, next] = line_end(text, begin);
    std::string_view line = text.substr(begin, end - begin);
    if (!trim(line).empty()) parser.parse_row(line, line_no + 1);
    begin = next;
  }
  return parser.take();
}

}  // namespace ferc::data
