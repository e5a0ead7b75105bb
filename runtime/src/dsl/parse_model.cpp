// Entry points: file checks that come before the grammar, then grammar and graph building.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "builder.h"
#include "ferc/dsl.h"
#include "ferc/files.h"
#include "source_text.h"

namespace ferc {
namespace {

// Names what a binary file probably is, from its first bytes.
std::string binary_kind(std::string_view text) {
  if (text.starts_with("\xFF\xD8\xFF")) return "a JPEG image";
  if (text.starts_with("\x89PNG")) return "a PNG image";
  if (text.starts_with("GIF8")) return "a GIF image";
  if (text.starts_with("PK\x03\x04")) return "a zip archive";
  if (text.size() > 8 && text.substr(4, 4) == "ftyp") return "an MP4 video";
  return "binary data";
}

bool looks_binary(std::string_view text) {
  size_t n = std::min<size_t>(text.size(), 4096), odd = 0;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0) return true;
    if (c < 32 && c != '\n' && c != '\r' && c != '\t') ++odd;
  }
  return odd > 0;
}

// A printable excerpt of a line, for messages about files that are not models.
std::string excerpt(std::string_view line) {
  std::string out(line.substr(0, 40));
  if (line.size() > 40) out += "...";
  return out;
}

// The first statement must be able to start a model; anything else is most likely a data file
// passed by mistake.
void check_looks_like_model(const dsl::SourceText& src, const ops::OpRegistry& ops) {
  for (const dsl::Statement& st : src.statements()) {
    std::string_view tok = dsl::first_token({st.begin, static_cast<size_t>(st.end - st.begin)});
    std::string word(tok);
    const char* after = st.begin + tok.size();
    while (after < st.end && (*after == ' ' || *after == '\t')) ++after;
    bool plausible = word == "model" || word == "train" || ops.find(word) ||
                     ops::edit_distance(word, "input") <= 2 ||
                     ops::edit_distance(word, "model") <= 2 || (after < st.end && *after == '=');
    if (plausible) return;
    SourceLoc loc = src.loc_at(st.begin);
    throw SourceError(loc, "this does not look like a ferc model: it starts with '" +
                               excerpt(loc.line_text) +
                               "'; a model starts with 'model NAME' or 'input CxHxW' "
                               "(see docs/dsl.md)");
  }
}

}  // namespace

Graph parse_model(std::string_view text, const std::string& file_name, const ops::OpRegistry& ops) {
  SourceLoc start{file_name, 1, 1, {}};
  // Editors such as Windows Notepad start UTF-8 files with a byte order mark; columns count
  // from after it.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (looks_binary(text))
    throw SourceError(start, "this does not look like a ferc model: it holds " + binary_kind(text) +
                                 ", not text; pass a .net model file");
  dsl::SourceText src(text, file_name);
  std::vector<dsl::Statement> statements = src.statements();
  if (statements.empty())
    throw SourceError(start,
                      "the model is empty: write 'input CxHxW' followed by ops, e.g. "
                      "'input 1x48x48 -> fc 7 -> softmax' (see docs/dsl.md)");
  check_looks_like_model(src, ops);
  Graph g = dsl::build_graph(src, statements, ops);
  if (g.name.empty()) g.name = std::filesystem::path(file_name).stem().string();
  g.source_path = file_name;
  return g;
}

Graph load_model(const std::filesystem::path& path, const ops::OpRegistry& ops) {
  const std::string fix = "pass the path of a .net file such as models/lenet_bn.net";
  require_regular_file(path, "cannot read model file", fix);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("cannot read model file " + path.string() + ": " + std::strerror(errno) + "; " +
                fix);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_model(text.str(), path.string(), ops);
}

}  // namespace ferc
