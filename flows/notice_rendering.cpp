#include "flows/notice_rendering.hpp"

namespace lastcall::flows {

void render_notice(turn& t, services& s, const domain::notice& n) {
  std::visit([&](const auto& notice) { render_notice(t, s, notice); }, n);
}

}  // namespace lastcall::flows
