// plan_memory on hand-made lifetimes, and build_schedule's lifetimes on parsed models.
#include <doctest/doctest.h>

#include "ferc/dsl.h"
#include "ferc/memory_plan.h"
#include "schedule.h"

namespace ferc {
namespace {

bool overlap(const TensorLife& a, const TensorLife& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

// Every tensor has a buffer at least its size, and tensors sharing a buffer never overlap.
void check_valid(const std::vector<TensorLife>& t, const MemoryPlan& plan) {
  REQUIRE(plan.buffer_of.size() == t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    CAPTURE(i);
    if (t[i].bytes == 0) continue;
    int b = plan.buffer_of[i];
    REQUIRE(b >= 0);
    REQUIRE(b < static_cast<int>(plan.buffer_bytes.size()));
    CHECK(plan.buffer_bytes[static_cast<size_t>(b)] >= t[i].bytes);
    for (size_t j = i + 1; j < t.size(); ++j)
      if (plan.buffer_of[j] == b) CHECK_FALSE(overlap(t[i], t[j]));
  }
}

}  // namespace

TEST_CASE("plan_memory: overlapping lifetimes never share a buffer") {
  std::vector<TensorLife> t = {{100, 0, 3}, {200, 1, 2}, {50, 2, 5}, {300, 3, 3}, {80, 4, 6}};
  for (bool reuse : {true, false}) {
    CAPTURE(reuse);
    check_valid(t, plan_memory(t, reuse));
  }
  // All alive at step 2: three distinct buffers even with reuse.
  std::vector<TensorLife> all = {{10, 0, 2}, {20, 1, 4}, {30, 2, 2}};
  MemoryPlan p = plan_memory(all, true);
  CHECK(p.buffer_bytes.size() == 3);
  CHECK(p.total_bytes() == 60);
}

TEST_CASE("plan_memory: reuse hands a finished buffer to a later tensor") {
  // A chain: each tensor lives from its step to the next one.
  std::vector<TensorLife> chain = {{400, 0, 1}, {400, 1, 2}, {400, 2, 3}, {400, 3, 4}};
  MemoryPlan reused = plan_memory(chain, true);
  check_valid(chain, reused);
  CHECK(reused.buffer_bytes.size() == 2);
  CHECK(reused.total_bytes() == 800);
  CHECK(reused.buffer_of == std::vector<int>{0, 1, 0, 1});

  MemoryPlan separate = plan_memory(chain, false);
  CHECK(separate.total_bytes() == 1600);
  CHECK(reused.total_bytes() < separate.total_bytes());
}

TEST_CASE("plan_memory: best fit picks the smallest free buffer that is big enough") {
  std::vector<TensorLife> t = {{1000, 0, 0}, {100, 0, 0}, {500, 0, 0}, {90, 1, 1}};
  MemoryPlan p = plan_memory(t, true);
  check_valid(t, p);
  CHECK(p.buffer_of[3] == p.buffer_of[1]);
  CHECK(p.total_bytes() == 1600);
}

TEST_CASE("plan_memory: a free buffer too small is grown instead of adding one") {
  std::vector<TensorLife> t = {{100, 0, 0}, {40, 0, 0}, {300, 1, 1}};
  MemoryPlan p = plan_memory(t, true);
  check_valid(t, p);
  CHECK(p.buffer_bytes.size() == 2);
  CHECK(p.buffer_of[2] == p.buffer_of[0]);  // the larger of the two free buffers grows
  CHECK(p.buffer_bytes[static_cast<size_t>(p.buffer_of[2])] == 300);
  CHECK(p.total_bytes() == 340);
}

TEST_CASE("plan_memory: without reuse every tensor has its own buffer of its size") {
  std::vector<TensorLife> t = {{100, 0, 0}, {200, 1, 1}, {300, 2, 2}, {0, 3, 3}, {50, 4, 4}};
  MemoryPlan p = plan_memory(t, false);
  CHECK(p.buffer_of == std::vector<int>{0, 1, 2, -1, 3});
  CHECK(p.buffer_bytes == std::vector<int64_t>{100, 200, 300, 50});
  CHECK(p.total_bytes() == 650);
}

TEST_CASE("build_schedule: a chain's lifetimes for inference and training") {
  ops::OpRegistry reg = ops::builtin_registry();
  Graph g = parse_model("input 4 -> fc 6 -> relu -> fc 3 -> softmax\n", "chain.net", reg);
  REQUIRE(g.nodes.size() == 5);

  exec::Schedule inf = exec::build_schedule(g, 2, false);
  REQUIRE(inf.tensors.size() == 10);
  const int64_t bytes[] = {2 * 4 * 4, 2 * 6 * 4, 2 * 6 * 4, 2 * 3 * 4, 2 * 3 * 4};
  for (int n = 0; n < 5; ++n) {
    CAPTURE(n);
    const TensorLife& a = inf.tensors[static_cast<size_t>(inf.activation(n))];
    CHECK(a.bytes == bytes[n]);
    CHECK(a.first_step == n);
    CHECK(a.last_step == (n == 4 ? 4 : n + 1));  // read by the next node; the output to the end
    CHECK(inf.tensors[static_cast<size_t>(inf.gradient(n))].bytes == 0);
  }
  CHECK(plan_memory(inf.tensors, true).buffer_bytes.size() == 2);

  exec::Schedule tr = exec::build_schedule(g, 2, true);
  // Forward steps 0..4, backward of node n at step 5 + (4 - n): node 4 at 5, node 1 at 8.
  CHECK(tr.backward_step(4) == 5);
  CHECK(tr.backward_step(1) == 8);
  for (int n = 0; n < 5; ++n) {
    CAPTURE(n);
    const TensorLife& a = tr.tensors[static_cast<size_t>(tr.activation(n))];
    CHECK(a.first_step == n);
    // Read by its own backward (step 9 - n, after its consumer's); the input only by fc1's
    // backward, the output to the end.
    CHECK(a.last_step == (n == 0 || n == 4 ? 8 : tr.backward_step(n)));
  }
  CHECK(tr.tensors[0].last_step == 8);  // the input is read by fc1's backward
  // The input gets no gradient; every other node's gradient is written by its consumer.
  CHECK(tr.tensors[static_cast<size_t>(tr.gradient(0))].bytes == 0);
  CHECK_FALSE(tr.edge(1, 0).needed);
  for (int n = 1; n < 4; ++n) {
    CAPTURE(n);
    const TensorLife& grad = tr.tensors[static_cast<size_t>(tr.gradient(n))];
    CHECK(grad.bytes == bytes[n]);
    CHECK(grad.first_step == tr.backward_step(n + 1));
    CHECK(grad.last_step == tr.backward_step(n));
    CHECK(tr.edge(n + 1, 0).direct);
    CHECK(tr.edge(n + 1, 0).scratch == -1);
  }
  CHECK(tr.tensors.size() == 10);  // no scratch in a chain
}

TEST_CASE("build_schedule: a residual graph sums gradients through scratch tensors") {
  ops::OpRegistry reg = ops::builtin_registry();
  Graph g = parse_model(
      "input 2x4x4\n"
      "x = conv 3x3x3 pad 1\n"
      "a = x -> conv 3x3x3 pad 1\n"
      "s = add(x, a)\n"
      "concat(x, s) -> fc 7 -> softmax\n",
      "res.net", reg);
  // ids: input 0, x 1, a 2, s 3, concat 4, fc 5, softmax 6
  REQUIRE(g.nodes.size() == 7);
  CHECK(g.consumers(1) == std::vector<int>{2, 3, 4});

  exec::Schedule inf = exec::build_schedule(g, 1, false);
  CHECK(inf.tensors[1].first_step == 1);
  CHECK(inf.tensors[1].last_step == 4);  // read last by concat
  CHECK(inf.tensors[3].last_step == 4);

  exec::Schedule tr = exec::build_schedule(g, 1, true);
  // Backward runs consumers in descending id: concat (4) writes x's gradient first, then add
  // (3) and conv a (2) write scratch that is added.
  CHECK(tr.edge(4, 0).direct);
  CHECK(tr.edge(4, 0).producer == 1);
  CHECK_FALSE(tr.edge(3, 0).direct);
  CHECK_FALSE(tr.edge(2, 0).direct);
  CHECK(tr.edge(3, 0).scratch >= 14);
  CHECK(tr.edge(2, 0).scratch >= 14);
  CHECK(tr.edge(2, 0).scratch != tr.edge(3, 0).scratch);
  CHECK(tr.tensors.size() == 16);
  const TensorLife& gx = tr.tensors[static_cast<size_t>(tr.gradient(1))];
  CHECK(gx.bytes == 3 * 4 * 4 * 4);
  CHECK(gx.first_step == tr.backward_step(4));
  CHECK(gx.last_step == tr.backward_step(1));
  for (int c : {2, 3}) {
    const TensorLife& scratch = tr.tensors[static_cast<size_t>(tr.edge(c, 0).scratch)];
    CHECK(scratch.bytes == gx.bytes);
    CHECK(scratch.first_step == tr.backward_step(c));
    CHECK(scratch.last_step == tr.backward_step(c));
  }
  // x is read last by its own backward, after those of all its consumers.
  CHECK(tr.tensors[1].last_step == tr.backward_step(1));
  check_valid(tr.tensors, plan_memory(tr.tensors, true));
  CHECK(plan_memory(tr.tensors, true).total_bytes() < plan_memory(tr.tensors, false).total_bytes());
}

}  // namespace ferc
