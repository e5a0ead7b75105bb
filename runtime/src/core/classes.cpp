#include "ferc/classes.h"

#include <cctype>

namespace ferc {

int class_index(std::string_view name) {
  for (int i = 0; i < kNumClasses; ++i) {
    std::string_view known = kClassNames[static_cast<size_t>(i)];
    if (known.size() != name.size()) continue;
    bool same = true;
    for (size_t c = 0; same && c < name.size(); ++c)
      same = std::tolower(static_cast<unsigned char>(name[c])) == known[c];
    if (same) return i;
  }
  return -1;
}

}  // namespace ferc
