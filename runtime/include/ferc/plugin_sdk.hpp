// Header-only helpers for writing op plugins in C++ against plugin_abi.h.
//
// They keep exceptions on the plugin's side of the boundary: wrap every kernel body in
// ferc::sdk::guard(), which turns a thrown std::exception into FERC_FAILED plus its message.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ferc/plugin_abi.h"

namespace ferc::sdk {

/// Number of elements of a shape.
inline int64_t numel(const ferc_shape& s) {
  int64_t n = 1;
  for (int i = 0; i < s.rank; ++i) n *= s.dims[i];
  return n;
}

/// Elements per batch item (all dims but the first).
inline int64_t per_item(const ferc_shape& s) {
  int64_t n = 1;
  for (int i = 1; i < s.rank; ++i) n *= s.dims[i];
  return n;
}

/// Builds a ferc_shape from a list of dims.
inline ferc_shape make_shape(std::initializer_list<int64_t> dims) {
  ferc_shape s{};
  for (int64_t d : dims) s.dims[s.rank++] = d;
  return s;
}

/// Copies a message into a kernel's error buffer.
inline void set_error(char* err, size_t len, std::string_view msg) {
  if (!err || len == 0) return;
  size_t n = msg.size() < len - 1 ? msg.size() : len - 1;
  std::memcpy(err, msg.data(), n);
  err[n] = '\0';
}

/// Finds an attribute by name; nullptr when absent.
inline const ferc_attr* find_attr(const ferc_node_desc& d, std::string_view name) {
  for (int i = 0; i < d.n_attrs; ++i)
    if (name == d.attrs[i].name) return &d.attrs[i];
  return nullptr;
}

/// Integer attribute, or `fallback` when absent.
inline int64_t attr_int(const ferc_node_desc& d, std::string_view name, int64_t fallback) {
  const ferc_attr* a = find_attr(d, name);
  if (!a) return fallback;
  return a->kind == FERC_ATTR_FLOAT ? static_cast<int64_t>(a->f) : a->i;
}

/// Float attribute, or `fallback` when absent. Integers convert.
inline double attr_float(const ferc_node_desc& d, std::string_view name, double fallback) {
  const ferc_attr* a = find_attr(d, name);
  if (!a) return fallback;
  return a->kind == FERC_ATTR_INT ? static_cast<double>(a->i) : a->f;
}

/// Runs `body` and converts any exception into FERC_FAILED with its message.
template <class F>
int guard(char* err, size_t len, F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    set_error(err, len, "out of memory; try a smaller batch or model");
  } catch (const std::exception& e) {
    set_error(err, len, e.what());
  } catch (...) {
    set_error(err, len, "unknown exception in plugin");
  }
  return FERC_FAILED;
}

}  // namespace ferc::sdk
