// softmax_cross_entropy: the training form of the final softmax. Inputs logits [N,C], labels [N]
// (class index as float) and weights [N]; output the probabilities; backward writes
// weights * (probs - onehot) into the logits' gradient.
#include <cmath>
#include <cstring>

#include "kernel.h"
#include "kernels.h"
#include "softmax_rows.h"

namespace ferc::cpu {
namespace {

class SoftmaxCrossEntropy : public Node {
 public:
  explicit SoftmaxCrossEntropy(const ferc_node_desc&) {}

  void forward(const ferc_call& call) override {
    softmax_rows(call.inputs[0].data, call.output.data, batch_of(call.inputs[0]),
                 sdk::per_item(call.inputs[0].shape));
  }

  void backward(const ferc_call& call) override {
    int64_t n = batch_of(call.inputs[0]), c = sdk::per_item(call.inputs[0].shape);
    const float* labels = call.inputs[1].data;
    const float* weights = call.inputs[2].data;
    if (wanted(call.d_inputs, 0)) {
      for (int64_t b = 0; b < n; ++b) {
        int64_t label = class_of(labels[b], b, c);
        const float* p = call.output.data + b * c;
        float* d = call.d_inputs[0].data + b * c;
        for (int64_t i = 0; i < c; ++i) d[i] = weights[b] * (p[i] - (i == label ? 1.f : 0.f));
      }
    }
    // Labels and weights are data, not functions of parameters: their gradient is zero.
    for (int32_t k = 1; k < 3; ++k)
      if (wanted(call.d_inputs, k))
        std::memset(call.d_inputs[k].data, 0, static_cast<size_t>(n) * sizeof(float));
  }

 private:
  static int64_t class_of(float label, int64_t sample, int64_t classes) {
    if (!(label >= 0.f && label < static_cast<float>(classes)) || std::floor(label) != label)
      throw std::runtime_error("label of sample " + std::to_string(sample) + " is " +
                               std::to_string(label) + "; labels must be class indices in [0, " +
                               std::to_string(classes) + ")");
    return static_cast<int64_t>(label);
  }
};

}  // namespace

ferc_kernel softmax_cross_entropy_kernel() {
  return make_kernel<SoftmaxCrossEntropy>("softmax_cross_entropy");
}

}  // namespace ferc::cpu
