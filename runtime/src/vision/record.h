// One result per image or frame, and the JSON lines and CSV formats it is written in.
#pragma once

#include <array>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "ferc/classes.h"

namespace ferc::vision {

/// A classified face.
struct Face {
  cv::Rect box;  // in the full-resolution picture
  std::array<float, kNumClasses> scores{};
  int track = -1;  // video and camera only
  /// Index of the highest score.
  int label() const;
};

/// Everything found in one picture, or why it failed.
struct Record {
  std::string source;
  bool video = false;  // frame and time are written only for video and camera frames
  long frame = 0;
  double time = 0;  // seconds from the start
  int width = 0, height = 0;
  std::vector<Face> faces;
  std::string error;  // non-empty: the input failed, nothing else is written
};

/// Writes records in one format to a stream.
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  /// Writes one record (and flushes, so a stopped run keeps what it produced).
  virtual void write(const Record& record) = 0;
};

/// "jsonl" or "csv"; throws ferc::Error for anything else.
std::unique_ptr<RecordWriter> make_writer(const std::string& format, std::ostream& out);

/// The JSON object for a record (one line of the jsonl output).
std::string to_json_line(const Record& record);

}  // namespace ferc::vision
