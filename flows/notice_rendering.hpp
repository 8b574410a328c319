#pragma once
// Notices (domain/notice.hpp) rendered for the turn's user, each in the feature it belongs to.
// render_notice(turn, services, notice) visits every alternative, so a notice without its
// function here does not compile.

#include "domain/notice.hpp"

namespace lastcall::flows {

class turn;
class services;

void render_notice(turn& t, services& s, const domain::notices::new_application& n);  // admin
void render_notice(turn& t, services& s,
                   const domain::notices::business_decided& n);                    // registration
void render_notice(turn& t, services& s, const domain::notices::offer_paused& n);  // reservations
void render_notice(turn& t, services& s, const domain::notices::offer_ended& n);
void render_notice(turn& t, services& s, const domain::notices::pickup_reminder& n);
void render_notice(turn& t, services& s, const domain::notices::missed_pickup& n);
void render_notice(turn& t, services& s, const domain::notices::new_reservations& n);  // pickups
void render_notice(turn& t, services& s, const domain::notices::window_ended& n);

void render_notice(turn& t, services& s, const domain::notice& n);

}  // namespace lastcall::flows
