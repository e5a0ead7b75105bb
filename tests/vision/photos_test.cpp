// Face counts on the sample photos, as far as a frontal Haar cascade can see them.
#include <doctest/doctest.h>

#include "helpers.h"

using vision_test::kSamples;

namespace {

nlohmann::json predict_one(const std::string& name) {
  ferc::PredictOptions options;
  options.inputs = {(kSamples / "photos" / name).string()};
  auto records = vision_test::run_jsonl(options, vision_test::fake_classifier());
  REQUIRE(records.size() == 1);
  REQUIRE_FALSE(records[0].contains("error"));
  return records[0];
}

}  // namespace

TEST_CASE("photos give the faces a person sees") {
  if (!vision_test::available(kSamples / "photos")) return;
  // Where a frontal cascade cannot match photos.csv, the expected count says what it finds:
  // Pierre Curie is in profile, the woman in pcn_19 lies at 90 degrees, the group photo's small
  // faces are half found, and one dog's face passes for a human one.
  const std::vector<std::pair<std::string, int>> expected = {{"pr_messi_face_40x52.jpg", 1},
                                                             {"fr_obama-240p.jpg", 1},
                                                             {"fr_obama-1080p.jpg", 1},
                                                             {"df_img49_4352x2903.jpg", 1},
                                                             {"fr_two_people.jpg", 2},
                                                             {"wj_1_frowning_man.jpg", 1},
                                                             {"df_img47_webp_named_jpg.jpg", 1},
                                                             {"fr_obama_partial_face.jpg", 1},
                                                             {"fr_32bit.png", 1},
                                                             {"rb_girl-1.out.png", 1},
                                                             {"curie_grayscale.jpg", 1},
                                                             {"pcn_19_rotated90.jpg", 1},
                                                             {"dlib_giraffe.jpg", 0},
                                                             {"dlib_gray_frame_000100.jpg", 0}};
  for (const auto& [name, faces] : expected) {
    CAPTURE(name);
    CHECK(predict_one(name)["faces"].size() == static_cast<size_t>(faces));
  }
}

TEST_CASE("the group photo finds some of its seven small faces") {
  if (!vision_test::available(kSamples / "photos")) return;
  auto record = predict_one("dlib_2007_007763.jpg");
  CHECK(record["faces"].size() >= 3);
  CHECK(record["faces"].size() <= 7);
}

TEST_CASE("the same photo at 240p and 1080p puts the face in the same place") {
  if (!vision_test::available(kSamples / "photos")) return;
  auto small = predict_one("fr_obama-240p.jpg")["faces"][0]["box"];
  auto large = predict_one("fr_obama-1080p.jpg")["faces"][0]["box"];
  double k = 1920.0 / 427.0;
  for (int i = 0; i < 4; ++i)
    CHECK(small[i].get<double>() * k == doctest::Approx(large[i].get<double>()).epsilon(0.12));
}

TEST_CASE("EXIF orientation 6 is applied: the faces match the upright original") {
  if (!vision_test::available(kSamples / "photos")) return;
  auto rotated = predict_one("curie_exif_orientation6.jpg");
  auto upright = predict_one("curie_grayscale.jpg");
  CHECK(rotated["width"] == 840);
  CHECK(rotated["height"] == 700);
  REQUIRE(rotated["faces"].size() >= 1);
  // The frontal face (Marie Curie) is the largest box in both.
  auto largest = [](const nlohmann::json& faces) {
    nlohmann::json best = faces[0];
    for (const auto& f : faces)
      if (f["box"][2].get<int>() > best["box"][2].get<int>()) best = f;
    return best["box"];
  };
  auto a = largest(rotated["faces"]), b = largest(upright["faces"]);
  for (int i = 0; i < 4; ++i) CHECK(std::abs(a[i].get<int>() - b[i].get<int>()) <= 6);
}

TEST_CASE("animal faces are not human faces") {
  if (!vision_test::available(kSamples / "photos")) return;
  CHECK(predict_one("dlib_giraffe.jpg")["faces"].empty());
  CHECK(predict_one("dlib_dogs.jpg")["faces"].size() <= 1);
}
