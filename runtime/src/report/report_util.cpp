#include "report_util.h"

#include <system_error>

#include "ferc/error.h"

namespace ferc::report {

std::array<double, kNumClasses> row_fractions(const Metrics& m, int t) {
  std::array<double, kNumClasses> row{};
  int64_t sum = 0;
  for (int64_t n : m.confusion[t]) sum += n;
  if (sum == 0) return row;
  for (int p = 0; p < kNumClasses; ++p) row[p] = double(m.confusion[t][p]) / double(sum);
  return row;
}

std::vector<std::string> never_predicted(const Metrics& m) {
  std::vector<std::string> names;
  for (int c = 0; c < kNumClasses; ++c)
    if (m.per_class[c].predicted == 0) names.emplace_back(kClassNames[c]);
  return names;
}

void make_parent_dir(const std::filesystem::path& path, const std::string& what) {
  if (!path.has_parent_path()) return;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec)
    throw Error("cannot write " + what + " " + path.string() + ": cannot create directory " +
                path.parent_path().string() + ": " + ec.message());
}

}  // namespace ferc::report
