// Host-side logic of the CUDA plugin that needs no GPU: version rules, the choice among cuDNN's
// convolution algorithms, max-pool window geometry and the advice in error messages.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "algo_choice.h"
#include "check.h"
#include "pool_window.h"
#include "versions.h"

using namespace ferc::cuda;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

LibraryVersions versions(int runtime, size_t cudnn, size_t cudnn_cuda = 0) {
  LibraryVersions v;
  v.runtime = runtime;
  v.cudnn = cudnn;
  v.cudnn_cuda = cudnn_cuda;
  return v;
}

cudnnConvolutionFwdAlgoPerf_t perf(int algo, cudnnStatus_t status, size_t memory,
                                   cudnnDeterminism_t det, cudnnMathType_t math) {
  cudnnConvolutionFwdAlgoPerf_t p{};
  p.algo = cudnnConvolutionFwdAlgo_t(algo);
  p.status = status;
  p.memory = memory;
  p.determinism = det;
  p.mathType = math;
  return p;
}

}  // namespace

TEST_CASE("version numbers read as major.minor(.patch)") {
  CHECK(cuda_version_text(13000) == "13.0");
  CHECK(cuda_version_text(12080) == "12.8");
  CHECK(cuda_version_text(12040) == "12.4");
  CHECK(cudnn_version_text(91900) == "9.19.0");
  CHECK(cudnn_version_text(90100) == "9.1.0");
  CHECK(cudnn_version_text(90503) == "9.5.3");
}

TEST_CASE("libraries match when CUDA and cuDNN agree in major.minor") {
  LibraryVersions built = versions(13000, 91900);
  CHECK(version_mismatch(built, versions(13000, 91900, 13000)).empty());
  CHECK(version_mismatch(built, versions(13000, 91902, 13000)).empty());  // patch differs
  CHECK(version_mismatch(built, versions(13000, 91900, 13020)).empty());  // cuDNN for 13.2

  std::string runtime = version_mismatch(built, versions(12080, 91900, 12080));
  CHECK(contains(runtime, "CUDA runtime 12.8 found, plugin built with 13.0"));
  CHECK(contains(runtime, "install CUDA 13.0"));
  CHECK(contains(version_mismatch(built, versions(13010, 91900, 13000)), "13.1 found"));

  std::string dnn = version_mismatch(built, versions(13000, 91000, 13000));
  CHECK(contains(dnn, "cuDNN 9.10.0 found, plugin built with 9.19.0"));

  std::string target = version_mismatch(built, versions(13000, 91900, 12090));
  CHECK(contains(target, "build for CUDA 12.9"));
  CHECK(contains(target, "cuDNN package for CUDA 13"));

  CHECK(contains(version_mismatch(built, versions(0, 91900, 13000)), "did not report"));
  for (const std::string& s : {runtime, dnn, target}) CHECK(s.find('\n') == std::string::npos);
}

TEST_CASE("an old driver is named with both CUDA versions") {
  std::string s = driver_too_old(12040, 13000);
  CHECK(s ==
        "the NVIDIA driver supports CUDA 12.4 but the plugin needs CUDA 13.0; update the "
        "NVIDIA driver");
}

TEST_CASE("the convolution algorithm is the fastest deterministic FMA one that fits") {
  const size_t cap = 1000;
  auto ok = CUDNN_STATUS_SUCCESS;
  auto det = CUDNN_DETERMINISTIC, nondet = CUDNN_NON_DETERMINISTIC;
  std::vector<cudnnConvolutionFwdAlgoPerf_t> p = {
      perf(6, CUDNN_STATUS_NOT_SUPPORTED, 0, det, CUDNN_FMA_MATH),  // did not run
      perf(5, ok, 0, det, CUDNN_TENSOR_OP_MATH),                    // TF32
      perf(4, ok, 2000, det, CUDNN_FMA_MATH),                       // too much workspace
      perf(3, ok, 10, nondet, CUDNN_FMA_MATH),                      // atomics
      perf(2, ok, 500, det, CUDNN_DEFAULT_MATH),
      perf(1, ok, 0, det, CUDNN_FMA_MATH),
  };
  CHECK(choose_algo(p.data(), int(p.size()), cap) == 4);
  // Without a deterministic candidate the nondeterministic one is taken.
  p[4].determinism = nondet;
  p[5].determinism = nondet;
  CHECK(choose_algo(p.data(), int(p.size()), cap) == 3);
  // Nothing qualifies: -1, and the caller reports it.
  CHECK(choose_algo(p.data(), 3, cap) == -1);
  CHECK(choose_algo(p.data(), 0, cap) == -1);
  p[1].mathType = CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION;
  CHECK(choose_algo(p.data() + 1, 1, cap) == -1);
}

TEST_CASE("max-pool windows: every input lists exactly the outputs whose window covers it") {
  struct Case {
    int32_t kernel, stride, pad, size;
  };
  for (Case c : {Case{2, 2, 0, 6}, Case{2, 2, 0, 7}, Case{3, 2, 1, 7}, Case{3, 1, 1, 5},
                 Case{3, 3, 2, 8}, Case{1, 1, 0, 4}, Case{4, 2, 3, 9}, Case{5, 3, 0, 5}}) {
    PoolWindow w{c.kernel, c.stride, c.pad};
    int32_t outs = (c.size + 2 * c.pad - c.kernel) / c.stride + 1;  // the schema's rule
    CAPTURE(c.kernel);
    CAPTURE(c.stride);
    CAPTURE(c.pad);
    CAPTURE(c.size);
    for (int32_t o = 0; o < outs; ++o) {
      CHECK(w.lo(o) < w.hi(o, c.size));  // no window lies wholly in the padding
      CHECK(w.lo(o) >= 0);
      CHECK(w.hi(o, c.size) <= c.size);
    }
    for (int32_t i = 0; i < c.size; ++i) {
      std::vector<int32_t> brute, listed;
      for (int32_t o = 0; o < outs; ++o)
        if (w.lo(o) <= i && i < w.hi(o, c.size)) brute.push_back(o);
      for (int32_t o = w.first_out(i); o <= w.last_out(i, outs); ++o) listed.push_back(o);
      CAPTURE(i);
      CHECK(listed == brute);
    }
  }
}

TEST_CASE("device errors name the call and status and say what to do") {
  auto message = [](auto status, const char* call) {
    try {
      check(status, call);
    } catch (const DeviceError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message(cudaSuccess, "cudaMalloc(&p, n)").empty());
  std::string oom = message(cudaErrorMemoryAllocation, "cudaMalloc(&p, n)");
  CHECK(oom.rfind("cudaMalloc failed: cudaErrorMemoryAllocation (", 0) == 0);
  CHECK(contains(oom, "out of memory; try a smaller --batch"));
  std::string lost = message(cudaErrorIllegalAddress, "cudaStreamSynchronize(s)");
  CHECK(contains(lost, "context is lost"));
  CHECK(contains(lost, "FERC_CUDA_SYNC=1"));
  CHECK(contains(message(cudaErrorInsufficientDriver, "cudaGetDeviceCount(&n)"),
                 "update the NVIDIA driver"));

  std::string dnn = message(CUDNN_STATUS_BAD_PARAM, "cudnnConvolutionForward(h, ...)");
  CHECK(dnn.rfind("cudnnConvolutionForward failed: CUDNN_STATUS_BAD_PARAM", 0) == 0);
  CHECK(contains(dnn, "CUDNN_LOGLEVEL_DBG=2"));
  CHECK(contains(message(CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED, "cudnnFind"),
                 "smaller --batch"));
  CHECK(contains(message(CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED, "cudnnCreate(&h)"),
                 "libcudnn_*.so.9"));

  std::string blas = message(CUBLAS_STATUS_INVALID_VALUE, "cublasSgemm (forward)");
  CHECK(blas.rfind("cublasSgemm (forward) failed: CUBLAS_STATUS_INVALID_VALUE", 0) == 0);
  CHECK(contains(blas, "CUBLAS_LOGINFO_DBG=1"));
  CHECK(contains(message(CUBLAS_STATUS_ALLOC_FAILED, "cublasCreate(&h)"), "smaller --batch"));
  for (const std::string& s : {oom, lost, dnn, blas}) CHECK(s.find('\n') == std::string::npos);
}
