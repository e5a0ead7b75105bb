// FER2013 in memory: readers for the image-folder zip or folder and Kaggle's CSV, class
// balancing, augmentation and batch assembly.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "ferc/classes.h"

namespace ferc {

/// Grayscale images of one size, with labels and where each came from.
struct Dataset {
  int height = 48, width = 48;
  std::vector<uint8_t> pixels;       // size() * height * width, row-major
  std::vector<int32_t> labels;       // class indices in kClassNames order
  std::vector<std::string> sources;  // "train/happy/Training_1.jpg" or "fer2013.csv:17"

  size_t size() const { return labels.size(); }
  const uint8_t* image(size_t i) const { return pixels.data() + i * height * width; }
  /// Images per class.
  std::array<int64_t, kNumClasses> class_counts() const;
};

/// How load_fer2013 reads. `limit` does not take the first N images, which in sorted order
/// would all be angry: it keeps the training images at positions i * count / N (i = 0..N-1),
/// evenly spread through the sorted order, so every class keeps about its share. For zips and
/// folders the choice is made before decoding; an undecodable image among them is skipped.
struct LoadOptions {
  size_t limit = 0;     // keep only N training images (0: all), for quick runs; see above
  bool strict = false;  // an undecodable image is fatal instead of skipped and counted
  /// Training needs all three splits; evaluation needs only the one it scores, which its
  /// caller checks, so false only requires some PublicTest or PrivateTest images.
  bool all_splits = true;
};

/// FER2013's three splits: Training trains, PublicTest validates, PrivateTest tests.
struct Fer2013 {
  Dataset train, val, test;
  size_t skipped = 0;                         // undecodable images skipped
  std::vector<std::string> skipped_examples;  // the first few, for the message
};

/// Reads FER2013 from the image-folder zip, an unpacked folder with train/ and test/, or
/// Kaggle's fer2013.csv, told apart by content. Throws ferc::Error naming the path (and the
/// CSV line) for anything unreadable, saying what to do with a gzip or tar archive, a UTF-16
/// CSV or a zip holding a CSV; an empty split is an error.
///
/// Zip and folder: train/<class>/* is train, test/<class>/PublicTest_* val and
/// test/<class>/PrivateTest_* test, below at most one enclosing folder; other files are
/// ignored (logged at debug; a class folder with another name is warned about once). Images are
/// sorted by path and decoded as grayscale; one that is not 48x48 is scaled to 48x48 (area
/// filter, aspect ratio not kept). An image that does not decode, a JPEG that libjpeg finds
/// damaged and a zip entry that fails its CRC check are skipped, counted and logged as warnings
/// naming the archive and entry, unless options.strict, which makes them an Error.
/// CSV: a header naming emotion, pixels and Usage columns (any order, spaces and quotes
/// allowed, LF, CRLF or CR line ends), then 2304 values 0..255 per row. A file without a Usage
/// column is a labelled test-only file: every row goes to `test`, and only `test` must be
/// non-empty.
Fer2013 load_fer2013(const std::filesystem::path& path, const LoadOptions& options = {});

/// How training compensates for FER2013's rare classes (disgust has 436 images, happy 7215).
enum class Balance { None, Oversample, ClassWeights };

/// Training order of one epoch: shuffled indices into `data`; with Oversample, minority
/// classes are repeated (with a different shuffle each epoch) until every class has as many as
/// the largest. Depends only on (seed, epoch), so a resumed run sees the same order.
std::vector<uint32_t> epoch_order(const Dataset& data, Balance balance, uint64_t seed, int epoch);

/// Inverse-frequency weights normalised to mean 1 over the samples: w_c = N / (K * n_c) for
/// the K classes present; a class with no samples gets 0.
std::array<float, kNumClasses> class_weights(const Dataset& data);

/// Random transforms applied to training images by make_batch.
struct Augment {
  bool flip = true;  // random horizontal mirror
  int shift = 0;     // random translation in pixels, up to this much each way (edge replicated)
};

/// Fills a batch: normalised images (see preprocess.h) into `images` (n*h*w floats, NCHW with
/// C = 1) and labels. With `augment`, image b is shifted (edge pixels replicated), then
/// mirrored, by draws that depend only on (seed, b); pass a different seed for each batch.
void make_batch(const Dataset& data, std::span<const uint32_t> indices, const Augment* augment,
                uint64_t seed, float* images, int32_t* labels);

}  // namespace ferc
