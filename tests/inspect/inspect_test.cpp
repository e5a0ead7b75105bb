#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ferc/dsl.h"
#include "ferc/inspect.h"

using namespace ferc;

namespace {

Graph lenet() {
  return load_model(std::string(FERC_SOURCE_DIR) + "/models/lenet_bn.net", ops::builtin_registry());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("summary_table: one row per node with params and MACs, then totals") {
  Graph g = lenet();
  std::string t = summary_table(g, 30, 10 * 1024 * 1024);
  CHECK(contains(t, "name      op       inputs    output     params       MACs\n"));
  CHECK(contains(t, "conv1     conv     input     20x44x44      520    968,000\n"));
  CHECK(contains(t, "fc1       fc       maxpool2  500       810,500    810,000\n"));
  CHECK(contains(t, "softmax1  softmax  fc3       7               0         21\n"));
  CHECK(contains(t, "parameters: 973,527\n"));
  CHECK(contains(t, "multiply-adds per sample: 5,305,721 (5.31 M)\n"));
  CHECK(contains(t, "forward at batch 30: 0.159 GMACs\n"));
  CHECK(contains(t, "planned activation memory at batch 30: 10.00 MiB\n"));
  size_t rows = 0;
  for (const Node& n : g.nodes) rows += contains(t, "\n" + n.name + " ");
  CHECK(rows == g.nodes.size());
}

TEST_CASE("summary_table lists every input of a multi-input node") {
  Graph g = parse_model("input 4\na = fc 4\nb = a -> fc 4\nadd(a, b)\n", "r.net",
                        ops::builtin_registry());
  std::string t = summary_table(g, 1, 0);
  CHECK(contains(t, "add1   add    a, b    4            0     4\n"));
  CHECK(contains(t, "planned activation memory at batch 1: 0.00 MiB\n"));
}

TEST_CASE("to_dot: every node with op, non-default attributes and shape; labelled edges") {
  Graph g = parse_model("input 1x8x8\nx = conv 4x3x3 pad 1\ny = x -> relu\nadd(x, y) -> fc 7\n",
                        "d.net", ops::builtin_registry());
  std::string dot = to_dot(g);
  CHECK(dot.starts_with("digraph \"d\" {\n"));
  CHECK(contains(dot, "  n0 [label=\"input\\ninput\\n1x8x8\"];\n"));
  CHECK(contains(dot, "  n1 [label=\"x\\nconv\\nfilters 4x3x3\\npad 1\\n4x8x8\"];\n"));
  CHECK(contains(dot, "  n2 [label=\"y\\nrelu\\n4x8x8\"];\n"));
  CHECK(contains(dot, "  n3 [label=\"add1\\nadd\\n4x8x8\"];\n"));
  CHECK(contains(dot, "  n4 [label=\"fc1\\nfc\\nunits 7\\n7\"];\n"));
  CHECK(contains(dot, "  n0 -> n1 [label=\"1x8x8\"];\n"));
  CHECK(contains(dot, "  n1 -> n2 [label=\"4x8x8\"];\n"));
  CHECK(contains(dot, "  n1 -> n3 [label=\"4x8x8\"];\n"));
  CHECK(contains(dot, "  n2 -> n3 [label=\"4x8x8\"];\n"));
  CHECK(contains(dot, "  n3 -> n4 [label=\"4x8x8\"];\n"));
  CHECK(dot.ends_with("}\n"));
}

TEST_CASE("to_dot output is accepted by Graphviz when it is installed") {
  if (std::system("command -v dot > /dev/null 2>&1") != 0) return;
  auto dir = std::filesystem::temp_directory_path() / "ferc_inspect_test";
  std::filesystem::create_directories(dir);
  for (const char* model : {"lenet_bn.net", "resnet_small.net"}) {
    Graph g =
        load_model(std::string(FERC_SOURCE_DIR) + "/models/" + model, ops::builtin_registry());
    std::ofstream(dir / "g.dot") << to_dot(g);
    std::string cmd = "dot -Tsvg " + (dir / "g.dot").string() + " -o " + (dir / "g.svg").string() +
                      " 2>/dev/null";
    CHECK_MESSAGE(std::system(cmd.c_str()) == 0, model);
    CHECK(std::filesystem::file_size(dir / "g.svg") > 1000);
  }
  std::filesystem::remove_all(dir);
}
