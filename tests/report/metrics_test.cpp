#include <doctest/doctest.h>

#include <vector>

#include "ferc/error.h"
#include "ferc/metrics.h"

using namespace ferc;

namespace {

constexpr int kAngry = 0, kDisgust = 1, kFear = 2, kHappy = 3;

// Ten samples over four classes, worked out by hand:
//   true angry   x3 -> angry, angry, fear
//   true disgust x2 -> angry, fear
//   true fear    x4 -> fear, fear, fear, angry
//   true happy   x1 -> happy
Metrics hand_made() {
  const std::vector<int32_t> truth = {0, 0, 0, 1, 1, 2, 2, 2, 2, 3};
  const std::vector<int32_t> pred = {0, 0, 2, 0, 2, 2, 2, 2, 0, 3};
  return compute_metrics(truth, pred);
}

// One of each class, all right except disgust, which is taken for fear.
Metrics all_but_disgust() {
  const std::vector<int32_t> truth = {0, 1, 2, 3, 4, 5, 6};
  const std::vector<int32_t> pred = {0, 2, 2, 3, 4, 5, 6};
  return compute_metrics(truth, pred);
}

std::string error_of(std::vector<int32_t> truth, std::vector<int32_t> pred) {
  try {
    compute_metrics(truth, pred);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("confusion counts and accuracy of hand-made predictions") {
  const Metrics m = hand_made();
  CHECK(m.total == 10);
  CHECK(m.accuracy == doctest::Approx(0.6));
  CHECK(m.confusion[kAngry][kAngry] == 2);
  CHECK(m.confusion[kAngry][kFear] == 1);
  CHECK(m.confusion[kDisgust][kAngry] == 1);
  CHECK(m.confusion[kDisgust][kFear] == 1);
  CHECK(m.confusion[kFear][kFear] == 3);
  CHECK(m.confusion[kFear][kAngry] == 1);
  CHECK(m.confusion[kHappy][kHappy] == 1);
  int64_t sum = 0;
  for (const auto& row : m.confusion)
    for (int64_t n : row) sum += n;
  CHECK(sum == 10);
}

TEST_CASE("precision, recall and F1 per class match the hand computation") {
  const Metrics m = hand_made();
  // angry: 2 right of 4 predicted, of 3 true.
  CHECK(m.per_class[kAngry].precision == doctest::Approx(0.5));
  CHECK(m.per_class[kAngry].recall == doctest::Approx(2.0 / 3));
  CHECK(m.per_class[kAngry].f1 == doctest::Approx(4.0 / 7));
  CHECK(m.per_class[kAngry].support == 3);
  CHECK(m.per_class[kAngry].predicted == 4);
  // fear: 3 right of 5 predicted, of 4 true.
  CHECK(m.per_class[kFear].precision == doctest::Approx(0.6));
  CHECK(m.per_class[kFear].recall == doctest::Approx(0.75));
  CHECK(m.per_class[kFear].f1 == doctest::Approx(2.0 / 3));
  CHECK(m.per_class[kHappy].f1 == doctest::Approx(1.0));
  // macro over all seven classes; weighted by support 3, 2, 4, 1.
  CHECK(m.macro_f1 == doctest::Approx(47.0 / 147));
  CHECK(m.weighted_f1 == doctest::Approx(113.0 / 210));
}

TEST_CASE("a class that is never predicted has precision 0 and is counted as such") {
  const Metrics m = hand_made();
  CHECK(m.per_class[kDisgust].predicted == 0);
  CHECK(m.per_class[kDisgust].precision == 0.0);
  CHECK(m.per_class[kDisgust].recall == 0.0);
  CHECK(m.per_class[kDisgust].f1 == 0.0);
  CHECK(m.per_class[kDisgust].support == 2);
}

TEST_CASE("no samples give zero metrics without dividing by zero") {
  const Metrics m = compute_metrics({}, {});
  CHECK(m.total == 0);
  CHECK(m.accuracy == 0.0);
  CHECK(m.macro_f1 == 0.0);
  CHECK(m.weighted_f1 == 0.0);
}

TEST_CASE("mismatched sizes and out-of-range labels are refused") {
  CHECK(error_of({0, 1}, {0}) ==
        "compute_metrics: 2 true labels but 1 predictions; pass one prediction per sample");
  CHECK(error_of({0, 7}, {0, 1}) ==
        "compute_metrics: true label at index 1 is 7; class indices must be 0..6");
  CHECK(error_of({0, 1}, {-1, 1}) ==
        "compute_metrics: predicted label at index 0 is -1; class indices must be 0..6");
}

TEST_CASE("the table lines up and flags the class never predicted") {
  const std::string t = format_metrics(all_but_disgust());
  CHECK(t.starts_with("accuracy 85.71% (6 of 7)\n"));
  CHECK(t.find("\nclass          precision    recall        f1   support\n") != std::string::npos);
  CHECK(t.find("\nangry             1.0000    1.0000    1.0000         1\n") != std::string::npos);
  CHECK(t.find("\ndisgust           0.0000    0.0000    0.0000         1  never predicted\n") !=
        std::string::npos);
  CHECK(t.find("\nfear              0.5000    1.0000    0.6667         1\n") != std::string::npos);
  CHECK(t.find("\nmacro avg         0.7857    0.8571    0.8095         7\n") != std::string::npos);
  CHECK(t.find("\ntrue \\ pred        angry   disgust      fear     happy       sad  surprise"
               "   neutral\n") != std::string::npos);
  CHECK(t.find("\ndisgust                0         0         1         0         0         0"
               "         0\n") != std::string::npos);
  CHECK(t.find("\ndisgust             0.0%      0.0%    100.0%      0.0%      0.0%      0.0%"
               "      0.0%\n") != std::string::npos);
  CHECK(t.ends_with("\nnever predicted: disgust\n"));
}

TEST_CASE("the table has no never-predicted line when every class is predicted") {
  const std::vector<int32_t> all = {0, 1, 2, 3, 4, 5, 6};
  const std::string t = format_metrics(compute_metrics(all, all));
  CHECK(t.starts_with("accuracy 100.00% (7 of 7)\n"));
  CHECK(t.find("never predicted") == std::string::npos);
}

TEST_CASE("JSON carries every key with the computed values") {
  const nlohmann::json j = metrics_json(hand_made());
  CHECK(j["accuracy"].get<double>() == doctest::Approx(0.6));
  CHECK(j["classes"] ==
        nlohmann::json({"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"}));
  REQUIRE(j["confusion"].size() == 7);
  CHECK(j["confusion"][0] == nlohmann::json({2, 0, 1, 0, 0, 0, 0}));
  CHECK(j["confusion"][1] == nlohmann::json({1, 0, 1, 0, 0, 0, 0}));
  CHECK(j["confusion_normalized"][2][2].get<double>() == doctest::Approx(0.75));
  CHECK(j["confusion_normalized"][2][0].get<double>() == doctest::Approx(0.25));
  CHECK(j["confusion_normalized"][6] == nlohmann::json({0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}));
  const nlohmann::json& fear = j["per_class"]["fear"];
  CHECK(fear["precision"].get<double>() == doctest::Approx(0.6));
  CHECK(fear["recall"].get<double>() == doctest::Approx(0.75));
  CHECK(fear["f1"].get<double>() == doctest::Approx(2.0 / 3));
  CHECK(fear["support"].get<int64_t>() == 4);
  CHECK(j["per_class"].size() == 7);
  CHECK(j["macro_f1"].get<double>() == doctest::Approx(47.0 / 147));
  CHECK(j["weighted_f1"].get<double>() == doctest::Approx(113.0 / 210));
  CHECK(j["never_predicted"] == nlohmann::json({"disgust", "sad", "surprise", "neutral"}));
  CHECK_FALSE(j.contains("mean_cost"));
}
