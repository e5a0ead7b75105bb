// flatten: NxCxHxW to Nx(C*H*W); the memory layout is unchanged, so both directions copy.
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

class Flatten : public NodeBase {
 public:
  using NodeBase::NodeBase;

  void forward(const ferc_call& c) {
    copy_tensor(c.output.data, c.inputs[0].data, bytes_of(c.inputs[0]));
  }

  void backward(const ferc_call& c) {
    if (float* dx = wanted(c.d_inputs, 0, c.n_inputs))
      copy_tensor(dx, c.d_output.data, bytes_of(c.inputs[0]));
  }
};

}  // namespace

ferc_kernel flatten_kernel() {
  return make_kernel<Flatten>("flatten");
}

}  // namespace ferc::cuda
