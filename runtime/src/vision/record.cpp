#include "record.h"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <nlohmann/json.hpp>

#include "ferc/error.h"

namespace ferc::vision {
namespace {

// Scores keep five decimals and times three: readable, and still exact enough to compare runs.
double rounded(double v, double per_unit) {
  return std::round(v * per_unit) / per_unit;
}

nlohmann::ordered_json face_json(const Face& face, bool video) {
  nlohmann::ordered_json scores;
  for (int c = 0; c < kNumClasses; ++c)
    scores[std::string(kClassNames[static_cast<size_t>(c)])] =
        rounded(face.scores[static_cast<size_t>(c)], 1e5);
  nlohmann::ordered_json j;
  j["box"] = {face.box.x, face.box.y, face.box.width, face.box.height};
  j["label"] = kClassNames[static_cast<size_t>(face.label())];
  j["scores"] = std::move(scores);
  if (video) j["track"] = face.track;
  return j;
}

class JsonlWriter : public RecordWriter {
 public:
  explicit JsonlWriter(std::ostream& out) : out_(out) {}
  void write(const Record& record) override { out_ << to_json_line(record) << '\n' << std::flush; }

 private:
  std::ostream& out_;
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

class CsvWriter : public RecordWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {
    out_ << "source,frame,time,width,height,face,x,y,w,h,track,label";
    for (auto name : kClassNames) out_ << ',' << name;
    out_ << ",error\n";
  }
  void write(const Record& r) override {
    if (r.faces.empty()) row(r, nullptr, 0);
    for (size_t i = 0; i < r.faces.size(); ++i) row(r, &r.faces[i], static_cast<int>(i));
    out_ << std::flush;
  }

 private:
  // A picture without faces still gets one row, with the face columns empty.
  void row(const Record& r, const Face* f, int index) {
    out_ << csv_field(r.source) << ',';
    if (r.video)
      out_ << r.frame << ',' << rounded(r.time, 1e3);
    else
      out_ << ',';
    out_ << ',';
    if (r.error.empty())
      out_ << r.width << ',' << r.height;
    else
      out_ << ',';
    if (f) {
      out_ << ',' << index << ',' << f->box.x << ',' << f->box.y << ',' << f->box.width << ','
           << f->box.height << ',' << (r.video ? std::to_string(f->track) : "") << ','
           << kClassNames[static_cast<size_t>(f->label())];
      for (float s : f->scores) out_ << ',' << rounded(s, 1e5);
    } else {
      out_ << std::string(7 + kNumClasses, ',');
    }
    out_ << ',' << csv_field(r.error) << '\n';
  }

  std::ostream& out_;
};

}  // namespace

int Face::label() const {
  return static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

std::string to_json_line(const Record& r) {
  nlohmann::ordered_json j;
  j["source"] = r.source;
  if (!r.error.empty()) {
    j["error"] = r.error;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  if (r.video) {
    j["frame"] = r.frame;
    j["time"] = rounded(r.time, 1e3);
  }
  j["width"] = r.width;
  j["height"] = r.height;
  j["faces"] = nlohmann::ordered_json::array();
  for (const Face& f : r.faces) j["faces"].push_back(face_json(f, r.video));
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::unique_ptr<RecordWriter> make_writer(const std::string& format, std::ostream& out) {
  if (format == "jsonl") return std::make_unique<JsonlWriter>(out);
  if (format == "csv") return std::make_unique<CsvWriter>(out);
  throw Error("unknown output format '" + format + "': use jsonl or csv");
}

}  // namespace ferc::vision
