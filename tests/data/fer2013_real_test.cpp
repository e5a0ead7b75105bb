// The real FER2013 zip shipped beside the project, when it is there.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "ferc/data.h"

namespace ferc::test {

TEST_CASE("real fer2013.zip: split sizes and training class counts") {
  // FERC_TEST_SHARED_DIR replaces the shared folder, to run the suite as on a fresh clone.
  const char* env = std::getenv("FERC_TEST_SHARED_DIR");
  std::filesystem::path shared = env && *env ? env : FERC_SHARED_DIR;
  std::filesystem::path zip = shared / "data" / "fer2013.zip";
  if (!std::filesystem::exists(zip)) {
    MESSAGE("skipped: " << zip.string() << " is not present");
    return;
  }
  auto start = std::chrono::steady_clock::now();
  Fer2013 data = load_fer2013(zip);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  MESSAGE("loaded " << zip.string() << " in " << took.count() << " s");
  CHECK(data.train.size() == 28709);
  CHECK(data.val.size() == 3589);
  CHECK(data.test.size() == 3589);
  CHECK(data.skipped == 0);
  // angry, disgust, fear, happy, sad, surprise, neutral
  CHECK(data.train.class_counts() ==
        std::array<int64_t, kNumClasses>{3995, 436, 4097, 7215, 4830, 3171, 4965});
  CHECK(data.train.sources.front() == "train/angry/Training_10118481.jpg");
}

}  // namespace ferc::test
