// FER2013's seven expressions, in the dataset's label order, used everywhere in ferc.
#pragma once

#include <array>
#include <string_view>

namespace ferc {

inline constexpr int kNumClasses = 7;
inline constexpr std::array<std::string_view, kNumClasses> kClassNames = {
    "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"};

/// Index of a class name (case-insensitive), or -1.
int class_index(std::string_view name);

}  // namespace ferc
