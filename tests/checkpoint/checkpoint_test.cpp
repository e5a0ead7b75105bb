#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "checkpoint.pb.h"
#include "ferc/checkpoint.h"
#include "ferc/error.h"
#include "scratch_dir.h"

using namespace ferc;
namespace fs = std::filesystem;

namespace {

using TempDir = ferc::test::ScratchDir;

NamedTensor tensor(std::string name, Shape shape, float start) {
  NamedTensor t{std::move(name), shape, {}};
  for (int64_t i = 0; i < shape.numel(); ++i) t.data.push_back(start + 0.25f * float(i));
  return t;
}

Checkpoint sample() {
  Checkpoint c;
  c.model_name = "lenet_fer";
  c.model_fingerprint = "conv:20x1x5x5;fc:7x500";
  c.params = {tensor("conv1.weight", Shape{2, 1, 3, 3}, -1.5f), tensor("conv1.bias", Shape{2}, 3),
              tensor("empty", Shape{0, 4}, 0)};
  c.preprocessing = Preprocessing{1, 42, 44, "none", 0.125f};
  TrainState s;
  s.run = 2;
  s.epochs_done = 3;
  s.step = 12345678901LL;
  s.seed = 0xFEDCBA9876543210ULL;
  s.best_val_error = 0.375;
  s.best_epoch = 2;
  s.optimizer = "adam";
  s.settings = "lr=0.01\nbatch=64\n";
  s.history = {EpochRecord{1, 1.9, 0.7, 1.8, 0.65, 0.01, 12.5, 2300},
               EpochRecord{2, 1.5, 0.55, 1.6, 0.5, 0.005, 11.25, 2400.5}};
  s.slots = {tensor("conv1.weight.m", Shape{2, 1, 3, 3}, 7), tensor("conv1.bias.v", Shape{2}, 8)};
  c.train = s;
  return c;
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string read_bytes(const fs::path& p) {
  std::ostringstream s;
  s << std::ifstream(p, std::ios::binary).rdbuf();
  return s.str();
}

std::string load_error(const fs::path& p) {
  try {
    load_checkpoint(p);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

pb::CheckpointFile valid_file() {
  pb::CheckpointFile f;
  f.set_magic("ferc.checkpoint");
  f.set_format_version(1);
  f.set_end_marker(0x43524546);
  return f;
}

void check_tensor(const NamedTensor& got, const NamedTensor& want) {
  CHECK(got.name == want.name);
  CHECK(got.shape == want.shape);
  CHECK(got.data == want.data);
}

}  // namespace

TEST_CASE("a checkpoint with training state reads back field for field") {
  TempDir dir;
  const Checkpoint in = sample();
  save_checkpoint(in, dir / "run.ckpt");
  const Checkpoint out = load_checkpoint(dir / "run.ckpt");

  CHECK(out.model_name == "lenet_fer");
  CHECK(out.model_fingerprint == in.model_fingerprint);
  REQUIRE(out.params.size() == 3);
  for (size_t i = 0; i < 3; ++i) check_tensor(out.params[i], in.params[i]);
  CHECK(out.params[0].data[1] == -1.25f);
  CHECK(out.preprocessing.channels == 1);
  CHECK(out.preprocessing.height == 42);
  CHECK(out.preprocessing.width == 44);
  CHECK(out.preprocessing.normalize == "none");
  CHECK(out.preprocessing.face_margin == 0.125f);

  REQUIRE(out.train.has_value());
  const TrainState& s = *out.train;
  CHECK(s.run == 2);
  CHECK(s.epochs_done == 3);
  CHECK(s.step == 12345678901LL);
  CHECK(s.seed == 0xFEDCBA9876543210ULL);
  CHECK(s.best_val_error == 0.375);
  CHECK(s.best_epoch == 2);
  CHECK(s.optimizer == "adam");
  CHECK(s.settings == "lr=0.01\nbatch=64\n");
  REQUIRE(s.history.size() == 2);
  const EpochRecord& e = s.history[1];
  CHECK(e.epoch == 2);
  CHECK(e.train_cost == 1.5);
  CHECK(e.train_error == 0.55);
  CHECK(e.val_cost == 1.6);
  CHECK(e.val_error == 0.5);
  CHECK(e.lr == 0.005);
  CHECK(e.seconds == 11.25);
  CHECK(e.images_per_s == 2400.5);
  CHECK(s.history[0].images_per_s == 2300);
  REQUIRE(s.slots.size() == 2);
  check_tensor(s.slots[0], in.train->slots[0]);
  check_tensor(s.slots[1], in.train->slots[1]);
}

TEST_CASE("a weights-only checkpoint has no training state") {
  TempDir dir;
  Checkpoint in = sample();
  in.train.reset();
  save_checkpoint(in, dir / "w.ckpt");
  CHECK_FALSE(load_checkpoint(dir / "w.ckpt").train.has_value());
}

TEST_CASE("tensors are stored as little-endian float32 bytes") {
  TempDir dir;
  Checkpoint in;
  in.params = {NamedTensor{"w", Shape{2}, {1.0f, -2.0f}}};
  save_checkpoint(in, dir / "t.ckpt");
  pb::CheckpointFile f;
  REQUIRE(f.ParseFromString(read_bytes(dir / "t.ckpt")));
  REQUIRE(f.params_size() == 1);
  // 1.0f = 0x3F800000, -2.0f = 0xC0000000, least significant byte first.
  CHECK(f.params(0).data() == std::string("\x00\x00\x80\x3F\x00\x00\x00\xC0", 8));
  CHECK(f.magic() == "ferc.checkpoint");
  CHECK(f.format_version() == 2);
  CHECK(f.params(0).crc32() == 0xC3872656u);  // zlib.crc32 of those 8 bytes
}

TEST_CASE("save creates parent directories, replaces the old file and leaves no temporary") {
  TempDir dir;
  const fs::path path = dir / "a/b/run.ckpt";
  Checkpoint c = sample();
  save_checkpoint(c, path);
  c.model_name = "second";
  save_checkpoint(c, path);
  CHECK(load_checkpoint(path).model_name == "second");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(path.parent_path()))
    names.push_back(entry.path().filename().string());
  CHECK(names == std::vector<std::string>{"run.ckpt"});
}

TEST_CASE("a failed save keeps the old checkpoint intact") {
  TempDir dir;
  const fs::path path = dir / "run.ckpt";
  save_checkpoint(sample(), path);
  const std::string before = read_bytes(path);
  // Occupy the temporary name with a non-empty directory so the new write cannot start.
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  fs::create_directories(tmp / "keep");
  Checkpoint other = sample();
  other.model_name = "other";
  try {
    save_checkpoint(other, path);
    FAIL("save should fail while the temporary name is taken");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "cannot write checkpoint " + path.string() +
                                       ": cannot create temporary file " + tmp.string() +
                                       ": Is a directory");
  }
  CHECK(read_bytes(path) == before);
  CHECK(load_checkpoint(path).model_name == "lenet_fer");
  CHECK(fs::exists(tmp / "keep"));
}

TEST_CASE("a failed rename removes the temporary file") {
  TempDir dir;
  const fs::path path = dir / "taken";
  fs::create_directories(path / "inside");  // renaming a file over a non-empty directory fails
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  try {
    save_checkpoint(sample(), path);
    FAIL("save over a directory should fail");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "cannot write checkpoint " + path.string() + ": renaming " +
                                       tmp.string() + " over it failed: Is a directory");
  }
  CHECK_FALSE(fs::exists(tmp));
}

TEST_CASE("save under a path whose parent is a file names the path and the reason") {
  TempDir dir;
  write_bytes(dir / "file", "x");
  const fs::path path = dir / "file/run.ckpt";
  try {
    save_checkpoint(sample(), path);
    FAIL("save should fail");
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK(msg.starts_with("cannot write checkpoint " + path.string() +
                          ": cannot create directory " + (dir / "file").string() + ": "));
    CHECK((msg.ends_with("Not a directory") || msg.ends_with("File exists")));
  }
}

TEST_CASE("a missing checkpoint is named") {
  TempDir dir;
  CHECK(load_error(dir / "nope.ckpt") == "cannot read checkpoint " + (dir / "nope.ckpt").string() +
                                             ": no such file; check the path or train a model "
                                             "to create it");
}

TEST_CASE("a pipe or a folder given as a checkpoint is refused without blocking") {
  TempDir dir;
  CHECK(load_error(dir.path()) == "cannot read checkpoint " + dir.path().string() +
                                      ": it is a folder, not a file; check the path or train a "
                                      "model to create it");
  REQUIRE(mkfifo((dir / "pipe.ckpt").c_str(), 0600) == 0);
  CHECK(load_error(dir / "pipe.ckpt") == "cannot read checkpoint " + (dir / "pipe.ckpt").string() +
                                             ": it is a pipe, socket or device, not a regular "
                                             "file; check the path or train a model to create it");
}

TEST_CASE("an empty checkpoint is reported as empty") {
  TempDir dir;
  write_bytes(dir / "e.ckpt", "");
  CHECK(load_error(dir / "e.ckpt") == "checkpoint " + (dir / "e.ckpt").string() +
                                          " is empty (0 bytes): not a ferc checkpoint; use "
                                          "another checkpoint");
}

TEST_CASE("a checkpoint cut short is reported as truncated") {
  TempDir dir;
  save_checkpoint(sample(), dir / "full.ckpt");
  const std::string bytes = read_bytes(dir / "full.ckpt");
  REQUIRE(bytes.size() > 100);
  // Every cut inside the header (magic, version) and the end marker, and a spread in between.
  std::vector<size_t> lengths;
  for (size_t len = 1; len <= 24; ++len) lengths.push_back(len);
  for (size_t len = 25; len + 12 < bytes.size(); len += bytes.size() / 20) lengths.push_back(len);
  for (size_t len = bytes.size() - 12; len < bytes.size(); ++len) lengths.push_back(len);
  const fs::path cut = dir / "cut.ckpt";
  const std::string want =
      "checkpoint " + cut.string() + " is truncated or corrupt: not a ferc checkpoint";
  for (size_t len : lengths) {
    write_bytes(cut, bytes.substr(0, len));
    CAPTURE(len);
    CHECK(load_error(cut) == want);
  }
}

TEST_CASE("random bytes are not a checkpoint") {
  TempDir dir;
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    std::string junk(64 + trial * 13, '\0');
    for (char& c : junk) c = char(rng() & 0xFF);
    write_bytes(dir / "junk.ckpt", junk);
    const std::string got = load_error(dir / "junk.ckpt");
    CAPTURE(trial);
    CHECK(got.starts_with("checkpoint " + (dir / "junk.ckpt").string() + " is "));
    CHECK(got.find("not a ferc checkpoint") != std::string::npos);
  }
}

TEST_CASE("a PNG image is not a checkpoint") {
  // FERC_TEST_SHARED_DIR replaces the shared folder, to run the suite as on a fresh clone.
  const char* env = std::getenv("FERC_TEST_SHARED_DIR");
  const fs::path shared = env && *env ? fs::path(env) : fs::path(FERC_SHARED_DIR);
  const fs::path png = shared / "samples/bad-inputs/one_pixel.png";
  if (!fs::exists(png)) {
    MESSAGE("skipped: " << png.string() << " is not present (samples/ is expected in "
                        << shared.string() << ", beside the repository)");
    return;
  }
  const std::string got = load_error(png);
  CHECK(got.starts_with("checkpoint " + png.string() + " is "));
  CHECK(got.find("not a ferc checkpoint") != std::string::npos);
}

TEST_CASE("a protobuf with another magic is refused with the magic it has") {
  TempDir dir;
  pb::CheckpointFile f = valid_file();
  f.set_magic("onnx.model");
  write_bytes(dir / "m.pb", f.SerializeAsString());
  CHECK(load_error(dir / "m.pb") == "checkpoint " + (dir / "m.pb").string() +
                                        " is not a ferc checkpoint (magic \"onnx.model\", "
                                        "expected \"ferc.checkpoint\")");
  pb::Tensor other;  // another message type entirely: its name lands where magic lives
  other.set_name("weights");
  write_bytes(dir / "t.pb", other.SerializeAsString());
  CHECK(load_error(dir / "t.pb") == "checkpoint " + (dir / "t.pb").string() +
                                        " is not a ferc checkpoint (magic \"weights\", "
                                        "expected \"ferc.checkpoint\")");
}

TEST_CASE("a checkpoint from a newer format is refused with both versions") {
  TempDir dir;
  pb::CheckpointFile f = valid_file();
  f.set_format_version(3);
  write_bytes(dir / "new.ckpt", f.SerializeAsString());
  CHECK(load_error(dir / "new.ckpt") == "checkpoint " + (dir / "new.ckpt").string() +
                                            " was written by a newer ferc (format 3, this ferc "
                                            "reads up to 2); upgrade ferc to load it");
}

TEST_CASE("a tensor whose data does not match its shape is refused") {
  TempDir dir;
  pb::CheckpointFile f = valid_file();
  pb::Tensor* t = f.add_params();
  t->set_name("fc1.weight");
  t->add_dims(2);
  t->add_dims(3);
  t->set_data(std::string(20, '\0'));
  write_bytes(dir / "bad.ckpt", f.SerializeAsString());
  CHECK(load_error(dir / "bad.ckpt") ==
        "checkpoint " + (dir / "bad.ckpt").string() +
            ": tensor 'fc1.weight' of shape 2x3 needs 24 bytes of data, found 20; the file is "
            "damaged, use another checkpoint");
}

TEST_CASE("a tensor whose bytes were damaged fails its checksum") {
  TempDir dir;
  save_checkpoint(sample(), dir / "ok.ckpt");
  pb::CheckpointFile f;
  REQUIRE(f.ParseFromString(read_bytes(dir / "ok.ckpt")));
  std::string data = f.params(0).data();
  data[5] = static_cast<char>(data[5] ^ 0x40);
  f.mutable_params(0)->set_data(data);
  write_bytes(dir / "damaged.ckpt", f.SerializeAsString());
  CHECK(load_error(dir / "damaged.ckpt") ==
        "checkpoint " + (dir / "damaged.ckpt").string() + ": the data of tensor '" +
            f.params(0).name() +
            "' fails its checksum; the file is damaged, use another checkpoint");
}

TEST_CASE("a format 1 checkpoint, written before checksums, still loads") {
  TempDir dir;
  save_checkpoint(sample(), dir / "v2.ckpt");
  pb::CheckpointFile f;
  REQUIRE(f.ParseFromString(read_bytes(dir / "v2.ckpt")));
  f.set_format_version(1);
  for (pb::Tensor& t : *f.mutable_params()) t.clear_crc32();
  for (pb::Tensor& t : *f.mutable_train()->mutable_slots()) t.clear_crc32();
  write_bytes(dir / "v1.ckpt", f.SerializeAsString());
  Checkpoint back = load_checkpoint(dir / "v1.ckpt");
  Checkpoint want = sample();
  REQUIRE(back.params.size() == want.params.size());
  for (size_t i = 0; i < want.params.size(); ++i) check_tensor(back.params[i], want.params[i]);
}
