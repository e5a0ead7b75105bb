// Shared pieces of the vision tests: a deterministic stand-in classifier, running the pipeline
// into parsed records, FER2013 faces from the dataset zip, and synthetic scenes.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "ferc/predict.h"

namespace vision_test {

/// The folder beside the repository that holds data/fer2013.zip and samples/. The environment
/// variable FERC_TEST_SHARED_DIR replaces it: pointing it at an empty folder shows how the suite
/// behaves on a fresh clone without them.
inline std::filesystem::path shared_dir() {
  const char* env = std::getenv("FERC_TEST_SHARED_DIR");
  return env && *env ? std::filesystem::path(env) : std::filesystem::path(FERC_SHARED_DIR);
}

inline const std::filesystem::path kSamples = shared_dir() / "samples";
inline const std::filesystem::path kFer2013Zip = shared_dir() / "data" / "fer2013.zip";

/// True when `path` (a sample or the FER2013 zip) exists; otherwise logs why the test case is
/// skipped and returns false, for `if (!available(path)) return;` at the top of a case.
bool available(const std::filesystem::path& path);

/// Scores from the mean of seven horizontal bands of the normalised face, through a softmax:
/// depends only on the face's pixels, never on the rest of the batch.
ferc::FaceClassifier fake_classifier(int max_batch = 64);

/// Runs predict with `options` (format jsonl, records to a string) and parses each line.
std::vector<nlohmann::json> run_jsonl(ferc::PredictOptions options,
                                      const ferc::FaceClassifier& classifier,
                                      ferc::PredictSummary* summary = nullptr);

/// The first `n` test-split faces of FER2013 (48x48, 8-bit gray), from kFer2013Zip.
std::vector<cv::Mat> fer_faces(int n);

/// A fresh empty folder under the system temp folder, named after `name`.
std::filesystem::path temp_dir(const std::string& name);

/// A gray textured background of `size` with each face enlarged to `side` px at `at[i]`.
cv::Mat scene(cv::Size size, const std::vector<cv::Mat>& faces, const std::vector<cv::Point>& at,
              int side);

}  // namespace vision_test
