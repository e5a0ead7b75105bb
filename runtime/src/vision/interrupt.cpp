#include <atomic>
#include <csignal>

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

void install_interrupt_handler() {
  std::signal(SIGINT, on_sigint);
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
