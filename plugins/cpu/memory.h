// Host-memory slots of the CPU plugin table: allocation, copies, fill, axpy.
#pragma once

#include <cstddef>

namespace ferc::cpu {

/// 64-byte aligned allocation (never NULL for a successful request, even of 0 bytes).
void* alloc(size_t bytes);
/// Frees memory from alloc().
void release(void* ptr);
/// memcpy; "device" memory is host memory.
int copy(void* dst, const void* src, size_t bytes);
/// dst[i] = value.
int fill(float* dst, float value, size_t count);
/// y += alpha * x.
int axpy(float alpha, const float* x, float* y, size_t count);
/// Sets the OpenMP thread count used by every kernel.
void set_threads(int n);

}  // namespace ferc::cpu
