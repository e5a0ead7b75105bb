// Processing one input (still image, video file or camera) into records.
#pragma once

#include <string>

#include <opencv2/videoio.hpp>

#include "ferc/predict.h"
#include "inputs.h"
#include "pipeline.h"
#include "record.h"

namespace ferc::vision {

/// What every input's processing shares.
struct RunContext {
  const PredictOptions& options;
  FacePipeline& pipeline;
  RecordWriter& writer;
  PredictSummary& summary;
  OutputNames& names;
  double video_seconds = 0;  // time spent on video and camera frames, for frames/s
};

/// Processes a file: a still image, the first frame of a GIF or a video, told apart by content.
/// Returns false when it wrote an error record.
bool process_file(RunContext& ctx, const std::string& source);

/// Reads frames until the end, max_frames or a stop request. `source` names the records.
void process_stream(RunContext& ctx, cv::VideoCapture& capture, const std::string& source);

/// Opens camera N within options.camera_timeout_ms; throws ferc::Error if it is missing or busy.
cv::VideoCapture open_camera(int index, int timeout_ms);

}  // namespace ferc::vision
