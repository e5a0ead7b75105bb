#include "ferc/predict.h"

#include <chrono>
#include <fstream>
#include <ostream>

#include "ferc/error.h"
#include "ferc/log.h"
#include "process.h"

namespace ferc {
namespace {

void check_options(const PredictOptions& o) {
  if (o.inputs.empty())
    throw Error("predict needs at least one input: a file, folder, video or camera:N");
  if (o.smooth < 1)
    throw Error("--smooth must be at least 1 (frames), got " + std::to_string(o.smooth));
  if (o.detect_every < 1)
    throw Error("--detect-every must be at least 1 (frames), got " +
                std::to_string(o.detect_every));
  if (o.max_frames < 0)
    throw Error("max_frames must be 0 (no limit) or more, got " + std::to_string(o.max_frames));
  if (o.annotate && o.out_dir.empty())
    throw Error("--annotate writes annotated copies into the output folder: add --out DIR");
  for (const std::string& input : o.inputs) vision::camera_index(input);  // throws if malformed
}

std::ofstream open_records(const PredictOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec)
    throw Error("cannot create the output folder " + o.out_dir.string() + ": " + ec.message());
  std::filesystem::path path = o.out_dir / ("predictions." + o.format);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw Error("cannot write " + path.string() + ": check the folder's permissions");
  return file;
}

void process_input(vision::RunContext& ctx, const std::string& input) {
  ctx.summary.inputs += 1;
  if (auto camera = vision::camera_index(input)) {
    cv::VideoCapture capture = vision::open_camera(*camera, ctx.options.camera_timeout_ms);
    vision::process_stream(ctx, capture, input);
    return;
  }
  if (!vision::process_file(ctx, input)) ctx.summary.failed += 1;
}

void log_summary(const PredictSummary& s) {
  std::ostringstream msg;
  msg << s.inputs << " inputs (" << s.failed << " failed), " << s.images << " images, " << s.frames
      << " frames";
  if (s.frames > 0) msg << " at " << static_cast<int>(s.frames_per_second) << " frames/s";
  msg << ", " << s.faces << " faces in " << s.seconds << " s";
  log::info("predict", msg.str());
}

}  // namespace

std::filesystem::path default_cascade_path() {
  return "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
}

PredictSummary run_predict(const PredictOptions& options, const FaceClassifier& classifier,
                           std::ostream& out) {
  auto start = std::chrono::steady_clock::now();
  check_options(options);
  vision::FacePipeline pipeline(options, classifier);
  std::ofstream file;
  if (!options.out_dir.empty()) file = open_records(options);
  std::ostream& sink = options.out_dir.empty() ? out : file;
  auto writer = vision::make_writer(options.format, sink);
  PredictSummary summary;
  vision::OutputNames names(options.out_dir);
  vision::RunContext ctx{options, pipeline, *writer, summary, names};
  for (const std::string& input : vision::expand_inputs(options.inputs)) {
    if (stop_requested()) break;
    process_input(ctx, input);
  }
  summary.interrupted = stop_requested();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (ctx.video_seconds > 0) summary.frames_per_second = summary.frames / ctx.video_seconds;
  log_summary(summary);
  return summary;
}

}  // namespace ferc
