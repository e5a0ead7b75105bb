// Face classification throughput: 48x48 grayscale crops in, class probabilities out, through
// the same path `ferc predict` uses (normalisation from the checkpoint, then the network).
// Usage: bench_classify_faces [model.net] [weights.ckpt] [threads] [seconds per batch size]
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "ferc/checkpoint.h"
#include "ferc/classes.h"
#include "ferc/dsl.h"
#include "ferc/executor.h"
#include "ferc/preprocess.h"

namespace {

using Clock = std::chrono::steady_clock;

// Faces per second at one batch size, over at least `seconds` of work.
double faces_per_second(ferc::Executor& exec, const ferc::Preprocessing& prep,
                        const std::vector<uint8_t>& faces, int batch, double seconds) {
  const size_t pixels = static_cast<size_t>(prep.height * prep.width);
  const size_t count = faces.size() / pixels;
  std::vector<float> input(static_cast<size_t>(batch) * pixels);
  std::vector<float> scores(static_cast<size_t>(batch) * ferc::kNumClasses);
  size_t next = 0;
  int64_t done = 0;
  auto run_batch = [&] {
    for (int i = 0; i < batch; ++i, next = (next + 1) % count)
      ferc::normalize_image(prep, faces.data() + next * pixels, input.data() + i * pixels);
    exec.forward(input.data(), batch, scores.data());
  };
  for (int i = 0; i < 3; ++i) run_batch();
  auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    run_batch();
    done += batch;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return static_cast<double>(done) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  std::string model = argc > 1 ? argv[1] : "models/lenet_bn.net";
  std::string weights = argc > 2 ? argv[2] : "models/lenet_bn.ckpt";
  int threads = argc > 3 ? std::stoi(argv[3]) : 1;
  double seconds = argc > 4 ? std::stod(argv[4]) : 2.0;
  try {
    ferc::PluginHost plugins;
    plugins.discover();
    for (const auto& r : plugins.records())
      if (r.plugin && r.plugin->table().set_threads) r.plugin->table().set_threads(threads);
    ferc::Graph g = ferc::load_model(model, ferc::ops::builtin_registry());
    ferc::Checkpoint ck = ferc::load_checkpoint(weights);
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> pixel(0, 255);
    std::vector<uint8_t> faces(256 * 48 * 48);
    for (uint8_t& p : faces) p = static_cast<uint8_t>(pixel(rng));
    for (int batch : {1, 64}) {
      ferc::Executor exec(g, plugins, ferc::ExecOptions{batch, false, true, "cpu"});
      exec.set_params(ck.params);
      double fps = faces_per_second(exec, ck.preprocessing, faces, batch, seconds);
      std::printf("{\"model\": \"%s\", \"threads\": %d, \"batch\": %d, \"faces_per_s\": %.0f}\n",
                  g.name.c_str(), threads, batch, fps);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_classify_faces: %s\n", e.what());
    return 1;
  }
  return 0;
}
