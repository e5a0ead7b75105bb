#include <doctest/doctest.h>

#include <sys/stat.h>

#include <fstream>

#include "dsl_test_util.h"
#include "scratch_dir.h"

using namespace ferc;
using ferc::test::parse_error;

namespace {

// Checks message (exactly) and position of the error `text` raises.
void expect_error(const std::string& text, const std::string& message, int line, int column) {
  SourceError e = parse_error(text);
  CHECK(e.message() == message);
  CHECK(e.loc().line == line);
  CHECK(e.loc().column == column);
}

}  // namespace

TEST_CASE("syntax: a named attribute without its value") {
  expect_error("input 1x8x8\n  -> conv 4x3x3 stride -> relu\n",
               "expected an attribute value after 'stride', found '->'", 2, 24);
}

TEST_CASE("syntax: the full message shows file, line, source and caret") {
  SourceError e = parse_error("input 1x8x8\n  -> conv 4x3x3 stride -> relu\n");
  CHECK(std::string(e.what()) ==
        "m.net:2:24: expected an attribute value after 'stride', found '->'\n"
        "    -> conv 4x3x3 stride -> relu\n"
        "                         ^");
}

TEST_CASE("syntax: an arrow with no op after it") {
  expect_error("input 1x8x8 -> fc 7 ->\n", "expected an op name after '->', found end of line", 1,
               23);
}

TEST_CASE("syntax: unclosed parenthesis and stray characters") {
  expect_error("input 4\nx = fc 4\ny = fc 4\nadd(x, y -> relu\n",
               "expected ',' or ')' after 'y', found '->'", 4, 10);
  expect_error("input 4 -> fc 4 )\n",
               "expected '->', an attribute or the end of the line after '4', found ')'", 1, 17);
  expect_error("input 4\n= fc 4\n", "expected an op or a tensor name, found '='", 2, 1);
}

TEST_CASE("syntax: train settings are one key and one value per line") {
  expect_error("input 4 -> fc 2\ntrain {\n  lr\n}\n",
               "expected an attribute value after 'lr', found end of line", 3, 5);
  expect_error("input 4 -> fc 2\ntrain {\n  lr 0.1 batch 3\n}\n",
               "expected the end of the line (one 'key value' per line) after '0.1', found 'batch'",
               3, 10);
  expect_error("input 4 -> fc 2\ntrain\n",
               "expected '{' (the settings go on the lines below) after 'train', found end of line",
               2, 6);
  expect_error("input 4 -> fc 2\ntrain {\n  lr 0.1\n",
               "the train block is never closed: expected a line with '}' after it", 2, 1);
  expect_error("input 4 -> fc 2\ntrain {\n  lr 0.1\n  lr 0.2\n}\n",
               "train setting 'lr' is given twice (first on line 3); keep one", 4, 3);
}

TEST_CASE("unknown op names the closest known ops") {
  expect_error("input 1x8x8\n  -> maxpol 2\n", "unknown op 'maxpol'; did you mean 'maxpool'?", 2,
               6);
  expect_error("input 1x8x8 -> zzzzzzzzzz\n",
               "unknown op 'zzzzzzzzzz'; known ops: add, avgpool, bn, concat, conv, dropout, fc, "
               "flatten, gap, input, maxpool, relu, softmax",
               1, 16);
}

TEST_CASE("bad attributes are reported by the op's schema") {
  expect_error("input 1x8x8 -> conv 4x3x3 strid 2\n",
               "op 'conv' has no attribute 'strid'; did you mean 'stride'? (attributes: filters, "
               "stride, pad, bias)",
               1, 27);
  expect_error("input 1x8x8 -> conv\n",
               "op 'conv' needs attribute 'filters' (dims (like 20x5x5): output channels x kernel "
               "height x width)",
               1, 16);
  expect_error("input 1x8x8 -> conv 4x3x3 pad 1.5\n",
               "attribute 'pad' of op 'conv' expects an integer, got a number '1.5'", 1, 27);
}

TEST_CASE("wrong number of inputs") {
  expect_error("input 4\nx = fc 4\nadd(x) -> fc 2\n", "op 'add' takes at least 2 inputs, got 1", 3,
               1);
  expect_error("input 4 -> fc 4 -> add\n", "op 'add' takes at least 2 inputs, got 1", 1, 20);
  expect_error("input 4\nx = fc 4\ny = fc 4\nrelu(x, y)\n",
               "op 'relu' takes exactly 1 input, got 2", 4, 1);
}

TEST_CASE("undefined tensor names suggest defined ones") {
  expect_error("input 4\nbranch1 = fc 4\nbranch2 = fc 4\nadd(branch1, branch3)\n",
               "undefined tensor 'branch3'; did you mean 'branch1' or 'branch2'?", 4, 14);
  expect_error("input 4\nx1 = fc 4\nx2 -> fc 2\n", "undefined tensor 'x2'; did you mean 'x1'?", 3,
               1);
}

TEST_CASE("a name defined twice") {
  expect_error("input 4\nx = fc 4\nx = relu\nadd(x, x)\n",
               "tensor 'x' is defined twice (first on line 2); choose another name", 3, 1);
  expect_error("input 4 -> fc 3\nfc1 = relu\n",
               "tensor 'fc1' is defined twice (first on line 1); choose another name", 2, 1);
}

TEST_CASE("shape mismatches name the node, op and input shapes") {
  expect_error("input 4x8x8\na = conv 4x3x3 pad 1\nb = conv 4x3x3\nadd(a, b) -> fc 2\n",
               "node 'add1' (add): all inputs must have one shape; input 1 is 4x8x8, input 2 is "
               "4x6x6 (input shapes: 4x8x8, 4x6x6)",
               4, 1);
  expect_error("input 1x4x4 -> conv 4x5x5\n",
               "node 'conv1' (conv): kernel 5 is larger than the padded height 4 of input 1x4x4 "
               "(input shapes: 1x4x4)",
               1, 16);
}

TEST_CASE("a chain with nothing before it") {
  expect_error("-> conv 4x3x3\n",
               "a chain has nothing before '->'; start it with a source such as 'input 1x48x48', "
               "an op or a tensor name",
               1, 1);
  expect_error("model m\n  -> fc 2\n",
               "a chain has nothing before '->'; start it with a source such as 'input 1x48x48', "
               "an op or a tensor name",
               2, 3);
}

TEST_CASE("named tensors that are never read") {
  expect_error("input 4\nh = fc 4\nq = h -> fc 4\nh -> fc 2\n",
               "tensor 'q' is never used; read it in a later statement (e.g. 'add(q, ...)') or "
               "remove it",
               3, 1);
  expect_error("input 4 -> fc 4\ninput -> fc 2\n",
               "a second 'input' statement; a model has exactly one, first (the first is on line "
               "1)",
               2, 1);
}

TEST_CASE("missing input, empty file") {
  expect_error("model m\nconv 4x3x3 -> fc 2\n",
               "missing input statement: a model starts with 'input' and a shape, e.g. 'input "
               "1x48x48', found op 'conv'",
               2, 1);
  expect_error("",
               "the model is empty: write 'input CxHxW' followed by ops, e.g. 'input 1x48x48 "
               "-> fc 7 -> softmax' (see docs/dsl.md)",
               1, 1);
  expect_error("# only a comment\n\n",
               "the model is empty: write 'input CxHxW' followed by ops, e.g. 'input 1x48x48 -> "
               "fc 7 -> softmax' (see docs/dsl.md)",
               1, 1);
  expect_error("model m\ntrain {\n  lr 1\n}\n",
               "missing input statement: a model needs at least 'input CxHxW' and ops after it, "
               "e.g. 'input 1x48x48 -> fc 7 -> softmax'",
               1, 1);
}

TEST_CASE("files that are not models") {
  std::string jpeg("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
  SourceError e = parse_error(jpeg);
  CHECK(e.message() ==
        "this does not look like a ferc model: it holds a JPEG image, not text; pass a .net "
        "model file");
  CHECK(std::string(e.what()).find("JFIF") == std::string::npos);

  std::string csv_path = std::string(FERC_SHARED_DIR) + "/samples/photos/photos.csv";
  std::ifstream csv(csv_path);
  if (csv) {
    try {
      load_model(csv_path, ops::builtin_registry());
      FAIL("a CSV file parsed as a model");
    } catch (const SourceError& err) {
      CHECK(err.message().starts_with("this does not look like a ferc model: it starts with '"));
      CHECK(err.loc().line == 1);
    }
  }
  expect_error("file,what,expected\na.jpg,x,y\n",
               "this does not look like a ferc model: it starts with 'file,what,expected'; a model "
               "starts with 'model NAME' or 'input CxHxW' (see docs/dsl.md)",
               1, 1);
}

TEST_CASE("load_model names a missing file") {
  try {
    load_model("/nonexistent/dir/m.net", ops::builtin_registry());
    FAIL("loaded a missing file");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          "cannot read model file /nonexistent/dir/m.net: no such file; pass the path of a "
          ".net file such as models/lenet_bn.net");
  }
}

TEST_CASE("load_model refuses a folder and a pipe instead of blocking on them") {
  test::ScratchDir dir("dsl");
  const std::string fix = "; pass the path of a .net file such as models/lenet_bn.net";
  auto load_error = [](const std::filesystem::path& p) {
    try {
      load_model(p, ops::builtin_registry());
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  CHECK(load_error(dir.path()) ==
        "cannot read model file " + dir.path().string() + ": it is a folder, not a file" + fix);
  REQUIRE(mkfifo((dir / "pipe.net").c_str(), 0600) == 0);
  CHECK(load_error(dir / "pipe.net") == "cannot read model file " + (dir / "pipe.net").string() +
                                            ": it is a pipe, socket or device, not a regular "
                                            "file" +
                                            fix);
}

TEST_CASE("shapes: a layer too large for a tensor is refused at its op") {
  expect_error("input 1x48x48 -> conv 999999999x5x5 -> fc 7\n",
               "node 'conv1' (conv): output 999999999x44x44 has more than 2,147,483,647 elements "
               "per sample, the most a ferc tensor can hold; use fewer channels or units (input "
               "shapes: 1x48x48)",
               1, 18);
  // The output fits but the weight matrix (2304 x 1e9) does not.
  expect_error("input 1x48x48 -> fc 1000000000\n",
               "node 'fc1' (fc): parameter 'weight' 1000000000x2304 has more than 2,147,483,647 "
               "elements, the most a ferc tensor can hold; use fewer channels or units (input "
               "shapes: 1x48x48)",
               1, 18);
  expect_error("input 100000x100000x100000 -> fc 7\n",
               "node 'input' (input): output 100000x100000x100000 has more than 2,147,483,647 "
               "elements per sample, the most a ferc tensor can hold; use fewer channels or units",
               1, 1);
}

TEST_CASE("syntax: a non-ASCII character is shown whole, and a typographic arrow explained") {
  expect_error("input 1x8x8\n  -> conv 4x3x3 \xe2\x86\x92 relu\n",
               "expected '->', an attribute or the end of the line after '4x3x3', found "
               "'\xe2\x86\x92' (write the arrow as '->')",
               2, 17);
  expect_error("input 1x8x8 -> fc 7 \xc3\xa9\n",
               "expected '->', an attribute or the end of the line after '7', found '\xc3\xa9'", 1,
               21);
}

TEST_CASE("unknown name at the head of a chain: a close tensor is suggested too") {
  expect_error(
      "input 1x8x8\nz1 = fc 4\nz2 pad 1 -> relu\n",
      "'z2' is neither an op nor a defined tensor; did you mean tensor 'z1', or op 'bn' or 'fc'?",
      3, 1);
}

TEST_CASE("numbers out of range are reported as such, with the range") {
  const std::string ints = "integers must be between -9223372036854775808 and 9223372036854775807";
  expect_error("input 1x48x48 -> fc 99999999999999999999\n",
               "integer 99999999999999999999 is out of range: " + ints, 1, 21);
  expect_error("input 1x48x48 -> fc -99999999999999999999 -> softmax\n",
               "integer -99999999999999999999 is out of range: " + ints, 1, 21);
  expect_error(
      "input 1x99999999999999999999x48\n",
      "dims 1x99999999999999999999x48 hold 99999999999999999999, which is out of range: " + ints, 1,
      7);
  expect_error("input 4 -> fc 7 -> softmax\ntrain {\n  lr 1e999\n}\n",
               "number 1e999 is out of range: numbers must be between -1.7976931348623157e308 and "
               "1.7976931348623157e308",
               3, 6);
  expect_error("input 4 -> dropout -2.5e400 -> fc 7\n",
               "number -2.5e400 is out of range: numbers must be between -1.7976931348623157e308 "
               "and 1.7976931348623157e308",
               1, 20);
  // In range, the grammar's own message stays.
  expect_error("input 4 -> fc 12ab\n",
               "expected '->', an attribute or the end of the line after 'fc', found '12ab'", 1,
               15);
}

TEST_CASE("huge pad, stride or kernel values are refused at the op, without overflow") {
  expect_error("input 1x48x48 -> conv 20x5x5 pad 9223372036854775807 -> fc 7 -> softmax\n",
               "node 'conv1' (conv): pad must be in [0, 4] (less than the kernel size 5x5), got "
               "9223372036854775807 (input shapes: 1x48x48)",
               1, 18);
  expect_error("input 1x48x48 -> conv 20x5x5 pad 4611686018427387904 -> fc 7 -> softmax\n",
               "node 'conv1' (conv): pad must be in [0, 4] (less than the kernel size 5x5), got "
               "4611686018427387904 (input shapes: 1x48x48)",
               1, 18);
  expect_error("input 1x48x48 -> maxpool 2 stride 9223372036854775807 pad 1 -> fc 7\n",
               "node 'maxpool1' (maxpool): stride must be in [0, 2147483647] (0: the kernel "
               "size), got 9223372036854775807 (input shapes: 1x48x48)",
               1, 18);
}

TEST_CASE("a multi-input op after '->' is explained") {
  expect_error("input 4 -> fc 3\na = relu\nb = a -> fc 3 -> concat(a, b)\n",
               "'concat(...)' cannot follow '->': a multi-input op reads the tensors in its "
               "parentheses, so it starts a statement, e.g. 'x = concat(a, b)'; name the chain "
               "before '->' ('a = ...') and pass 'a' in the parentheses",
               3, 18);
  expect_error("input 4 -> fc 3\na = relu\nb = fc 3\n  -> add (a, b)\n",
               "'add(...)' cannot follow '->': a multi-input op reads the tensors in its "
               "parentheses, so it starts a statement, e.g. 'x = add(a, b)'; name the chain "
               "before '->' ('a = ...') and pass 'a' in the parentheses",
               4, 6);
}

TEST_CASE("a name with a character outside ASCII says what names are made of") {
  expect_error("inp\xC3\xBCt 1x48x48 -> fc 7\n",
               "'inp\xC3\xBCt' holds '\xC3\xBC', which is not ASCII; names are made of ASCII "
               "letters, digits and '_' (starting with a letter or '_'), and other text goes in "
               "double quotes",
               1, 4);
  expect_error("input 4 -> f\xC3\xA7 7\n",
               "'f\xC3\xA7' holds '\xC3\xA7', which is not ASCII; names are made of ASCII "
               "letters, digits and '_' (starting with a letter or '_'), and other text goes in "
               "double quotes",
               1, 13);
}

TEST_CASE("an error on a very long line shows the part around the column") {
  std::string line = "input 4";
  for (int i = 0; i < 100; ++i) line += " -> relu";
  std::string text = line + " -> rleu" + line.substr(7) + "\n";
  SourceError e = parse_error(text);
  size_t col0 = line.size() + 4;  // the 'rleu'
  CHECK(e.loc().column == static_cast<int>(col0) + 1);
  const size_t half = 80, shown = 160;
  CHECK(e.loc().text_column == static_cast<int>(col0 - half) + 1);
  CHECK(e.loc().line_text == text.substr(col0 - half, shown) + "...");
  CHECK(std::string(e.what()) ==
        "m.net:1:" + std::to_string(col0 + 1) + ": unknown op 'rleu'; did you mean 'relu'?\n  ..." +
            text.substr(col0 - half, shown) + "...\n  " + std::string(3 + half, ' ') + "^");
}
