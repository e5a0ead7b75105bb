// Output formats, option checks and the tracker on its own.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <opencv2/imgcodecs.hpp>

#include "ferc/error.h"
#include "helpers.h"
#include "record.h"
#include "tracker.h"

using namespace ferc::vision;

namespace {

Face face_at(int x, float happy) {
  Face f{cv::Rect(x, 10, 50, 50), {}, -1};
  f.scores[3] = happy;
  f.scores[6] = 1 - happy;
  return f;
}

}  // namespace

TEST_CASE("a JSON line has the documented keys, in order") {
  Record r{"a.jpg", false, 0, 0, 640, 480, {face_at(5, 0.75f)}, {}};
  CHECK(
      to_json_line(r) ==
      R"({"source":"a.jpg","width":640,"height":480,"faces":[{"box":[5,10,50,50],"label":"happy",)"
      R"("scores":{"angry":0.0,"disgust":0.0,"fear":0.0,"happy":0.75,"sad":0.0,"surprise":0.0,)"
      R"("neutral":0.25}}]})");
  Record video{"v.mp4", true, 3, 0.1001, 640, 360, {}, {}};
  CHECK(to_json_line(video) ==
        R"({"source":"v.mp4","frame":3,"time":0.1,"width":640,"height":360,"faces":[]})");
  Record failed{"x.jpg", false, 0, 0, 0, 0, {}, "empty file"};
  CHECK(to_json_line(failed) == R"({"source":"x.jpg","error":"empty file"})");
}

TEST_CASE("CSV has one row per face, one for a picture without faces, one per error") {
  std::ostringstream out;
  auto writer = make_writer("csv", out);
  writer->write(Record{"a,b.jpg", false, 0, 0, 64, 48, {face_at(1, 1.0f), face_at(70, 0.0f)}, {}});
  writer->write(Record{"none.png", false, 0, 0, 10, 10, {}, {}});
  writer->write(Record{"bad.jpg", false, 0, 0, 0, 0, {}, "not an image"});
  std::istringstream lines(out.str());
  std::vector<std::string> rows;
  for (std::string l; std::getline(lines, l);) rows.push_back(l);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0] ==
        "source,frame,time,width,height,face,x,y,w,h,track,label,angry,disgust,fear,happy,sad,"
        "surprise,neutral,error");
  CHECK(rows[1] == "\"a,b.jpg\",,,64,48,0,1,10,50,50,,happy,0,0,0,1,0,0,0,");
  CHECK(rows[2] == "\"a,b.jpg\",,,64,48,1,70,10,50,50,,neutral,0,0,0,0,0,0,1,");
  CHECK(rows[3] == "none.png,,,10,10,,,,,,,,,,,,,,,");
  CHECK(rows[4] == "bad.jpg,,,,,,,,,,,,,,,,,,,not an image");
  for (const auto& row : rows) CHECK(std::count(row.begin(), row.end(), ',') >= 19);
  CHECK_THROWS_WITH_AS(make_writer("xml", out), "unknown output format 'xml': use jsonl or csv",
                       ferc::Error);
}

TEST_CASE("the tracker keeps ids by overlap and starts new ones for new faces") {
  Tracker tracker(1);
  std::vector<Face> frame1 = {face_at(0, 0.5f), face_at(200, 0.5f)};
  tracker.update(frame1);
  CHECK(frame1[0].track == 0);
  CHECK(frame1[1].track == 1);
  std::vector<Face> frame2 = {face_at(205, 0.5f), face_at(400, 0.5f), face_at(3, 0.5f)};
  tracker.update(frame2);
  CHECK(frame2[0].track == 1);
  CHECK(frame2[1].track == 2);
  CHECK(frame2[2].track == 0);
  CHECK(iou(cv::Rect(0, 0, 10, 10), cv::Rect(5, 0, 10, 10)) == doctest::Approx(50.0 / 150));
}

TEST_CASE("smoothing averages a track's last N frames") {
  Tracker tracker(2);
  std::vector<Face> a = {face_at(0, 1.0f)}, b = {face_at(1, 0.0f)}, c = {face_at(2, 0.5f)};
  tracker.update(a);
  tracker.update(b);
  tracker.update(c);
  CHECK(a[0].scores[3] == doctest::Approx(1.0));
  CHECK(b[0].scores[3] == doctest::Approx(0.5));
  CHECK(c[0].scores[3] == doctest::Approx(0.25));
}

TEST_CASE("bad options and cascades are set-up errors") {
  auto classifier = vision_test::fake_classifier();
  std::ostringstream out;
  ferc::PredictOptions options;
  options.inputs = {"x.jpg"};
  options.smooth = 0;
  CHECK_THROWS_WITH_AS(ferc::run_predict(options, classifier, out),
                       "--smooth must be at least 1 (frames), got 0", ferc::Error);
  options.smooth = 1;
  options.annotate = true;
  CHECK_THROWS_WITH_AS(ferc::run_predict(options, classifier, out),
                       doctest::Contains("add --out DIR"), ferc::Error);
  options.annotate = false;
  options.cascade = "/nonexistent/cascade.xml";
  CHECK_THROWS_WITH_AS(ferc::run_predict(options, classifier, out),
                       "face cascade /nonexistent/cascade.xml does not exist; install opencv-data "
                       "or pass --cascade FILE",
                       ferc::Error);
  auto bogus = vision_test::temp_dir("cascade") / "bogus.xml";
  std::ofstream(bogus) << "<html>not a cascade</html>";
  options.cascade = bogus;
  CHECK_THROWS_WITH_AS(ferc::run_predict(options, classifier, out),
                       doctest::Contains("could not be loaded: it is not an OpenCV cascade"),
                       ferc::Error);
  options.cascade.clear();
  options.inputs = {};
  CHECK_THROWS_WITH_AS(ferc::run_predict(options, classifier, out),
                       doctest::Contains("at least one input"), ferc::Error);
}

TEST_CASE("a missing input is an error record; the others still run") {
  ferc::PredictOptions options;
  auto dir = vision_test::temp_dir("missing");
  cv::imwrite((dir / "gray.png").string(), cv::Mat(64, 64, CV_8UC1, cv::Scalar(90)));
  options.inputs = {(dir / "nope.jpg").string(), (dir / "gray.png").string()};
  ferc::PredictSummary summary;
  auto records = vision_test::run_jsonl(options, vision_test::fake_classifier(), &summary);
  REQUIRE(records.size() == 2);
  CHECK(records[0]["error"] == "no such file or folder");
  CHECK(records[1]["faces"].empty());
  CHECK(summary.failed == 1);
  CHECK(summary.images == 1);
}

TEST_CASE("an output folder with earlier results is refused unless they are to be replaced") {
  auto dir = vision_test::temp_dir("rerun");
  cv::imwrite((dir / "gray.png").string(), cv::Mat(64, 64, CV_8UC1, cv::Scalar(90)));
  ferc::PredictOptions options;
  options.inputs = {(dir / "gray.png").string()};
  options.out_dir = dir / "out";
  std::ostringstream out;
  ferc::run_predict(options, vision_test::fake_classifier(), out);
  REQUIRE(std::filesystem::exists(dir / "out" / "predictions.jsonl"));
  std::ofstream(dir / "out" / "clip.annotated.mp4") << "an earlier run's video";
  std::ofstream(dir / "out" / "notes.txt") << "the user's own file";
  CHECK_THROWS_WITH_AS(ferc::run_predict(options, vision_test::fake_classifier(), out),
                       ("the output folder " + (dir / "out").string() +
                        " already holds results of an earlier run (clip.annotated.mp4 and 1 "
                        "more); pass another --out folder, or --force to replace them")
                           .c_str(),
                       ferc::Error);
  options.format = "csv";  // another format is refused too: the folder would hold both
  CHECK_THROWS_AS(ferc::run_predict(options, vision_test::fake_classifier(), out), ferc::Error);
  options.replace_results = true;
  ferc::run_predict(options, vision_test::fake_classifier(), out);
  CHECK(std::filesystem::exists(dir / "out" / "predictions.csv"));
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "predictions.jsonl"));
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "clip.annotated.mp4"));
  CHECK(std::filesystem::exists(dir / "out" / "notes.txt"));
}
