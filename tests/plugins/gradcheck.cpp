#include "gradcheck.h"

#include <algorithm>
#include <random>

#include "compare.h"

namespace ferc::test {
namespace {

bool listed(const std::vector<int>& v, int i) {
  return std::find(v.begin(), v.end(), i) != v.end();
}

// sum(output * r) in double, from a training forward.
double loss(NodeRun& node, int64_t n, Values values, const std::vector<float>& r, uint64_t seed) {
  std::vector<float> y = node.forward(n, values, true, seed);
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += double(y[i]) * r[i];
  return s;
}

// Numeric gradient of loss with respect to every element of one tensor of `values`.
std::vector<double> numeric(NodeRun& node, int64_t n, const Values& values, bool param, size_t t,
                            const std::vector<float>& r, uint64_t seed, float eps) {
  Values v = values;
  std::vector<float>& x = param ? v.params[t] : v.inputs[t];
  std::vector<double> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    float keep = x[i];
    x[i] = keep + eps;
    double up = loss(node, n, v, r, seed);
    x[i] = keep - eps;
    double down = loss(node, n, v, r, seed);
    x[i] = keep;
    out[i] = (up - down) / (2.0 * double(eps));
  }
  return out;
}

}  // namespace

void check_gradients(NodeRun& node, int64_t n, const Values& values, const std::string& what,
                     uint64_t seed, GradTolerance tol, const std::vector<int>& skip_inputs,
                     const std::vector<int>& skip_params) {
  std::mt19937_64 rng(seed + 1000);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<float> r(static_cast<size_t>(n * node.output_shape().numel()));
  for (float& x : r) x = u(rng);
  Gradients g = node.backward(n, values, r, seed);
  for (size_t i = 0; i < values.inputs.size(); ++i) {
    if (listed(skip_inputs, int(i))) continue;
    expect_close(g.inputs[i], numeric(node, n, values, false, i, r, seed, tol.eps),
                 what + ": d_input " + std::to_string(i), tol.atol, tol.rtol);
  }
  for (size_t i = 0; i < values.params.size(); ++i) {
    if (listed(skip_params, int(i))) continue;
    expect_close(g.params[i], numeric(node, n, values, true, i, r, seed, tol.eps),
                 what + ": d_param " + std::to_string(i), tol.atol, tol.rtol);
  }
}

}  // namespace ferc::test
