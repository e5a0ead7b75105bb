// The oneDNN engine and stream the CPU kernels run on.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace ferc::cpu {

/// The process-wide CPU engine.
dnnl::engine& engine();
/// A stream on engine(), one per calling thread.
dnnl::stream& stream();

}  // namespace ferc::cpu
