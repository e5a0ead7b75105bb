#include "plugin_check.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <set>

#include "ferc/error.h"
#include "ferc/ops/schema.h"

namespace ferc::plugin_check {
namespace {

// Longer names and counts than these are a corrupt table, not a design.
constexpr size_t kMaxText = 256;
constexpr size_t kMaxName = 64;
constexpr int32_t kMaxKernels = 4096;
constexpr int32_t kMaxAttrSpecs = 64;

// Bounded, so that a string without its terminating NUL is not read without end.
size_t bounded_length(const char* s) {
  return strnlen(s, kMaxText + 1);
}

bool printable(const char* s) {
  for (; *s; ++s)
    if (static_cast<unsigned char>(*s) < 0x20 || static_cast<unsigned char>(*s) > 0x7E)
      return false;
  return true;
}

// A name the model language can write: an ASCII letter or '_', then letters, digits and '_'.
bool is_identifier(const char* s) {
  size_t n = bounded_length(s);
  if (n == 0 || n > kMaxName) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (size_t i = 1; i < n; ++i)
    if (!(std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) return false;
  return true;
}

// For messages: the start of the string, with bytes that are not printable ASCII escaped.
std::string shown(const char* s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  size_t i = 0;
  for (; s[i] && i < kMaxName; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c <= 0x7E)
      out += static_cast<char>(c);
    else
      out += std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
  }
  return s[i] ? out + "..." : out;
}

class Checker {
 public:
  Checker(const std::filesystem::path& path, const ferc_plugin& t) : path_(path), t_(t) {}

  void run() {
    text(t_.name, "its name (ferc_plugin::name)", true);
    text(t_.version, "its version (ferc_plugin::version)", false);
    text(t_.device, "its device (ferc_plugin::device)", true);
    if (std::strcmp(t_.device, "cpu") != 0 && std::strcmp(t_.device, "cuda") != 0)
      refuse(" declares device '" + shown(t_.device) +
             "'; ferc runs plugins for device 'cpu' or 'cuda' only");
    need(t_.alloc && t_.release && t_.upload && t_.download && t_.fill && t_.axpy,
         "the memory functions (alloc, release, upload, download, fill, axpy)");
    if (t_.n_kernels < 0 || t_.n_kernels > kMaxKernels)
      refuse(" declares " + std::to_string(t_.n_kernels) + " kernels; n_kernels must be in [0, " +
             std::to_string(kMaxKernels) + "]");
    need(t_.n_kernels == 0 || t_.kernels, "its kernel array");
    std::set<std::string> ops;
    for (int32_t i = 0; i < t_.n_kernels; ++i) {
      const ferc_kernel& k = t_.kernels[i];
      std::string where = ": kernel " + std::to_string(i);
      if (!k.op) refuse(where + " has no op name (NULL); set ferc_kernel::op");
      if (!is_identifier(k.op))
        refuse(where + " has op name '" + shown(k.op) + "', which a model cannot write; " +
               "op names are 1 to " + std::to_string(kMaxName) +
               " ASCII letters, digits and '_', starting with a letter or '_'");
      std::string op = k.op;
      if (!ops.insert(op).second) refuse(" has two kernels for op '" + op + "'; keep one");
      if (!k.forward)
        refuse(": op '" + op + "': its kernel has no forward function; set ferc_kernel::forward");
      if (!is_builtin_op(k.op)) new_op(k);
    }
  }

 private:
  // `why` follows the path: " is ..." for the table, ": op 'x': ..." for an op.
  [[noreturn]] void refuse(const std::string& why) const {
    throw Error("plugin " + path_.string() + why);
  }
  void need(bool ok, const std::string& what) const {
    if (!ok) refuse(" is incomplete: its table lacks " + what);
  }
  void text(const char* s, const std::string& what, bool non_empty) const {
    need(s != nullptr && (!non_empty || *s), what);
    if (bounded_length(s) > kMaxText || !printable(s))
      refuse(" has a malformed " + what.substr(4) + ": '" + shown(s) + "'; it must be at most " +
             std::to_string(kMaxText) + " printable ASCII characters");
  }

  // The declarations a new op needs so that the model language can read and check it.
  void new_op(const ferc_kernel& k) const {
    std::string op = k.op;
    std::string head = ": op '" + op + "', which ferc does not know, comes ";
    if (!k.infer)
      refuse(head + "without a shape-inference function; fill ferc_kernel::infer and " +
             "attr_specs for new ops");
    if (k.summary && (bounded_length(k.summary) > kMaxText || !printable(k.summary)))
      refuse(head + "with a malformed summary; it must be at most " + std::to_string(kMaxText) +
             " printable ASCII characters");
    if (k.min_inputs < 1 || (k.max_inputs != -1 && k.max_inputs < k.min_inputs))
      refuse(head + "taking " + std::to_string(k.min_inputs) + " to " +
             std::to_string(k.max_inputs) +
             " inputs; min_inputs must be at least 1 and max_inputs at least min_inputs, or -1 "
             "for no limit");
    if (k.n_attr_specs < 0 || k.n_attr_specs > kMaxAttrSpecs)
      refuse(head + "with " + std::to_string(k.n_attr_specs) +
             " attributes; n_attr_specs must be in [0, " + std::to_string(kMaxAttrSpecs) + "]");
    if (k.n_attr_specs > 0 && !k.attr_specs)
      refuse(head + "with " + std::to_string(k.n_attr_specs) +
             " attributes but no attr_specs array (NULL)");
    std::set<std::string> names;
    for (int32_t i = 0; i < k.n_attr_specs; ++i) {
      const ferc_attr_spec& a = k.attr_specs[i];
      std::string where = ": op '" + op + "': attribute " + std::to_string(i);
      if (!a.name) refuse(where + " has no name (NULL); set ferc_attr_spec::name");
      if (!is_identifier(a.name))
        refuse(where + " is named '" + shown(a.name) + "', which a model cannot write; " +
               "attribute names are 1 to " + std::to_string(kMaxName) +
               " ASCII letters, digits and '_', starting with a letter or '_'");
      where = ": op '" + op + "': attribute '" + std::string(a.name) + "'";
      if (!names.insert(a.name).second) refuse(where + " is declared twice");
      if (a.kind < FERC_ATTR_INT || a.kind > FERC_ATTR_INTS)
        refuse(where + " has kind " + std::to_string(static_cast<int>(a.kind)) +
               ", which is none of FERC_ATTR_INT, FERC_ATTR_FLOAT, FERC_ATTR_STRING, "
               "FERC_ATTR_INTS");
      if (a.doc && (bounded_length(a.doc) > kMaxText || !printable(a.doc)))
        refuse(where + " has a malformed doc line; it must be at most " + std::to_string(kMaxText) +
               " printable ASCII characters");
      if (a.default_value) {
        if (bounded_length(a.default_value) > kMaxText || !printable(a.default_value))
          refuse(where + " has a malformed default; it must be at most " +
                 std::to_string(kMaxText) + " printable ASCII characters");
        try {
          parse_default(op, a);
        } catch (const Error& e) {
          refuse(std::string(": ") + e.what());
        }
      }
    }
  }

  const std::filesystem::path& path_;
  const ferc_plugin& t_;
};

template <typename T>
bool parse_whole(std::string_view text, T& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

bool is_builtin_op(const char* op) {
  static const ops::OpRegistry builtins = ops::builtin_registry();
  return std::strcmp(op, FERC_LOSS_OP) == 0 || builtins.find(op) != nullptr;
}

AttrKind kind_from_abi(ferc_attr_kind k) {
  switch (k) {
    case FERC_ATTR_INT:
      return AttrKind::Int;
    case FERC_ATTR_FLOAT:
      return AttrKind::Float;
    case FERC_ATTR_STRING:
      return AttrKind::String;
    case FERC_ATTR_INTS:
      return AttrKind::Ints;
  }
  return AttrKind::String;
}

AttrValue parse_default(const std::string& op, const ferc_attr_spec& spec) {
  std::string_view text = spec.default_value;
  switch (spec.kind) {
    case FERC_ATTR_INT:
      if (int64_t v; parse_whole(text, v)) return v;
      if (text == "true" || text == "false") return int64_t{text == "true"};
      break;
    case FERC_ATTR_FLOAT:
      if (double v; parse_whole(text, v) && std::isfinite(v)) return v;
      break;
    case FERC_ATTR_STRING:
      return std::string(text);
    case FERC_ATTR_INTS: {
      std::vector<int64_t> dims;
      bool ok = true;
      for (size_t pos = 0; ok;) {
        size_t x = text.find('x', pos);
        int64_t d = 0;
        ok = parse_whole(text.substr(pos, x == std::string_view::npos ? x : x - pos), d) &&
             dims.size() < FERC_MAX_RANK;
        dims.push_back(d);
        if (x == std::string_view::npos) break;
        pos = x + 1;
      }
      if (ok) return dims;
      break;
    }
  }
  throw Error("op '" + op + "': default '" + std::string(text) + "' of attribute '" + spec.name +
              "' is not " + to_string(kind_from_abi(spec.kind)));
}

void check_table(const std::filesystem::path& path, const ferc_plugin& table) {
  Checker(path, table).run();
}

}  // namespace ferc::plugin_check
