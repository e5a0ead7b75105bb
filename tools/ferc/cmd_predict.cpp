#include <cstdio>
#include <iostream>
#include <mutex>

#include "commands.h"
#include "ferc/checkpoint.h"
#include "ferc/dsl.h"
#include "ferc/executor.h"
#include "ferc/log.h"
#include "ferc/predict.h"
#include "ferc/train.h"
#include "options.h"

namespace ferc::cli {

int cmd_predict(Context& ctx, const Args& args) {
  po::options_description desc("predict options");
  // clang-format off
  desc.add_options()
      ("input", po::value<std::vector<std::string>>(), "image, folder, video or camera:N (repeatable)")
      ("model", po::value<std::string>(), "model file (default: lenet_bn.net from the models folder of ferc's source tree or installation)")
      ("weights", po::value<std::string>(), "checkpoint (default: the weights shipped beside the model)")
      ("format", po::value<std::string>()->default_value("jsonl"), "jsonl or csv")
      ("out", po::value<std::string>(), "write records (and annotated copies) into DIR")
      ("force", "replace the results of an earlier run in the --out folder")
      ("annotate", "draw boxes, labels and scores on copies of the inputs (needs --out)")
      ("crops", "each image is already one face crop: skip face detection")
      ("smooth", po::value<int>()->default_value(1), "average each face's scores over N video frames")
      ("detect-every", po::value<int>()->default_value(2),
       "videos and cameras: find faces on every Nth frame, reuse the boxes in between")
      ("cascade", po::value<std::string>(), "Haar cascade XML for face detection")
      ("max-frames", po::value<int>()->default_value(0), "stop each video after N frames (0: all)")
      ("batch", po::value<int>()->default_value(64), "faces per forward pass");
  // clang-format on
  add_common_options(desc);
  po::positional_options_description pos;
  pos.add("input", -1);
  po::variables_map vm;
  if (!parse_args("predict", "ferc predict INPUT... [options]", desc, args, vm, &pos)) return 0;
  if (vm.count("verbose")) log::set_level(log::Level::debug);
  if (!vm.count("input"))
    throw Error("predict needs at least one INPUT: an image, a folder, a video or camera:N");

  PredictOptions opt;
  opt.inputs = vm["input"].as<std::vector<std::string>>();
  opt.format = vm["format"].as<std::string>();
  if (opt.format != "jsonl" && opt.format != "csv")
    throw Error("--format must be jsonl or csv, got '" + opt.format + "'");
  if (vm.count("out")) opt.out_dir = vm["out"].as<std::string>();
  opt.replace_results = vm.count("force") > 0;
  if (opt.replace_results && opt.out_dir.empty())
    throw Error("--force replaces earlier results in the --out folder: add --out DIR");
  opt.annotate = vm.count("annotate") > 0;
  if (opt.annotate && opt.out_dir.empty())
    throw Error("--annotate needs --out DIR for the annotated copies");
  opt.crops = vm.count("crops") > 0;
  opt.smooth = vm["smooth"].as<int>();
  if (opt.smooth < 1) throw Error("--smooth must be at least 1, got " + std::to_string(opt.smooth));
  if (vm.count("cascade")) opt.cascade = vm["cascade"].as<std::string>();
  opt.max_frames = vm["max-frames"].as<int>();
  if (opt.max_frames < 0)
    throw Error("--max-frames must be 0 (all) or more, got " + std::to_string(opt.max_frames));
  opt.detect_every = vm["detect-every"].as<int>();
  int batch = vm["batch"].as<int>();
  if (batch < 1) throw Error("--batch must be at least 1, got " + std::to_string(batch));

  std::string model = vm.count("model") ? vm["model"].as<std::string>() : default_model().string();
  Graph g = ctx.load_model(model);
  check_class_count(g);
  Checkpoint ck = load_weights(
      g, model,
      vm.count("weights") ? std::optional(vm["weights"].as<std::string>()) : std::nullopt);
  ctx.set_threads(vm["threads"].as<int>());
  Executor exec(
      g, ctx.plugins,
      ExecOptions{batch, false, true, ctx.resolve_device(vm["device"].as<std::string>())});
  exec.set_params(ck.params);

  FaceClassifier classifier;
  classifier.preprocessing = ck.preprocessing;
  classifier.max_batch = batch;
  classifier.classify = [&exec](const float* faces, int n, float* scores) {
    exec.forward(faces, n, scores);
  };

  install_interrupt_handler();
  PredictSummary s = run_predict(opt, classifier, std::cout);
  std::fprintf(
      stderr, "%d input(s), %d failed; %d image(s), %d frame(s) (%d skipped), %d face(s) in %.1f s",
      s.inputs, s.failed, s.images, s.frames, s.skipped_frames, s.faces, s.seconds);
  if (s.frames) std::fprintf(stderr, "; %.1f frames/s", s.frames_per_second);
  std::fprintf(stderr, s.interrupted ? "; interrupted before the end\n" : "\n");
  return s.exit_status();
}

}  // namespace ferc::cli
