// Statement grammar. Rules carry readable names because X3 reports a failed expectation by the
// name of the rule it expected; those names become "expected <name> after ..., found ...".
#include "grammar.h"

#include <algorithm>
#include <boost/fusion/include/adapt_struct.hpp>
#include <boost/spirit/home/x3.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

// Rules whose definitions use no semantic actions fill these structs field by field. Failed
// expectations must name a rule, not an action, so rules after '>' propagate automatically.
BOOST_FUSION_ADAPT_STRUCT(ferc::dsl::AstAttr, pos, name, value)
BOOST_FUSION_ADAPT_STRUCT(ferc::dsl::AstArg, pos, name)
BOOST_FUSION_ADAPT_STRUCT(ferc::dsl::AstSetting, pos, key, value)

namespace ferc::dsl {
namespace x3 = boost::spirit::x3;
namespace {

using Iter = const char*;

// Yields the current position (after skipping) without consuming anything.
struct PosParser : x3::parser<PosParser> {
  using attribute_type = Iter;
  static bool const has_attribute = true;
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    x3::skip_over(first, last, ctx);
    attr = first;
    return true;
  }
};
const PosParser pos_p{};

// Semantic actions fill the AST directly; X3 attribute folding into std::variant is avoided.
const auto set_pos = [](auto& ctx) { x3::_val(ctx).pos = x3::_attr(ctx); };
const auto set_value = [](auto& ctx) { x3::_val(ctx).value = AttrValue(x3::_attr(ctx)); };
const auto set_name = [](auto& ctx) { x3::_val(ctx).name = x3::_attr(ctx); };
const auto set_op = [](auto& ctx) { x3::_val(ctx).op = x3::_attr(ctx); };
const auto set_attr_value = [](auto& ctx) { x3::_val(ctx).value = x3::_attr(ctx); };
const auto push_attr = [](auto& ctx) { x3::_val(ctx).attrs.push_back(x3::_attr(ctx)); };
const auto set_args = [](auto& ctx) {
  x3::_val(ctx).has_args = true;
  x3::_val(ctx).args = x3::_attr(ctx);
};
const auto set_prefix = [](auto& ctx) {
  x3::_val(ctx).name_pos = x3::_attr(ctx).pos;
  x3::_val(ctx).name = x3::_attr(ctx).name;
};
const auto push_call = [](auto& ctx) { x3::_val(ctx).calls.push_back(x3::_attr(ctx)); };

const auto word_char = x3::char_("a-zA-Z0-9_");
const x3::real_parser<double, x3::strict_real_policies<double>> strict_double{};
const auto skipper = x3::space | x3::lexeme['#' >> *(x3::char_ - x3::eol)];

x3::rule<class ident_r, std::string> const ident = "a name";
x3::rule<class tensor_r, std::string> const tensor = "a tensor name";
x3::rule<class dims_r, std::vector<int64_t>> const dims = "dims";
x3::rule<class quoted_r, std::string> const quoted = "a quoted string";
x3::rule<class quote_end_r> const quote_end = "a closing '\"'";
x3::rule<class value_r, AstValue> const value = "an attribute value";
x3::rule<class given_value_r, AstValue> const given_value = "a value";
x3::rule<class positional_r, AstAttr> const positional = "a value";
x3::rule<class named_r, AstAttr> const named = "an attribute";
x3::rule<class call_r, AstCall> const call = "an op name";
x3::rule<class source_r, AstCall> const source = "an op or a tensor name";
x3::rule<class prefix_r, AstAttr> const prefix = "a tensor name and '='";
x3::rule<class close_r> const close_paren = "',' or ')'";
x3::rule<class arg_r, AstArg> const arg = "a tensor name";
x3::rule<class args_r, std::vector<AstArg>> const args = "tensor names in parentheses";
x3::rule<class head_r, AstCall> const head = "an op or a tensor name";
x3::rule<class next_r, AstCall> const next = "an op name";
x3::rule<class chain_r, AstChain> const chain = "a chain";
x3::rule<class setting_r, AstSetting> const setting = "a setting";

auto const ident_def = x3::lexeme[x3::char_("a-zA-Z_") >> *word_char];
auto const tensor_def = ident;
auto const dims_def = x3::lexeme[x3::int64 >> +('x' >> x3::int64) >> !word_char];
auto const quote_end_def = x3::lit('"');
auto const quoted_def = x3::lexeme['"' >> *~x3::char_("\"\n") > quote_end];
// Positional values are never bare names: a name followed by a value is an attribute name.
auto const given_value_def = pos_p[set_pos] >>
                             (dims[set_value] | x3::lexeme[strict_double >> !word_char][set_value] |
                              x3::lexeme[x3::int64 >> !(word_char | '.')][set_value] |
                              quoted[set_value] | ident[set_value]);
auto const value_def = given_value;
auto const positional_def = pos_p[set_pos] >> !ident >> given_value[set_attr_value];
auto const named_def = pos_p >> ident > value;
auto const close_paren_def = x3::lit(')');
auto const arg_def = pos_p >> tensor;
auto const args_def = '(' > arg > *(',' > arg) > close_paren;
auto const attrs = *positional[push_attr] >> *named[push_attr];
auto const call_def = pos_p[set_pos] >> ident[set_op] >> attrs;
auto const source_def = pos_p[set_pos] >> ident[set_op] >> -args[set_args] >> attrs;
auto const head_def = x3::expect[source];
auto const next_def = "->" > call;
// A separate rule so that a name without '=' leaves no trace in the chain.
auto const prefix_def = pos_p[set_pos] >> ident[set_name] >> '=';
auto const chain_def = -prefix[set_prefix] >> head[push_call] >> *next[push_call];
auto const setting_def = pos_p >> ident > value;

BOOST_SPIRIT_DEFINE(ident, tensor, dims, quoted, quote_end, given_value, value, positional, named,
                    close_paren, arg, args, call, source, head, next, prefix, chain, setting)

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The token that ends just before `pos` (skipping blanks), for "after '...'".
std::string token_before(Iter begin, Iter pos) {
  Iter end = pos;
  while (end > begin && std::isspace(static_cast<unsigned char>(end[-1]))) --end;
  if (end == begin) return {};
  Iter start = end - 1;
  if (is_word(*start) || *start == '.')
    while (start > begin && (is_word(start[-1]) || start[-1] == '.' || start[-1] == '-')) --start;
  else if (*start == '>' && start > begin && start[-1] == '-')
    --start;
  return std::string(start, end);
}

// The token that starts at `pos`, for "found '...'".
std::string token_at(Iter pos, Iter end) {
  while (pos < end && (*pos == ' ' || *pos == '\t' || *pos == '\r')) ++pos;
  if (pos == end || *pos == '\n' || *pos == '#') return "end of line";
  Iter stop = pos + 1;
  if (is_word(*pos))
    while (stop < end && (is_word(*stop) || *stop == '.')) ++stop;
  else if (*pos == '-' && stop < end && *stop == '>')
    ++stop;
  else  // a whole UTF-8 character, not a lone byte of one
    while (stop < end && (static_cast<unsigned char>(*stop) & 0xC0) == 0x80) ++stop;
  std::string token(pos, stop);
  return "'" + token + "'" + (token == "\u2192" ? " (write the arrow as '->')" : "");
}

bool is_number_char(char c) {
  return is_word(c) || c == '.';
}

// The literal at `pos` when it is a number the grammar could not read because it does not fit
// (an integer beyond int64, a number beyond double): the message that says so, else empty.
std::string out_of_range(Iter pos, Iter end) {
  Iter stop = pos;
  if (stop < end && *stop == '-') ++stop;
  if (stop == end || !std::isdigit(static_cast<unsigned char>(*stop))) return {};
  while (stop < end && (is_number_char(*stop) ||
                        ((*stop == '-' || *stop == '+') && (stop[-1] == 'e' || stop[-1] == 'E'))))
    ++stop;
  std::string text(pos, stop);
  auto integer_fits = [](std::string_view t) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return !(ec == std::errc::result_out_of_range && p == t.data() + t.size());
  };
  auto all_digits = [](std::string_view t) {
    if (t.starts_with('-')) t.remove_prefix(1);
    return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
  };
  const std::string int_range =
      "integers must be between -9223372036854775808 and 9223372036854775807";
  if (all_digits(text))
    return integer_fits(text) ? "" : "integer " + text + " is out of range: " + int_range;
  if (text.find('x') != std::string::npos) {  // dims: 20x5x5
    std::string_view rest = text;
    while (true) {
      size_t x = rest.find('x');
      std::string_view part = rest.substr(0, x);
      if (!all_digits(part)) return {};
      if (!integer_fits(part))
        return "dims " + text + " hold " + std::string(part) +
               ", which is out of range: " + int_range;
      if (x == std::string_view::npos) return {};
      rest.remove_prefix(x + 1);
    }
  }
  errno = 0;
  char* parsed = nullptr;
  double v = std::strtod(text.c_str(), &parsed);
  if (parsed != text.c_str() + text.size() || errno != ERANGE) return {};
  if (std::isinf(v))
    return "number " + text +
           " is out of range: numbers must be between -1.7976931348623157e308 "
           "and 1.7976931348623157e308";
  return "number " + text +
         " is too close to zero to be held: numbers other than 0 must be at least "
         "2.2250738585072014e-308 in magnitude; write 0 for zero";
}

// A byte outside ASCII inside or beside a name: the whole word it sits in, for "'inpüt' holds
// 'ü'"; empty when `pos` holds ASCII or a character that touches no name.
std::string non_ascii_word(Iter begin, Iter pos, Iter end) {
  if (pos == end || static_cast<unsigned char>(*pos) < 0x80) return {};
  auto in_word = [](char c) { return is_word(c) || static_cast<unsigned char>(c) >= 0x80; };
  Iter first = pos, last = pos;
  while (first > begin && in_word(first[-1])) --first;
  while (last < end && in_word(*last)) ++last;
  // A character standing alone is not part of a name: the generic message fits it better.
  if (std::none_of(first, last, is_word)) return {};
  return std::string(first, last);
}

[[noreturn]] void syntax_error(const SourceText& src, Iter begin, Iter end, Iter where,
                               const std::string& expected) {
  while (where < end && (*where == ' ' || *where == '\t')) ++where;
  if (std::string range = out_of_range(where, end); !range.empty())
    throw SourceError(src.loc_at(where), range);
  if (std::string word = non_ascii_word(begin, where, end);
      !word.empty() && token_at(where, end).find("'->'") == std::string::npos)
    throw SourceError(src.loc_at(where),
                      "'" + word + "' holds " + token_at(where, end) +
                          ", which is not ASCII; names are made of ASCII letters, digits and "
                          "'_' (starting with a letter or '_'), and other text goes in double "
                          "quotes");
  std::string before = token_before(begin, where);
  std::string msg = "expected " + expected;
  if (!before.empty()) msg += " after '" + before + "'";
  msg += ", found " + token_at(where, end);
  throw SourceError(src.loc_at(where), msg);
}

// Runs `rule` over [begin, end) and requires it to read everything.
template <typename Rule, typename Attr>
void parse_all(const SourceText& src, Iter begin, Iter end, const Rule& rule, Attr& attr,
               const std::string& after_what) {
  Iter it = begin;
  try {
    bool ok = x3::phrase_parse(it, end, rule, skipper, attr);
    if (!ok) syntax_error(src, begin, end, it, rule.name);
  } catch (const x3::expectation_failure<Iter>& e) {
    syntax_error(src, begin, end, e.where(), e.which());
  }
  x3::phrase_parse(it, end, x3::eps, skipper);
  if (it != end) syntax_error(src, begin, end, it, after_what);
}

}  // namespace

// `-> concat(a, b)`: a multi-input op written after '->', where only one input can arrive.
// `paren` is the '(' the chain grammar stopped at.
void multi_input_after_arrow(const SourceText& src, Iter begin, Iter paren) {
  Iter name_end = paren;
  while (name_end > begin && (name_end[-1] == ' ' || name_end[-1] == '\t')) --name_end;
  Iter name = name_end;
  while (name > begin && is_word(name[-1])) --name;
  Iter arrow = name;
  while (arrow > begin && std::isspace(static_cast<unsigned char>(arrow[-1]))) --arrow;
  if (name == name_end || arrow - begin < 2 || arrow[-2] != '-' || arrow[-1] != '>') return;
  std::string op(name, name_end);
  throw SourceError(src.loc_at(name),
                    "'" + op +
                        "(...)' cannot follow '->': a multi-input op reads the tensors "
                        "in its parentheses, so it starts a statement, e.g. 'x = " +
                        op +
                        "(a, b)'; name the chain before '->' ('a = ...') and pass 'a' in the "
                        "parentheses");
}

AstChain parse_chain(const SourceText& src, const Statement& st) {
  AstChain out;
  const std::string after = "'->', an attribute or the end of the line";
  Iter it = st.begin;
  try {
    if (!x3::phrase_parse(it, st.end, chain, skipper, out))
      syntax_error(src, st.begin, st.end, it, chain.name);
  } catch (const x3::expectation_failure<Iter>& e) {
    syntax_error(src, st.begin, st.end, e.where(), e.which());
  }
  x3::phrase_parse(it, st.end, x3::eps, skipper);
  if (it != st.end && *it == '(') multi_input_after_arrow(src, st.begin, it);
  if (it != st.end) syntax_error(src, st.begin, st.end, it, after);
  return out;
}

std::string parse_model_name(const SourceText& src, const Statement& st) {
  std::string name;
  auto rule = x3::lit("model") > ident;
  Iter it = st.begin;
  try {
    x3::phrase_parse(it, st.end, rule, skipper, name);
  } catch (const x3::expectation_failure<Iter>& e) {
    syntax_error(src, st.begin, st.end, e.where(), "a model name");
  }
  x3::phrase_parse(it, st.end, x3::eps, skipper);
  if (it != st.end) syntax_error(src, st.begin, st.end, it, "the end of the line");
  return name;
}

void parse_train_open(const SourceText& src, const Statement& st) {
  Iter it = st.begin;
  bool ok = x3::phrase_parse(it, st.end, x3::lit("train") >> '{', skipper);
  if (!ok) syntax_error(src, st.begin, st.end, it + 5, "'{' (the settings go on the lines below)");
  x3::phrase_parse(it, st.end, x3::eps, skipper);
  if (it != st.end) syntax_error(src, st.begin, st.end, it, "the end of the line after '{'");
}

bool parse_setting(const SourceText& src, std::string_view line, AstSetting& out) {
  const char* begin = first_token_pos(line);
  if (!begin) return false;
  parse_all(src, begin, line.data() + line.size(), setting, out,
            "the end of the line (one 'key value' per line)");
  return true;
}

bool parse_value_text(std::string_view text, AttrValue& out) {
  AstValue v;
  Iter it = text.data(), end = text.data() + text.size();
  bool ok = false;
  try {
    ok = x3::phrase_parse(it, end, given_value, x3::space, v);
  } catch (const x3::expectation_failure<Iter>&) {
    return false;
  }
  if (!ok || it != end) return false;
  out = std::move(v.value);
  return true;
}

}  // namespace ferc::dsl
