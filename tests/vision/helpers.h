// Shared pieces of the vision tests: a deterministic stand-in classifier, running the pipeline
// into parsed records, FER2013 faces from the dataset zip, and synthetic scenes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "ferc/predict.h"

namespace vision_test {

inline const std::filesystem::path kSamples = std::filesystem::path(FERC_SHARED_DIR) / "samples";

/// Scores from the mean of seven horizontal bands of the normalised face, through a softmax:
/// depends only on the face's pixels, never on the rest of the batch.
ferc::FaceClassifier fake_classifier(int max_batch = 64);

/// Runs predict with `options` (format jsonl, records to a string) and parses each line.
std::vector<nlohmann::json> run_jsonl(ferc::PredictOptions options,
                                      const ferc::FaceClassifier& classifier,
                                      ferc::PredictSummary* summary = nullptr);

/// The first `n` test-split faces of FER2013 (48x48, 8-bit gray), from the dataset zip.
std::vector<cv::Mat> fer_faces(int n);

/// A fresh empty folder under the system temp folder, named after `name`.
std::filesystem::path temp_dir(const std::string& name);

/// A gray textured background of `size` with each face enlarged to `side` px at `at[i]`.
cv::Mat scene(cv::Size size, const std::vector<cv::Mat>& faces, const std::vector<cv::Point>& at,
              int side);

}  // namespace vision_test
