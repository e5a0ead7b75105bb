#include "ferc/signal_stack.h"

#include <signal.h>

#include <vector>

namespace ferc {

void use_signal_stack() {
  // Room for the kernel's signal frame with the full AVX-512 and AMX register state.
  thread_local std::vector<char> stack(256 * 1024);
  stack_t ss{};
  ss.ss_sp = stack.data();
  ss.ss_size = stack.size();
  sigaltstack(&ss, nullptr);
}

}  // namespace ferc
