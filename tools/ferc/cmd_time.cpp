// Per-op timing on random input, like `caffe time`.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "ferc/executor.h"
#include "ferc/train.h"
#include "options.h"

namespace ferc::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int cmd_time(Context& ctx, const std::string& model, const Args& args) {
  po::options_description desc("time options");
  // clang-format off
  desc.add_options()
      ("batch", po::value<int>(), "batch size (default: the model's training batch)")
      ("iterations", po::value<int>()->default_value(20), "timed iterations (after 3 warm-up ones)")
      ("json", po::value<std::string>(), "also write the figures as JSON to FILE");
  // clang-format on
  add_common_options(desc);
  po::variables_map vm;
  if (!parse_args("time", "ferc MODEL time [options]", desc, args, vm)) return 0;
  Graph g = ctx.load_model(model);
  TrainSettings s = resolve_settings(g, {});
  int batch = vm.count("batch") ? vm["batch"].as<int>() : s.batch;
  int iters = vm["iterations"].as<int>();
  if (batch < 1 || iters < 1) throw Error("--batch and --iterations must be at least 1");
  int threads = ctx.set_threads(vm["threads"].as<int>());
  std::string device = ctx.resolve_device(vm["device"].as<std::string>());

  Executor exec(g, ctx.plugins, ExecOptions{batch, true, true, device});
  exec.init_params(1);
  std::mt19937 rng(7);
  std::normal_distribution<float> pixel(0.0f, 1.0f);
  std::vector<float> input(static_cast<size_t>(batch * g.input().shape.numel()));
  for (float& x : input) x = pixel(rng);
  int classes = static_cast<int>(g.nodes[static_cast<size_t>(g.output)].shape.numel());
  std::vector<int32_t> labels(static_cast<size_t>(batch));
  for (size_t i = 0; i < labels.size(); ++i)
    labels[i] = static_cast<int32_t>(i % static_cast<size_t>(classes));
  std::vector<float> weights(static_cast<size_t>(batch), 1.0f / static_cast<float>(batch));
  std::vector<float> out(static_cast<size_t>(batch * classes));
  OptimizerConfig opt;
  opt.kind = s.optimizer;
  opt.lr = 1e-4f;

  auto train_step = [&](int64_t step) {
    exec.forward_backward(input.data(), labels.data(), weights.data(), batch,
                          static_cast<uint64_t>(step));
    exec.optimizer_step(opt, step);
  };
  for (int i = 0; i < 3; ++i) train_step(i + 1);
  auto t = Clock::now();
  for (int i = 0; i < iters; ++i) train_step(i + 4);
  double train_s = seconds_since(t);
  for (int i = 0; i < 3; ++i) exec.forward(input.data(), batch, out.data());
  t = Clock::now();
  for (int i = 0; i < iters; ++i) exec.forward(input.data(), batch, out.data());
  double infer_s = seconds_since(t);

  // A separate profiled pass: per-op timing synchronises after every kernel.
  exec.set_profiling(true);
  for (int i = 0; i < iters; ++i) train_step(i + 100);
  exec.set_profiling(false);

  double train_img_s = batch * iters / train_s, infer_img_s = batch * iters / infer_s;
  nlohmann::json j = {{"model", g.name},
                      {"device", device},
                      {"threads", threads},
                      {"batch", batch},
                      {"iterations", iters},
                      {"train_img_s", train_img_s},
                      {"infer_img_s", infer_img_s},
                      {"train_ms_per_batch", 1000 * train_s / iters},
                      {"infer_ms_per_batch", 1000 * infer_s / iters}};
  std::printf("%-14s %-9s %12s %12s\n", "node", "op", "forward ms", "backward ms");
  double fsum = 0, bsum = 0;
  for (const NodeTiming& nt : exec.timings()) {
    if (nt.calls == 0) continue;
    double f = nt.forward_ms / iters, b = nt.backward_ms / iters;
    fsum += f;
    bsum += b;
    std::printf("%-14s %-9s %12.3f %12.3f\n", nt.name.c_str(), nt.op.c_str(), f, b);
    j["ops"].push_back({{"name", nt.name}, {"op", nt.op}, {"forward_ms", f}, {"backward_ms", b}});
  }
  std::printf("%-24s %12.3f %12.3f\n", "sum of ops", fsum, bsum);
  std::printf("\n%s on %s, %d thread(s), batch %d, %d iterations:\n", g.name.c_str(),
              device.c_str(), threads, batch, iters);
  std::printf("  training (forward + backward + update): %8.2f ms/batch  %9.0f images/s\n",
              1000 * train_s / iters, train_img_s);
  std::printf("  inference (forward):                    %8.2f ms/batch  %9.0f images/s\n",
              1000 * infer_s / iters, infer_img_s);
  if (vm.count("json")) {
    std::ofstream f(vm["json"].as<std::string>());
    if (!f) throw Error("cannot write " + vm["json"].as<std::string>());
    f << j.dump(2) << "\n";
  }
  return 0;
}

}  // namespace ferc::cli
