// load_fer2013 on Kaggle's CSV and its variants.
#include <doctest/doctest.h>

#include <cstring>

#include "ferc/data.h"
#include "ferc/error.h"
#include "fixtures.h"

namespace ferc::test {
namespace {

// Rows of a full CSV: two per split, labels 0..5, pixels pattern(10 + row).
std::string full_csv(const std::string& eol = "\n") {
  const char* usage[] = {"Training", "PublicTest", "PrivateTest"};
  std::string text = "emotion,pixels,Usage" + eol;
  for (int row = 0; row < 6; ++row)
    text += std::to_string(row) + "," + csv_pixels(10 + row) + "," + usage[row / 2] + eol;
  return text;
}

void check_full(const Fer2013& data) {
  CHECK(data.train.labels == std::vector<int32_t>{0, 1});
  CHECK(data.val.labels == std::vector<int32_t>{2, 3});
  CHECK(data.test.labels == std::vector<int32_t>{4, 5});
  REQUIRE(data.test.pixels.size() == 2 * 48 * 48);
  CHECK(std::memcmp(data.test.image(1), pattern(15).data(), 48 * 48) == 0);
  CHECK(std::memcmp(data.train.image(0), pattern(10).data(), 48 * 48) == 0);
}

}  // namespace

TEST_CASE("csv: rows go to the split their Usage names") {
  TempDir dir;
  write_text(dir.path() / "fer2013.csv", full_csv());
  Fer2013 data = load_fer2013(dir.path() / "fer2013.csv");
  check_full(data);
  CHECK(data.train.sources == std::vector<std::string>{"fer2013.csv:2", "fer2013.csv:3"});
}

TEST_CASE("csv: CRLF line ends, spaced and reordered header, quoted pixels") {
  TempDir dir;
  std::string text = "emotion, Usage, pixels\r\n";
  const char* usage[] = {"Training", "PublicTest", "PrivateTest"};
  for (int row = 0; row < 6; ++row)
    text += std::to_string(row) + ", " + usage[row / 2] + ", \"" + csv_pixels(10 + row) + "\"\r\n";
  write_text(dir.path() / "icml_face_data.csv", text);
  check_full(load_fer2013(dir.path() / "icml_face_data.csv"));
  write_text(dir.path() / "crlf.csv", full_csv("\r\n"));
  check_full(load_fer2013(dir.path() / "crlf.csv"));
}

TEST_CASE("csv: CR-only line ends, as old Mac editors save them, count lines as well") {
  TempDir dir;
  write_text(dir.path() / "cr.csv", full_csv("\r"));
  Fer2013 data = load_fer2013(dir.path() / "cr.csv");
  check_full(data);
  CHECK(data.test.sources == std::vector<std::string>{"cr.csv:6", "cr.csv:7"});
  write_text(dir.path() / "bad.csv", "emotion,pixels,Usage\r0," + csv_pixels(1) + ",Training\r9," +
                                         csv_pixels(2) + ",Training\r");
  CHECK(load_error(dir.path() / "bad.csv") ==
        (dir.path() / "bad.csv").string() + ":3: emotion 9 is outside 0..6 (angry..neutral)");
}

TEST_CASE("csv: without a Usage column every row is a test image") {
  TempDir dir;
  write_text(dir.path() / "test.csv",
             "emotion,pixels\n3," + csv_pixels(1) + "\n6," + csv_pixels(2) + "\n");
  Fer2013 data = load_fer2013(dir.path() / "test.csv");
  CHECK(data.train.size() == 0);
  CHECK(data.val.size() == 0);
  CHECK(data.test.labels == std::vector<int32_t>{3, 6});
}

TEST_CASE("csv: bad rows are errors with the physical line number") {
  TempDir dir;
  auto bad = [&](const std::string& row) {
    // Line 2 is good, line 3 blank, the bad row is on line 4.
    write_text(dir.path() / "fer2013.csv",
               "emotion,pixels,Usage\n0," + csv_pixels(1) + ",Training\n\n" + row + "\n");
    return load_error(dir.path() / "fer2013.csv");
  };
  std::string prefix = (dir.path() / "fer2013.csv").string() + ":4: ";
  std::string short_row = csv_pixels(1).substr(0, csv_pixels(1).rfind(' '));
  CHECK(bad("1," + short_row + ",Training") == prefix + "expected 2304 pixel values, found 2303");
  CHECK(bad("1," + csv_pixels(1) + " 9,Training") ==
        prefix + "expected 2304 pixel values, found 2305");
  CHECK(bad("1,256" + csv_pixels(1).substr(csv_pixels(1).find(' ')) + ",Training") ==
        prefix + "pixel 1 is 256, outside 0..255");
  CHECK(bad("1,12 x3" + csv_pixels(1).substr(csv_pixels(1).find(' ')) + ",Training") ==
        prefix + "pixel 2 is 'x3', expected an integer 0..255");
  CHECK(bad("7," + csv_pixels(1) + ",Training") ==
        prefix + "emotion 7 is outside 0..6 (angry..neutral)");
  CHECK(bad("1," + csv_pixels(1) + ",Validation") ==
        prefix + "unknown Usage 'Validation', expected Training, PublicTest or PrivateTest");
  CHECK(bad("1," + csv_pixels(1)) ==
        prefix + "expected 3 comma-separated fields as in the header, found 2");
}

TEST_CASE("csv: a header-only file has an empty Training split") {
  TempDir dir;
  write_text(dir.path() / "empty.csv", "emotion,pixels,Usage\r\n");
  CHECK(load_error(dir.path() / "empty.csv") ==
        "no Training images found in " + (dir.path() / "empty.csv").string() +
            "; FER2013 needs Training, PublicTest and PrivateTest images");
}

TEST_CASE("csv: a header without labels is refused") {
  TempDir dir;
  write_text(dir.path() / "unlabelled.csv", "pixels\n" + csv_pixels(1) + "\n");
  CHECK(load_error(dir.path() / "unlabelled.csv")
            .starts_with((dir.path() / "unlabelled.csv").string() +
                         ":1: the header needs emotion and pixels columns, found 'pixels'"));
}

}  // namespace ferc::test
