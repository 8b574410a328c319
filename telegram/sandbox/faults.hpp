#pragma once
// Misbehaviour the sandbox shows on purpose. The world consults it before every Bot API call, so
// new kinds of trouble (server errors, slow answers, expired callback queries) are added here and
// in world::admit only.

#include "telegram/sandbox/rate_limiter.hpp"

namespace lastcall::sandbox {

struct faults {
  rate_limits limits;  // flood control on the sending and editing methods
};

}  // namespace lastcall::sandbox
