#include "ferc/error.h"
#include "format.h"

namespace ferc {

void save_checkpoint(const Checkpoint& ckpt, const std::filesystem::path& path) {
  std::string bytes;
  if (!checkpoint::to_proto(ckpt).SerializeToString(&bytes))
    throw Error("cannot write checkpoint " + path.string() +
                ": serialisation failed (over 2 GiB of weights?); split the model");
  checkpoint::write_file_atomically(path, bytes);
}

}  // namespace ferc
