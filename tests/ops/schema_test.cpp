#include <doctest/doctest.h>

#include "ferc/ops/schema.h"

using namespace ferc;
using namespace ferc::ops;

namespace {

Inferred infer(const char* op, std::vector<Shape> in, std::vector<RawAttr> raw) {
  OpRegistry reg = builtin_registry();
  const OpSchema* s = reg.find(op);
  REQUIRE(s != nullptr);
  return s->infer(in, bind_attrs(*s, raw, SourceLoc{"m.net", 1, 1, ""}));
}

RawAttr pos(AttrValue v) {
  return RawAttr{"", std::move(v), SourceLoc{"m.net", 1, 6, ""}};
}
RawAttr named(const char* n, AttrValue v) {
  return RawAttr{n, std::move(v), SourceLoc{"m.net", 1, 9, ""}};
}

}  // namespace

TEST_CASE("conv 20x5x5 on 1x48x48 gives 20x44x44 with He-initialised weights") {
  Inferred r = infer("conv", {Shape{1, 48, 48}}, {pos(std::vector<int64_t>{20, 5, 5})});
  CHECK(to_string(r.output) == "20x44x44");
  REQUIRE(r.params.size() == 2);
  CHECK(to_string(r.params[0].shape) == "20x1x5x5");
  CHECK(r.params[0].fan_in == 25);
  CHECK(r.macs == 20 * 44 * 44 * 25);
}

TEST_CASE("conv with stride and pad") {
  Inferred r = infer("conv", {Shape{3, 32, 32}},
                     {pos(std::vector<int64_t>{8, 3, 3}), named("stride", int64_t{2}),
                      named("pad", int64_t{1}), named("bias", std::string("false"))});
  CHECK(to_string(r.output) == "8x16x16");
  CHECK(r.params.size() == 1);
}

TEST_CASE("maxpool 2 halves, rounding down") {
  CHECK(to_string(infer("maxpool", {Shape{20, 18, 18}}, {pos(int64_t{2})}).output) == "20x9x9");
  CHECK(to_string(infer("maxpool", {Shape{20, 9, 9}}, {pos(int64_t{2})}).output) == "20x4x4");
  CHECK(to_string(infer("avgpool", {Shape{4, 8, 8}},
                        {pos(int64_t{3}), named("stride", int64_t{1}), named("pad", int64_t{1})})
                      .output) == "4x8x8");
}

TEST_CASE("fc flattens and counts parameters") {
  Inferred r = infer("fc", {Shape{20, 9, 9}}, {pos(int64_t{500})});
  CHECK(to_string(r.output) == "500");
  CHECK(to_string(r.params[0].shape) == "500x1620");
  CHECK(r.macs == 500 * 1620);
}

TEST_CASE("bn keeps running statistics out of training") {
  Inferred r = infer("bn", {Shape{20, 44, 44}}, {});
  REQUIRE(r.params.size() == 4);
  CHECK(r.params[0].trainable);
  CHECK_FALSE(r.params[2].trainable);
  CHECK(r.params[2].name == "running_mean");
}

TEST_CASE("shape errors state the rule and the shapes") {
  CHECK_THROWS_WITH_AS(infer("add", {Shape{4, 8, 8}, Shape{4, 8, 7}}, {}),
                       "all inputs must have one shape; input 1 is 4x8x8, input 2 is 4x8x7",
                       ShapeError);
  CHECK_THROWS_WITH_AS(infer("conv", {Shape{1, 4, 4}}, {pos(std::vector<int64_t>{2, 5, 5})}),
                       "kernel 5 is larger than the padded height 4 of input 1x4x4", ShapeError);
  CHECK_THROWS_WITH_AS(
      infer("softmax", {Shape{7, 3, 3}}, {}),
      "expected a feature vector (rank 1), got 7x3x3; put fc or gap before softmax", ShapeError);
  CHECK_THROWS_WITH_AS(infer("concat", {Shape{4, 8, 8}, Shape{2, 4, 8}}, {}),
                       "inputs must match except on axis 0; input 1 is 4x8x8, input 2 is 2x4x8",
                       ShapeError);
}

TEST_CASE("concat adds channels") {
  CHECK(to_string(infer("concat", {Shape{4, 8, 8}, Shape{2, 8, 8}}, {}).output) == "6x8x8");
}

TEST_CASE("attribute binding errors point at the value") {
  OpRegistry reg = builtin_registry();
  const OpSchema& conv = *reg.find("conv");
  SourceLoc at{"m.net", 3, 7, "conv 20x5x5 strde 2"};
  try {
    bind_attrs(conv, {pos(std::vector<int64_t>{20, 5, 5}), RawAttr{"strde", int64_t{2}, at}}, at);
    FAIL("expected an error");
  } catch (const SourceError& e) {
    CHECK(e.loc().column == 7);
    CHECK(e.message() ==
          "op 'conv' has no attribute 'strde'; did you mean 'stride'? (attributes: filters, "
          "stride, pad, bias)");
  }
  CHECK_THROWS_WITH(bind_attrs(*reg.find("fc"), {}, at),
                    doctest::Contains("op 'fc' needs attribute 'units'"));
  CHECK_THROWS_WITH(
      bind_attrs(*reg.find("dropout"), {pos(std::string("half"))}, at),
      doctest::Contains("attribute 'rate' of op 'dropout' expects a number, got a name 'half'"));
}

TEST_CASE("unknown ops get the closest names") {
  OpRegistry reg = builtin_registry();
  auto near = reg.closest("maxpol");
  REQUIRE_FALSE(near.empty());
  CHECK(near[0] == "maxpool");
  CHECK(reg.closest("cnv").front() == "conv");
}

TEST_CASE("a duplicate op is refused with both origins") {
  OpRegistry reg = builtin_registry();
  OpSchema again = ferc::ops::builtin_registry().find("relu") ? OpSchema{} : OpSchema{};
  again.name = "relu";
  again.origin = "/tmp/libmine.so";
  CHECK_THROWS_WITH(reg.add(again),
                    "op 'relu' is defined twice: by built-in and by "
                    "/tmp/libmine.so; rename one of them");
}

TEST_CASE("window attributes are bounded, so shape inference cannot overflow") {
  const int64_t big = 9223372036854775807, half = 4611686018427387904;
  auto conv = [](std::vector<int64_t> f, int64_t stride, int64_t pad) {
    return infer("conv", {Shape{1, 48, 48}},
                 {pos(std::move(f)), named("stride", stride), named("pad", pad)});
  };
  CHECK_THROWS_WITH_AS(conv({20, 5, 5}, 1, big),
                       "pad must be in [0, 4] (less than the kernel size 5x5), got "
                       "9223372036854775807",
                       ShapeError);
  CHECK_THROWS_WITH_AS(conv({20, 5, 5}, 1, half),
                       "pad must be in [0, 4] (less than the kernel size 5x5), got "
                       "4611686018427387904",
                       ShapeError);
  CHECK_THROWS_WITH_AS(conv({20, 1, 3}, 1, 3),
                       "pad must be in [0, 2] (less than the kernel size 1x3), got 3", ShapeError);
  CHECK_THROWS_WITH_AS(conv({20, 5, 5}, 1, -1),
                       "pad must be in [0, 4] (less than the kernel size 5x5), got -1", ShapeError);
  CHECK_THROWS_WITH_AS(conv({20, 5, 5}, big, 0),
                       "stride must be in [1, 2147483647], got 9223372036854775807", ShapeError);
  CHECK_THROWS_WITH_AS(conv({20, 5, 5}, 0, 0), "stride must be in [1, 2147483647], got 0",
                       ShapeError);
  CHECK_THROWS_WITH_AS(conv({20, half, half}, 1, half - 1),
                       "filters must be between 1 and 2147483647 each, got "
                       "20x4611686018427387904x4611686018427387904",
                       ShapeError);
  CHECK_THROWS_WITH_AS(conv({big, 5, 5}, 1, 0),
                       "filters must be between 1 and 2147483647 each, got 9223372036854775807x5x5",
                       ShapeError);
  CHECK_THROWS_WITH_AS(conv({0, 5, 5}, 1, 0),
                       "filters must be between 1 and 2147483647 each, got 0x5x5", ShapeError);
  // The largest kernel and pad allowed: no overflow, and products saturate instead of wrapping.
  Inferred r = conv({2147483647, 2147483647, 2147483647}, 1, 2147483646);
  CHECK(to_string(r.output) == "2147483647x2147483694x2147483694");
  CHECK(r.macs == big);

  auto pool = [](int64_t k, int64_t stride, int64_t pad) {
    return infer("maxpool", {Shape{4, 8, 8}}, {pos(k), named("stride", stride), named("pad", pad)});
  };
  CHECK_THROWS_WITH_AS(pool(2, 0, half),
                       "pad must be in [0, 1] (less than the kernel 2), got 4611686018427387904",
                       ShapeError);
  CHECK_THROWS_WITH_AS(pool(big, 0, 0),
                       "kernel must be in [1, 2147483647], got 9223372036854775807", ShapeError);
  CHECK_THROWS_WITH_AS(
      pool(2, -1, 0), "stride must be in [0, 2147483647] (0: the kernel size), got -1", ShapeError);
  CHECK(pool(2147483647, 0, 2147483646).macs == big);

  CHECK_THROWS_WITH_AS(infer("fc", {Shape{20, 9, 9}}, {pos(big)}),
                       "units must be in [1, 2147483647], got 9223372036854775807", ShapeError);
  CHECK_THROWS_WITH_AS(infer("fc", {Shape{20, 9, 9}}, {pos(int64_t{0})}),
                       "units must be in [1, 2147483647], got 0", ShapeError);
}
