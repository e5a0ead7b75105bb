// The CPU plugin's table: ABI refusal, memory slots and optimizer steps.
#include <cmath>
#include <set>
#include <string>

#include "compare.h"

namespace ferc::test {
namespace {

const ferc_plugin& table() {
  return *cpu_plugin().table();
}

TEST_CASE("the entry refuses a host built against another ABI version") {
  ferc_plugin_entry_fn entry = cpu_plugin().entry();
  CHECK(entry(FERC_PLUGIN_ABI_VERSION) == &table());
  CHECK(entry(FERC_PLUGIN_ABI_VERSION + 1) == nullptr);
  CHECK(entry(0) == nullptr);
}

TEST_CASE("the table names the device and carries every built-in op") {
  CHECK(std::string(table().name) == "cpu");
  CHECK(std::string(table().device) == "cpu");
  CHECK(table().abi_version == FERC_PLUGIN_ABI_VERSION);
  std::set<std::string> ops;
  for (int32_t i = 0; i < table().n_kernels; ++i) {
    const ferc_kernel& k = table().kernels[i];
    ops.insert(k.op);
    CHECK_MESSAGE(bool(k.forward), k.op);
    CHECK_MESSAGE(bool(k.backward), k.op);
    CHECK_MESSAGE(!k.infer, k.op);  // built-in ops take their schema from ferc
  }
  CHECK(ops == std::set<std::string>{"conv", "bn", "relu", "maxpool", "avgpool", "gap", "fc",
                                     "dropout", "flatten", "add", "concat", "softmax",
                                     "softmax_cross_entropy"});
}

TEST_CASE("alloc is 64-byte aligned; fill and axpy compute over the whole range") {
  for (size_t count : {size_t{0}, size_t{3}, size_t{100003}}) {
    void* p = table().alloc(count * sizeof(float));
    REQUIRE(p != nullptr);
    CHECK(reinterpret_cast<uintptr_t>(p) % 64 == 0);
    table().release(p);
  }
  std::vector<float> x(100003), y(100003);
  CHECK(table().fill(x.data(), 2.f, x.size()) == FERC_OK);
  CHECK(table().fill(y.data(), -1.f, y.size()) == FERC_OK);
  CHECK(table().axpy(0.5f, x.data(), y.data(), y.size()) == FERC_OK);
  CHECK(x.back() == 2.f);
  CHECK(y.front() == 0.f);
  CHECK(y.back() == 0.f);
}

TEST_CASE("sgd_step follows the PyTorch rule with momentum, weight decay and nesterov") {
  ferc_sgd_args a{0.1f, 0.9f, 0.01f, 0};
  std::vector<float> p{1.f, -2.f}, g{0.5f, 0.25f}, v{0.f, 0.f};
  REQUIRE(table().sgd_step(&a, p.data(), g.data(), v.data(), 2) == FERC_OK);
  // g' = 0.5 + 0.01 * 1 = 0.51; v = 0.51; p = 1 - 0.051
  CHECK(v[0] == doctest::Approx(0.51));
  CHECK(p[0] == doctest::Approx(0.949));
  REQUIRE(table().sgd_step(&a, p.data(), g.data(), v.data(), 2) == FERC_OK);
  // g' = 0.5 + 0.00949 = 0.50949; v = 0.9 * 0.51 + 0.50949 = 0.96849; p = 0.949 - 0.096849
  CHECK(v[0] == doctest::Approx(0.96849));
  CHECK(p[0] == doctest::Approx(0.852151));

  ferc_sgd_args n{0.1f, 0.9f, 0.f, 1};
  std::vector<float> q{1.f}, h{0.5f}, w{0.2f};
  REQUIRE(table().sgd_step(&n, q.data(), h.data(), w.data(), 1) == FERC_OK);
  // v = 0.9 * 0.2 + 0.5 = 0.68; step = 0.5 + 0.9 * 0.68 = 1.112; p = 1 - 0.1112
  CHECK(w[0] == doctest::Approx(0.68));
  CHECK(q[0] == doctest::Approx(0.8888));

  ferc_sgd_args plain{0.5f, 0.f, 0.f, 0};
  std::vector<float> r{1.f}, k{0.5f};
  REQUIRE(table().sgd_step(&plain, r.data(), k.data(), nullptr, 1) == FERC_OK);
  CHECK(r[0] == doctest::Approx(0.75));
}

TEST_CASE("adam_step is bias-corrected and adds weight decay to the gradient") {
  ferc_adam_args a{0.01f, 0.9f, 0.999f, 1e-8f, 0.f, 1};
  std::vector<float> p{1.f}, g{0.3f}, m{0.f}, v{0.f};
  REQUIRE(table().adam_step(&a, p.data(), g.data(), m.data(), v.data(), 1) == FERC_OK);
  // The first bias-corrected step is lr * sign(g).
  CHECK(m[0] == doctest::Approx(0.03));
  CHECK(v[0] == doctest::Approx(0.00009));
  CHECK(p[0] == doctest::Approx(0.99));

  a.step = 2;
  a.weight_decay = 0.1f;
  REQUIRE(table().adam_step(&a, p.data(), g.data(), m.data(), v.data(), 1) == FERC_OK);
  double g2 = 0.3 + 0.1 * 0.99;
  double m2 = 0.9 * 0.03 + 0.1 * g2, v2 = 0.999 * 0.00009 + 0.001 * g2 * g2;
  double want = 0.99 - 0.01 * (m2 / (1 - 0.81)) / (std::sqrt(v2 / (1 - 0.998001)) + 1e-8);
  CHECK(m[0] == doctest::Approx(m2));
  CHECK(v[0] == doctest::Approx(v2));
  CHECK(p[0] == doctest::Approx(want).epsilon(1e-5));
}

TEST_CASE("set_threads is present for the CPU device") {
  REQUIRE(bool(table().set_threads));
  table().set_threads(1);
  NodeRun node(cpu_plugin(), {"relu", {}, {Shape{4}}, 1});
  Values v{{{-1, 2, -3, 4}}, {}};
  CHECK(node.forward(1, v, false) == std::vector<float>{0, 2, 0, 4});
}

}  // namespace
}  // namespace ferc::test
