#include "ferc/log.h"

#include <cstdio>
#include <mutex>

namespace ferc::log {
namespace {

std::mutex g_mutex;
Level g_level = Level::info;
Sink g_sink = [](Level, std::string_view component, std::string_view message) {
  std::fprintf(stderr, "ferc[%.*s] %.*s\n", static_cast<int>(component.size()), component.data(),
               static_cast<int>(message.size()), message.data());
};

}  // namespace

void set_sink(Sink sink) {
  std::lock_guard lock(g_mutex);
  g_sink = std::move(sink);
}

void set_level(Level level) {
  g_level = level;
}
Level level() {
  return g_level;
}

void write(Level lvl, std::string_view component, std::string_view message) {
  if (lvl < g_level) return;
  std::lock_guard lock(g_mutex);
  if (g_sink) g_sink(lvl, component, message);
}

}  // namespace ferc::log
