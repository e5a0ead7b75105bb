#include <signal.h>

#include <atomic>
#include <csignal>

#include "ferc/predict.h"
#include "ferc/signal_stack.h"

namespace ferc {
namespace {

// Lock-free so the signal handler may set it.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_sigint(int) {
  g_stop.store(true);
}

}  // namespace

void install_interrupt_handler() {
  use_signal_stack();
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
