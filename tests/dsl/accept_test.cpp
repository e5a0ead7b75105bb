#include <doctest/doctest.h>

#include "dsl_test_util.h"

using namespace ferc;
using ferc::test::parse;
using ferc::test::shapes;

namespace {

Graph load(const char* model) {
  return load_model(std::string(FERC_SOURCE_DIR) + "/models/" + model, ops::builtin_registry());
}

std::string names(const Graph& g) {
  std::string out;
  for (const Node& n : g.nodes) out += (out.empty() ? "" : ",") + n.name;
  return out;
}

}  // namespace

TEST_CASE("lenet_bn.net: shapes, names and parameter count") {
  Graph g = load("lenet_bn.net");
  CHECK(g.name == "lenet_bn");
  CHECK(shapes(g) ==
        "1x48x48|20x44x44|20x44x44|20x44x44|20x22x22|20x18x18|20x18x18|20x18x18|20x9x9|500|500|"
        "300|300|7|7");
  CHECK(names(g) ==
        "input,conv1,bn1,relu1,maxpool1,conv2,bn2,relu2,maxpool2,fc1,relu3,fc2,relu4,fc3,"
        "softmax1");
  // conv 20*25+20, bn 2*20, conv 20*20*25+20, bn 2*20, fc 1620*500+500, 500*300+300, 300*7+7.
  CHECK(g.param_count() == 520 + 40 + 10020 + 40 + 810500 + 150300 + 2107);
  CHECK(g.param_count() == 973527);
  CHECK(g.output == 14);
  CHECK(g.nodes[5].inputs == std::vector<int>{4});
  CHECK(g.nodes[1].loc.line == 5);
  CHECK(g.nodes[1].loc.column == 6);
}

TEST_CASE("lenet_bn.net: train block keeps values and positions") {
  Graph g = load("lenet_bn.net");
  REQUIRE(g.train.count("optimizer"));
  CHECK(std::get<std::string>(g.train.at("optimizer").value) == "sgd");
  CHECK(std::get<int64_t>(g.train.at("batch").value) == 30);
  CHECK(std::get<double>(g.train.at("weight_decay").value) == doctest::Approx(1e-7));
  CHECK(std::holds_alternative<double>(g.train.at("lr_decay").value));
  CHECK(std::get<std::string>(g.train.at("flip").value) == "true");
  CHECK(g.train.at("batch").loc.line == 14);
  CHECK(g.train.at("batch").loc.column == 9);
  CHECK(g.train.size() == 12);
}

TEST_CASE("resnet_small.net: residual wiring, projection and cost") {
  Graph g = load("resnet_small.net");
  CHECK(g.name == "resnet_small");
  int adds = 0;
  for (const Node& n : g.nodes) adds += n.op == "add";
  CHECK(adds == 4);
  const Node& out = g.nodes[static_cast<size_t>(g.output)];
  CHECK(out.op == "softmax");
  CHECK(to_string(out.shape) == "7");
  int64_t macs = 0;
  for (const Node& n : g.nodes) macs += n.macs;
  CHECK(macs < 60'000'000);
  CHECK(macs > 20'000'000);
  bool projection = false;
  for (const Node& n : g.nodes)
    if (n.op == "conv" && n.attrs.get_ints("filters") == std::vector<int64_t>{64, 1, 1})
      projection = n.attrs.get_int("stride") == 2 && to_string(n.shape) == "64x12x12";
  CHECK(projection);
  REQUIRE(g.train.count("optimizer"));
  CHECK(std::get<std::string>(g.train.at("optimizer").value) == "adam");
}

TEST_CASE("comments, blank lines and continuation lines") {
  Graph g = parse(
      "# leading comment\n"
      "\n"
      "input 1x8x8   # trailing comment\n"
      "  # a comment between continuation lines\n"
      "\n"
      "  -> conv 4x3x3 -> relu\n"
      "  -> fc 7 -> softmax\n");
  CHECK(shapes(g) == "1x8x8|4x6x6|4x6x6|7|7");
  CHECK(g.name == "m");
  CHECK(g.nodes[1].loc.line == 6);
  CHECK(g.nodes[1].loc.line_text == "  -> conv 4x3x3 -> relu");
}

TEST_CASE("named and positional attributes, defaults filled") {
  Graph g = parse(
      "input 3x16x16 -> conv 8x3x3 stride 2 pad 1 bias false -> maxpool 2 stride 1\n"
      "-> dropout rate 0.25 -> bn eps 1e-3 momentum 0.2 -> fc 7");
  CHECK(shapes(g) == "3x16x16|8x8x8|8x7x7|8x7x7|8x7x7|7");
  CHECK(g.nodes[1].attrs.get_int("stride") == 2);
  CHECK(g.nodes[1].attrs.get_int("bias") == 0);
  CHECK(g.nodes[1].params.size() == 1);
  CHECK(g.nodes[2].attrs.get_int("pad") == 0);
  CHECK(g.nodes[3].attrs.get_float("rate") == doctest::Approx(0.25));
  CHECK(g.nodes[4].attrs.get_float("eps") == doctest::Approx(1e-3));
}

TEST_CASE("named tensors and multi-input ops") {
  Graph g = parse(
      "input 4x8x8\n"
      "x = conv 4x3x3 pad 1\n"
      "y = x -> relu -> conv 4x3x3 pad 1\n"
      "z = concat(x, y) axis 0\n"
      "s = add(x, y)\n"
      "concat(z, s) -> fc 3\n");
  CHECK(names(g) == "input,x,relu1,y,z,s,concat2,fc1");
  CHECK(shapes(g) == "4x8x8|4x8x8|4x8x8|4x8x8|8x8x8|4x8x8|12x8x8|3");
  CHECK(g.nodes[4].inputs == std::vector<int>{1, 3});
  CHECK(g.nodes[5].inputs == std::vector<int>{1, 3});
  CHECK(g.nodes[2].inputs == std::vector<int>{1});
  CHECK(g.consumers(1) == std::vector<int>{2, 4, 5});
  CHECK(g.output == 7);
}

TEST_CASE("a named chain feeds the next statement") {
  Graph g = parse("input 1x4x4\nh = fc 5\nrelu\n");
  CHECK(g.nodes[2].inputs == std::vector<int>{1});
  CHECK(g.nodes[1].name == "h");
}

TEST_CASE("ops from a plugin's schema work like built-ins") {
  ops::OpRegistry reg = ops::builtin_registry();
  ops::OpSchema s;
  s.name = "scale2";
  s.summary = "multiplies by a factor";
  s.attrs = {{"factor", AttrKind::Float, 2.0, true, "the factor"},
             {"mode", AttrKind::String, std::string("fast"), false, "how"}};
  s.infer = [](const std::vector<Shape>& in, const Attrs&) { return ops::Inferred{in[0], {}, 1}; };
  s.origin = "libferc_plugin_test.so";
  reg.add(s);
  Graph g = parse_model("input 6 -> scale2 3 mode \"exact\" -> fc 2\n", "p.net", reg);
  CHECK(g.nodes[1].name == "scale21");
  CHECK(g.nodes[1].attrs.get_float("factor") == doctest::Approx(3.0));
  CHECK(g.nodes[1].attrs.get_string("mode") == "exact");
  CHECK(to_string(g.nodes[1].shape) == "6");
}

TEST_CASE("fingerprint ignores comments and changes with shapes") {
  std::string a = fingerprint(parse("input 1x8x8 -> conv 4x3x3 -> fc 7\n"));
  std::string b =
      fingerprint(parse("# other text\ninput 1x8x8   # x\n  -> conv 4x3x3\n  -> fc 7\n"));
  std::string c = fingerprint(parse("input 1x8x8 -> conv 5x3x3 -> fc 7\n"));
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a ==
        "input[shape=1x8x8]:1x8x8|conv[bias=1,filters=4x3x3,pad=0,stride=1]:4x6x6|"
        "fc[bias=1,units=7]:7");
}

TEST_CASE("fingerprint records wiring other than a plain chain") {
  std::string a = fingerprint(parse("input 4\nx = fc 4\ny = x -> fc 4\nadd(y, x)\n"));
  std::string b = fingerprint(parse("input 4\nx = fc 4\ny = x -> fc 4\nadd(x, y)\n"));
  CHECK(a != b);
  CHECK(b == "input[shape=4]:4|fc[bias=1,units=4]:4|fc[bias=1,units=4]:4|add[]<1,2>:4");
}

TEST_CASE("a leading UTF-8 byte order mark is skipped") {
  Graph g = parse("\xEF\xBB\xBFinput 1x48x48 -> fc 7 -> softmax\n");
  CHECK(shapes(g) == "1x48x48|7|7");
  CHECK(g.nodes[1].loc.column == 18);
  try {
    parse("\xEF\xBB\xBFinput 4 -> fc\n");
    FAIL("expected an error");
  } catch (const SourceError& e) {
    CHECK(std::string(e.what()) ==
          "m.net:1:12: op 'fc' needs attribute 'units' (an integer: number of outputs)\n"
          "  input 4 -> fc\n"
          "             ^");
  }
}

// Memory once grew with the square of the model: every node kept a copy of its whole line.
TEST_CASE("a model of 20000 ops keeps per-node memory bounded, on one line or many") {
  for (bool one_line : {true, false}) {
    CAPTURE(one_line);
    // One line of 4000 ops is 32 KB: a whole copy in each node would be 128 MB.
    const int n = one_line ? 4000 : 20000;
    std::string text = "input 1x8x8";
    for (int i = 0; i < n; ++i) text += one_line ? " -> relu" : "\n  -> relu";
    text += "\n";
    Graph g = parse(text);
    REQUIRE(g.nodes.size() == static_cast<size_t>(n) + 1);
    size_t kept = 0, longest = 0;
    for (const Node& node : g.nodes) {
      kept += node.loc.line_text.capacity();
      longest = std::max(longest, node.loc.line_text.size());
    }
    CHECK(longest <= 163);  // an excerpt of 160 bytes and "..."
    CHECK(kept <= g.nodes.size() * 200);
    CHECK(g.nodes.back().name == "relu" + std::to_string(n));
    CHECK(g.nodes.back().loc.line == (one_line ? 1 : n + 1));
    CHECK(g.nodes.back().loc.column == (one_line ? static_cast<int>(text.size()) - 4 : 6));
    CHECK(g.output == n);
  }
}
