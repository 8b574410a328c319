#pragma once
// Schema migrations compiled into the binary from persistence/migrations/NNN_name.sql (see
// embed_migrations.cmake), so a deployment needs no SQL files beside the executable.

#include <string>
#include <vector>

namespace lastcall::persistence {

struct migration {
  int version;       // the number the file name starts with; applied in increasing order
  std::string name;  // the file name without extension, e.g. "001_initial"
  std::string sql;
};

// Every embedded migration, in file name order.
const std::vector<migration>& embedded_migrations();

}  // namespace lastcall::persistence
