// ferc types <-> checkpoint messages. Tensors travel as raw little-endian float32 bytes.
#include <bit>
#include <cstring>
#include <limits>

#include <zlib.h>

#include "ferc/error.h"
#include "format.h"

namespace ferc::checkpoint {

uint32_t data_crc32(const std::string& bytes) {
  return static_cast<uint32_t>(
      crc32_z(crc32_z(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

namespace {

static_assert(sizeof(float) == 4 && std::numeric_limits<float>::is_iec559,
              "checkpoints store IEEE-754 float32");
static_assert(std::endian::native == std::endian::little,
              "checkpoint tensors are stored little-endian; add a byte swap for this host");

void put_tensor(const NamedTensor& t, pb::Tensor* out) {
  out->set_name(t.name);
  for (int64_t d : t.shape.dims) out->add_dims(d);
  out->set_data(reinterpret_cast<const char*>(t.data.data()), t.data.size() * sizeof(float));
  out->set_crc32(data_crc32(out->data()));
}

NamedTensor get_tensor(const pb::Tensor& t, const std::filesystem::path& path) {
  NamedTensor out;
  out.name = t.name();
  out.shape = Shape(std::vector<int64_t>(t.dims().begin(), t.dims().end()));
  for (int64_t d : out.shape.dims)
    if (d < 0)
      throw Error("checkpoint " + path.string() + ": tensor '" + t.name() +
                  "' has a negative dimension (" + std::to_string(d) +
                  "); the file is damaged, use another checkpoint");
  const uint64_t want = static_cast<uint64_t>(out.shape.numel()) * sizeof(float);
  if (t.data().size() != want)
    throw Error("checkpoint " + path.string() + ": tensor '" + t.name() + "' of shape " +
                to_string(out.shape) + " needs " + std::to_string(want) + " bytes of data, found " +
                std::to_string(t.data().size()) + "; the file is damaged, use another checkpoint");
  if (data_crc32(t.data()) != t.crc32())
    throw Error("checkpoint " + path.string() + ": the data of tensor '" + t.name() +
                "' fails its checksum; the file is damaged, use another checkpoint");
  out.data.resize(static_cast<size_t>(out.shape.numel()));
  if (want != 0) std::memcpy(out.data.data(), t.data().data(), want);
  return out;
}

void put_preprocessing(const Preprocessing& p, pb::Preprocessing* out) {
  out->set_channels(p.channels);
  out->set_height(p.height);
  out->set_width(p.width);
  out->set_normalize(p.normalize);
  out->set_face_margin(p.face_margin);
}

Preprocessing get_preprocessing(const pb::Preprocessing& p) {
  Preprocessing out;
  out.channels = p.channels();
  out.height = p.height();
  out.width = p.width();
  out.normalize = p.normalize();
  out.face_margin = p.face_margin();
  return out;
}

void put_epoch(const EpochRecord& e, pb::EpochRecord* out) {
  out->set_epoch(e.epoch);
  out->set_train_cost(e.train_cost);
  out->set_train_error(e.train_error);
  out->set_val_cost(e.val_cost);
  out->set_val_error(e.val_error);
  out->set_lr(e.lr);
  out->set_seconds(e.seconds);
  out->set_images_per_s(e.images_per_s);
}

EpochRecord get_epoch(const pb::EpochRecord& e) {
  return EpochRecord{e.epoch(),     e.train_cost(), e.train_error(), e.val_cost(),
                     e.val_error(), e.lr(),         e.seconds(),     e.images_per_s()};
}

void put_train(const TrainState& s, pb::TrainState* out) {
  out->set_run(s.run);
  out->set_epochs_done(s.epochs_done);
  out->set_step(s.step);
  out->set_seed(s.seed);
  out->set_best_val_error(s.best_val_error);
  out->set_best_epoch(s.best_epoch);
  out->set_optimizer(s.optimizer);
  out->set_settings(s.settings);
  for (const EpochRecord& e : s.history) put_epoch(e, out->add_history());
  for (const NamedTensor& t : s.slots) put_tensor(t, out->add_slots());
}

TrainState get_train(const pb::TrainState& s, const std::filesystem::path& path) {
  TrainState out;
  out.run = s.run();
  out.epochs_done = s.epochs_done();
  out.step = s.step();
  out.seed = s.seed();
  out.best_val_error = s.best_val_error();
  out.best_epoch = s.best_epoch();
  out.optimizer = s.optimizer();
  out.settings = s.settings();
  for (const pb::EpochRecord& e : s.history()) out.history.push_back(get_epoch(e));
  for (const pb::Tensor& t : s.slots()) out.slots.push_back(get_tensor(t, path));
  return out;
}

}  // namespace

pb::CheckpointFile to_proto(const Checkpoint& ckpt) {
  pb::CheckpointFile f;
  f.set_magic(std::string(kMagic));
  f.set_format_version(kFormatVersion);
  f.set_model_name(ckpt.model_name);
  f.set_model_fingerprint(ckpt.model_fingerprint);
  for (const NamedTensor& t : ckpt.params) put_tensor(t, f.add_params());
  put_preprocessing(ckpt.preprocessing, f.mutable_preprocessing());
  if (ckpt.train) put_train(*ckpt.train, f.mutable_train());
  f.set_end_marker(kEndMarker);
  return f;
}

Checkpoint from_proto(const pb::CheckpointFile& file, const std::filesystem::path& path) {
  Checkpoint out;
  out.model_name = file.model_name();
  out.model_fingerprint = file.model_fingerprint();
  for (const pb::Tensor& t : file.params()) out.params.push_back(get_tensor(t, path));
  if (file.has_preprocessing()) out.preprocessing = get_preprocessing(file.preprocessing());
  if (file.has_train()) out.train = get_train(file.train(), path);
  return out;
}

}  // namespace ferc::checkpoint
