// Reading checkpoints: every way a file can be wrong gets its own one-line message.
#include <google/protobuf/stubs/logging.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "ferc/error.h"
#include "ferc/files.h"
#include "format.h"

namespace ferc {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
  require_regular_file(path, "cannot read checkpoint",
                       "check the path or train a model to create it");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read checkpoint " + path.string() + ": " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  return std::move(buf).str();
}

std::string corrupt(const fs::path& path) {
  return "checkpoint " + path.string() + " is truncated or corrupt: not a ferc checkpoint";
}

pb::CheckpointFile parse(const fs::path& path, const std::string& bytes) {
  if (bytes.empty())
    throw Error("checkpoint " + path.string() +
                " is empty (0 bytes): not a ferc checkpoint; use another checkpoint");
  pb::CheckpointFile file;
  // Damaged strings make protobuf log; the library reports through its own error instead.
  google::protobuf::LogSilencer quiet;
  if (!file.ParseFromString(bytes)) throw Error(corrupt(path));
  return file;
}

// Magic first (is it ours at all?), then the version (can we read it?), then completeness.
void check_header(const pb::CheckpointFile& file, const fs::path& path) {
  if (file.magic() != checkpoint::kMagic)
    throw Error("checkpoint " + path.string() + " is not a ferc checkpoint (magic \"" +
                file.magic().substr(0, 32) + "\", expected \"" + std::string(checkpoint::kMagic) +
                "\")");
  if (file.format_version() > checkpoint::kFormatVersion)
    throw Error("checkpoint " + path.string() + " was written by a newer ferc (format " +
                std::to_string(file.format_version()) + ", this ferc reads up to " +
                std::to_string(checkpoint::kFormatVersion) + "); upgrade ferc to load it");
  if (file.format_version() == 0 || file.end_marker() != checkpoint::kEndMarker)
    throw Error(corrupt(path));
}

// Every format change is handled here, oldest first, so from_proto only knows the current one.
void upgrade(pb::CheckpointFile& file) {
  if (file.format_version() < 2) {
    // Format 1 had no checksums: stamp them, so the data is taken as it is.
    auto stamp = [](pb::Tensor& t) { t.set_crc32(checkpoint::data_crc32(t.data())); };
    for (pb::Tensor& t : *file.mutable_params()) stamp(t);
    if (file.has_train())
      for (pb::Tensor& t : *file.mutable_train()->mutable_slots()) stamp(t);
  }
  file.set_format_version(checkpoint::kFormatVersion);
}

}  // namespace

Checkpoint load_checkpoint(const fs::path& path) {
  pb::CheckpointFile file = parse(path, read_bytes(path));
  check_header(file, path);
  upgrade(file);
  return checkpoint::from_proto(file, path);
}

}  // namespace ferc
