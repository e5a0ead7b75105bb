// RAII ownership of memory and kernel state that live on a plugin's side.
#pragma once

#include <memory>
#include <utility>

#include "ferc/error.h"
#include "ferc/plugin_host.h"

namespace ferc::exec {

/// Memory allocated by a plugin, released through the same plugin.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(std::shared_ptr<Plugin> plugin, size_t bytes)
      : plugin_(std::move(plugin)), bytes_(bytes) {
    if (bytes_ == 0) return;
    ptr_ = plugin_->table().alloc(bytes_);
    if (!ptr_)
      throw Error("plugin " + std::string(plugin_->name()) + " could not allocate " +
                  std::to_string(bytes_ >> 20) + " MiB of " + std::string(plugin_->device()) +
                  " memory; try a smaller --batch");
  }
  DeviceBuffer(DeviceBuffer&& o) noexcept { swap(o); }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    DeviceBuffer tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  ~DeviceBuffer() {
    if (ptr_) plugin_->table().release(ptr_);
  }
  float* data() const { return static_cast<float*>(ptr_); }
  size_t bytes() const { return bytes_; }

 private:
  void swap(DeviceBuffer& o) noexcept {
    std::swap(plugin_, o.plugin_);
    std::swap(ptr_, o.ptr_);
    std::swap(bytes_, o.bytes_);
  }
  std::shared_ptr<Plugin> plugin_;
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

/// Per-node state created by a kernel, destroyed by it.
class KernelState {
 public:
  KernelState() = default;
  KernelState(const ferc_kernel* kernel, void* state) : kernel_(kernel), state_(state) {}
  KernelState(KernelState&& o) noexcept
      : kernel_(std::exchange(o.kernel_, nullptr)), state_(std::exchange(o.state_, nullptr)) {}
  KernelState& operator=(KernelState&& o) noexcept {
    reset();
    kernel_ = std::exchange(o.kernel_, nullptr);
    state_ = std::exchange(o.state_, nullptr);
    return *this;
  }
  ~KernelState() { reset(); }
  void* get() const { return state_; }

 private:
  void reset() {
    if (state_ && kernel_ && kernel_->destroy) kernel_->destroy(state_);
    state_ = nullptr;
  }
  const ferc_kernel* kernel_ = nullptr;
  void* state_ = nullptr;
};

}  // namespace ferc::exec
