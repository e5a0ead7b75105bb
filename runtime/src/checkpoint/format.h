// Constants of the checkpoint file format and the mapping between ferc types and its messages.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "checkpoint.pb.h"
#include "ferc/checkpoint.h"

namespace ferc::checkpoint {

/// First field of every checkpoint; tells a ferc file from any other protobuf.
inline constexpr std::string_view kMagic = "ferc.checkpoint";
/// The format this ferc writes and the newest it reads. 2: tensors carry a CRC-32.
inline constexpr uint32_t kFormatVersion = 2;
/// Value of the last field; its absence means the file was cut short.
inline constexpr uint32_t kEndMarker = 0x43524546;  // "FERC" read little-endian

/// Fills a file message from a checkpoint, stamping magic, version and end marker.
pb::CheckpointFile to_proto(const Checkpoint& ckpt);

/// Converts a validated, current-format message; `path` only names the file in errors.
Checkpoint from_proto(const pb::CheckpointFile& file, const std::filesystem::path& path);

/// CRC-32 of a tensor's data bytes.
uint32_t data_crc32(const std::string& bytes);

/// Replaces `path` with `bytes` so readers see the old content or the new, never a mix.
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

}  // namespace ferc::checkpoint
