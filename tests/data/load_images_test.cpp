// load_fer2013 on image zips and folders built from the layout fixture.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstring>

#include "ferc/data.h"
#include "ferc/error.h"
#include "fixtures.h"

namespace ferc::test {
namespace {

bool same_pixels(const Dataset& d, size_t i, const std::vector<uint8_t>& expected) {
  return std::memcmp(d.image(i), expected.data(), expected.size()) == 0;
}

// What every loader must produce from layout_fixture(), whatever the container.
void check_fixture(const Fer2013& data) {
  CHECK(data.train.sources ==
        std::vector<std::string>{"train/angry/Training_4.png", "train/fear/Training_10.png",
                                 "train/neutral/Training_3.png", "train/sad/Training_1.png",
                                 "train/sad/Training_2.png"});
  CHECK(data.train.labels == std::vector<int32_t>{0, 2, 6, 4, 4});
  CHECK(data.val.sources ==
        std::vector<std::string>{"test/disgust/PublicTest_6.png", "test/happy/PublicTest_5.png"});
  CHECK(data.val.labels == std::vector<int32_t>{1, 3});
  CHECK(data.test.sources ==
        std::vector<std::string>{"test/fear/PrivateTest_8.png", "test/surprise/PrivateTest_7.png"});
  CHECK(data.test.labels == std::vector<int32_t>{2, 5});
  REQUIRE(data.train.pixels.size() == 5 * 48 * 48);
  CHECK(same_pixels(data.train, 0, pattern(4)));
  CHECK(same_pixels(data.train, 3, pattern(1)));
  CHECK(same_pixels(data.train, 4, pattern(2)));
  CHECK(same_pixels(data.val, 1, pattern(5)));
  CHECK(same_pixels(data.test, 1, pattern(7)));
  // The 96x96 flat image is scaled down to 48x48 and stays flat.
  CHECK(same_pixels(data.train, 1, std::vector<uint8_t>(48 * 48, 77)));
  CHECK(data.skipped == 1);
  REQUIRE(data.skipped_examples.size() == 1);
  CHECK(data.skipped_examples[0] == "train/happy/Training_9.jpg is not a decodable image");
}

}  // namespace

TEST_CASE("zip: splits, labels, pixels, resizing and skipped entries") {
  TempDir dir;
  auto entries = layout_fixture();
  write_zip(dir.path() / "fer.zip", entries);
  check_fixture(load_fer2013(dir.path() / "fer.zip"));
}

TEST_CASE("zip: one enclosing folder is tolerated") {
  TempDir dir;
  auto entries = layout_fixture("fer2013/");
  write_zip(dir.path() / "wrapped.zip", entries);
  check_fixture(load_fer2013(dir.path() / "wrapped.zip"));
}

TEST_CASE("zip: is told apart by content, not by name") {
  TempDir dir;
  auto entries = layout_fixture();
  write_zip(dir.path() / "data.csv", entries);
  check_fixture(load_fer2013(dir.path() / "data.csv"));
}

TEST_CASE("folder: same result as the zip") {
  TempDir dir;
  write_tree(dir.path() / "fer", layout_fixture());
  check_fixture(load_fer2013(dir.path() / "fer"));
}

TEST_CASE("strict mode names the undecodable entry") {
  TempDir dir;
  auto entries = layout_fixture();
  write_zip(dir.path() / "fer.zip", entries);
  std::string message = load_error(dir.path() / "fer.zip", {.limit = 0, .strict = true});
  CHECK(message == (dir.path() / "fer.zip").string() +
                       ": train/happy/Training_9.jpg is not a decodable image; replace or remove "
                       "it, or load without strict mode to skip it");
}

TEST_CASE("limit keeps an evenly spread subset of the training entries") {
  TempDir dir;
  auto entries = layout_fixture();
  write_zip(dir.path() / "fer.zip", entries);
  // Sorted train entries: angry, fear, happy (corrupt), neutral, sad, sad; 2 of 6 -> 0 and 3.
  Fer2013 data = load_fer2013(dir.path() / "fer.zip", {.limit = 2});
  CHECK(data.train.labels == std::vector<int32_t>{0, 6});
  CHECK(data.val.size() == 2);
  CHECK(data.test.size() == 2);
  CHECK(data.skipped == 0);
}

TEST_CASE("zip without the layout is refused") {
  TempDir dir;
  std::string text = "hello";
  write_zip(dir.path() / "other.zip",
            {{"docs/a.txt", {text.begin(), text.end()}}, {"b/c/d.png", encode_png(pattern(1))}});
  CHECK(load_error(dir.path() / "other.zip")
            .starts_with((dir.path() / "other.zip").string() +
                         ": no images under train/<class>/ or test/<class>/"));
}

TEST_CASE("an empty split is an error naming it") {
  TempDir dir;
  auto entries = layout_fixture();
  std::erase_if(
      entries, [](const FileEntry& e) { return e.first.find("PrivateTest") != std::string::npos; });
  write_zip(dir.path() / "fer.zip", entries);
  CHECK(load_error(dir.path() / "fer.zip")
            .starts_with("no PrivateTest images found in " + (dir.path() / "fer.zip").string()));
}

TEST_CASE("missing, unreadable and foreign inputs are refused") {
  TempDir dir;
  CHECK(load_error(dir.path() / "absent.zip")
            .starts_with((dir.path() / "absent.zip").string() + ": no such file or folder"));
  REQUIRE(mkfifo((dir.path() / "pipe.zip").c_str(), 0600) == 0);
  CHECK(load_error(dir.path() / "pipe.zip")
            .starts_with((dir.path() / "pipe.zip").string() +
                         ": it is a pipe, socket or device, not a file"));
  write_text(dir.path() / "notes.txt", "hello world\n");
  CHECK(load_error(dir.path() / "notes.txt")
            .starts_with((dir.path() / "notes.txt").string() +
                         " is not a FER2013 zip, folder or CSV: it starts with 'hello world.'"));
  write_text(dir.path() / "fake.zip", std::string("PK\3\4 broken", 11));
  CHECK(load_error(dir.path() / "fake.zip")
            .starts_with((dir.path() / "fake.zip").string() + ": cannot open the zip ("));
  std::filesystem::create_directories(dir.path() / "empty");
  CHECK(load_error(dir.path() / "empty")
            .starts_with((dir.path() / "empty").string() + ": no images under train/"));
  // A valid archive holding no files: only the end-of-central-directory record.
  write_text(dir.path() / "nothing.zip", std::string("PK\5\6", 4) + std::string(18, '\0'));
  CHECK(load_error(dir.path() / "nothing.zip")
            .starts_with((dir.path() / "nothing.zip").string() + ": no images under train/"));
  write_text(dir.path() / "zero.csv", "");
  CHECK(load_error(dir.path() / "zero.csv") ==
        (dir.path() / "zero.csv").string() +
            " is empty: not a FER2013 zip or CSV; pass the FER2013 zip, its unpacked folder "
            "(train/ and test/) or fer2013.csv");
}

}  // namespace ferc::test
