#include <signal.h>

#include <atomic>
#include <csignal>
#include <vector>

#include "ferc/predict.h"

namespace ferc {
namespace {

// Lock-free so the signal handler may set it.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_sigint(int) {
  g_stop.store(true);
}

}  // namespace

// The handler runs on a stack of its own: with the signal frame on the interrupted stack, a
// Ctrl-C that landed inside a oneDNN kernel now and then corrupted the heap.
void install_interrupt_handler() {
  static std::vector<char> alt_stack(256 * 1024);  // room for the AVX-512 and AMX state
  stack_t ss{};
  ss.ss_sp = alt_stack.data();
  ss.ss_size = alt_stack.size();
  sigaltstack(&ss, nullptr);
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | SA_ONSTACK;
  sigaction(SIGINT, &sa, nullptr);
}
void request_stop() {
  g_stop.store(true);
}
bool stop_requested() {
  return g_stop.load();
}
void clear_stop_request() {
  g_stop.store(false);
}

}  // namespace ferc
