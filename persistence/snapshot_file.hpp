#pragma once
// Snapshot files on disk. A snapshot is written to a temporary file beside its target, flushed to
// disk and then renamed over the target, so a crash or a full disk never leaves a half-written
// file under the name an operator would restore from.

#include <cstdint>
#include <string>

namespace lastcall::persistence {

// Writes `text` to `path` atomically (temporary file + fsync + rename). Creates missing parent
// folders. Throws std::runtime_error naming the path and the system's reason.
void write_file_atomically(const std::string& path, const std::string& text);

// The whole file; throws std::runtime_error naming the path when it cannot be read.
std::string read_whole_file(const std::string& path);

// "snapshot-<event seq, 12 digits>-<UTC time as 20260101T100000Z>.json": names sort by log
// position, and the time tells snapshots of the same position apart.
std::string snapshot_file_name(int64_t event_seq, int64_t taken_at);

}  // namespace lastcall::persistence
