// Where the CUDA and CPU plugins are, and whether this machine can run the CUDA one.
#pragma once

#include <string>

namespace ferc::test {

/// FERC_BIN_DIR/libferc_plugin_<name>.so
std::string plugin_path(const std::string& name);

/// Empty when the CUDA plugin is built and its probe() passes; else why the GPU tests skip.
std::string cuda_skip_reason();

}  // namespace ferc::test
