// Runs the GPU suite, or exits with 77 (ctest's "skipped") when there is no usable GPU.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "cuda_env.h"

int main(int argc, char** argv) {
  if (std::string reason = ferc::test::cuda_skip_reason(); !reason.empty()) {
    std::printf("skipped: %s\n", reason.c_str());
    return 77;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
