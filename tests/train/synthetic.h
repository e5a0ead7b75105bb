// FER2013-shaped data sets made in memory, whose classes a tiny model learns in a few epochs.
#pragma once

#include <cstdint>

#include "ferc/data.h"

namespace ferc::test {

/// `per_class` 48x48 images of each class: dim noise with a bright 12x12 square whose place
/// on a 4x2 grid encodes the class. `seed` varies the noise.
Dataset squares(int per_class, uint32_t seed);

/// Train, validation and test splits of squares().
Fer2013 squares_fer2013(int train_per_class, int eval_per_class);

}  // namespace ferc::test
