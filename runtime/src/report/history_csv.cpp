#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>

#include "ferc/error.h"
#include "ferc/metrics.h"
#include "report_util.h"

namespace ferc {
namespace {

// Shortest text that reads back to the same double.
std::string num(double v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// A learning rate as it was set: lr * decay^k carries binary noise in its last digits
// (0.01 * 0.9 is 0.009000000000000001), which 10 significant digits drop.
std::string rate(double v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 10);
  return std::string(buf, res.ptr);
}

}  // namespace

void write_history_csv(const History& h, const std::filesystem::path& path) {
  report::make_parent_dir(path, "history");
  std::ofstream out(path, std::ios::trunc);
  if (!out) throw Error("cannot write history " + path.string() + ": " + std::strerror(errno));
  out << "epoch,train_cost,train_error,val_cost,val_error,lr,seconds,images_per_s\n";
  for (const EpochRecord& e : h)
    out << e.epoch << ',' << num(e.train_cost) << ',' << num(e.train_error) << ','
        << num(e.val_cost) << ',' << num(e.val_error) << ',' << rate(e.lr) << ',' << num(e.seconds)
        << ',' << num(e.images_per_s) << '\n';
  out.flush();
  if (!out) throw Error("cannot write history " + path.string() + ": " + std::strerror(errno));
}

}  // namespace ferc
