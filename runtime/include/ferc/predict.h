// Expression prediction on photos, folders, videos and cameras: decode, find faces, crop them
// like FER2013, classify, track faces across frames, and write JSON lines or CSV records.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "ferc/preprocess.h"

namespace ferc {

/// Face box margin that frames a Haar cascade box like FER2013's crops (forehead to chin). The
/// cascade's box inside FER2013 images covers nearly the whole image (median margin 0.013 over
/// 31 test faces), so no margin is needed: Preprocessing::face_margin's default.
inline constexpr float kFer2013FaceMargin = 0.0f;

/// The trained network, as the pipeline sees it.
struct FaceClassifier {
  /// How faces are normalised; stored with the model's weights.
  Preprocessing preprocessing;
  /// Largest number of faces passed to one classify call.
  int max_batch = 64;
  /// faces: n images of preprocessing.height x width floats, already normalised with
  /// normalize_image(); writes n * kNumClasses probabilities in kClassNames order. Must give each
  /// face the same scores whatever else is in the batch.
  std::function<void(const float* faces, int n, float* scores)> classify;
};

/// What to predict on and where the results go.
struct PredictOptions {
  /// Image files, folders (searched recursively, sorted), video files and "camera:N".
  std::vector<std::string> inputs;
  /// "jsonl" (one JSON object per image or frame) or "csv" (one row per face).
  std::string format = "jsonl";
  /// Empty: records go to the stream given to run_predict. Otherwise DIR/predictions.<format>
  /// and, with `annotate`, annotated copies of the inputs in DIR.
  std::filesystem::path out_dir;
  /// An out_dir that already holds results (predictions.jsonl or .csv, *.annotated.*) is
  /// refused, so that one run's records are never mixed with or lost to another's; with this
  /// set, those files are deleted first instead.
  bool replace_results = false;
  /// Draw boxes, labels and score bars on copies of the inputs (needs out_dir).
  bool annotate = false;
  /// Each image is already one face: skip detection and classify the whole picture.
  bool crops = false;
  /// Average each tracked face's scores over its last N frames (video and camera; 1: off).
  int smooth = 1;
  /// Haar cascade file; empty: default_cascade_path().
  std::filesystem::path cascade;
  /// Video and camera: find faces on every Nth frame and classify the faces found there in the
  /// frames between, at the same places (1: detect on every frame). Detection is most of the
  /// cost of a frame, so 2 or 3 keeps up with live video on a small machine.
  int detect_every = 2;
  /// Stop each video or camera after this many frames (0: no limit).
  int max_frames = 0;
  /// How long opening a camera may take before it counts as missing or busy.
  int camera_timeout_ms = 5000;
};

/// Counts over a whole run.
struct PredictSummary {
  int inputs = 0;                // files, videos and cameras processed (folders expanded)
  int failed = 0;                // of those, how many gave an error record
  int images = 0;                // still images decoded
  int frames = 0;                // video and camera frames processed
  int skipped_frames = 0;        // frames that could not be decoded
  int faces = 0;                 // faces classified
  double seconds = 0;            // wall time of the run
  double frames_per_second = 0;  // frames / time spent on video and camera inputs
  bool interrupted = false;      // stopped by request_stop() (Ctrl-C) before the end
  /// 0 when every input succeeded, 2 when some failed, 130 when interrupted.
  int exit_status() const { return interrupted ? 130 : failed > 0 ? 2 : 0; }
};

/// Runs the pipeline, writing records to `out` (unless options.out_dir is set). One bad input
/// gives an error record and does not stop the run. Throws ferc::Error for set-up problems: a
/// missing or unloadable cascade, a bad option, an unusable output folder.
PredictSummary run_predict(const PredictOptions& options, const FaceClassifier& classifier,
                           std::ostream& out);

/// Debian's opencv-data frontal face cascade.
std::filesystem::path default_cascade_path();

/// Installs a SIGINT handler that asks run_predict to stop after the current frame or file.
void install_interrupt_handler();
/// Asks a running run_predict to stop (what the SIGINT handler does); safe in signal handlers.
void request_stop();
/// Whether a stop was requested.
bool stop_requested();
/// Forgets an earlier stop request, before a new run.
void clear_stop_request();

}  // namespace ferc
