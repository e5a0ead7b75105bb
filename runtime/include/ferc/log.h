// Leveled logging through a sink the application installs. The library never prints directly.
#pragma once

#include <functional>
#include <sstream>
#include <string>
#include <string_view>

namespace ferc::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

/// Receives every message at or above the threshold. component is e.g. "plugin", "train".
using Sink = std::function<void(Level, std::string_view component, std::string_view message)>;

/// Installs the sink (the default writes "ferc[component] message" to stderr).
void set_sink(Sink sink);
void set_level(Level level);
Level level();
void write(Level level, std::string_view component, std::string_view message);

inline void debug(std::string_view c, std::string_view m) {
  write(Level::debug, c, m);
}
inline void info(std::string_view c, std::string_view m) {
  write(Level::info, c, m);
}
inline void warn(std::string_view c, std::string_view m) {
  write(Level::warn, c, m);
}
inline void error(std::string_view c, std::string_view m) {
  write(Level::error, c, m);
}

}  // namespace ferc::log
