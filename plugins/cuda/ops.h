// The kernel entries of the CUDA plugin, one per op; each is defined in <op>.cpp.
#pragma once

#include "ferc/plugin_abi.h"

namespace ferc::cuda {

ferc_kernel conv_kernel();
ferc_kernel bn_kernel();
ferc_kernel relu_kernel();
ferc_kernel maxpool_kernel();
ferc_kernel avgpool_kernel();
ferc_kernel gap_kernel();
ferc_kernel fc_kernel();
ferc_kernel dropout_kernel();
ferc_kernel flatten_kernel();
ferc_kernel add_kernel();
ferc_kernel concat_kernel();
ferc_kernel softmax_kernel();
ferc_kernel softmax_xent_kernel();

}  // namespace ferc::cuda
