#pragma once
// The figures of a past period, read from the tables in one statement (domain/market_report.hpp).
// Reports are rare and may scan: run on a connection of their own, never the writer's.

#include <cstdint>

#include <pqxx/connection>

#include "domain/market_report.hpp"

namespace lastcall::persistence {

domain::period_figures read_period_figures(pqxx::connection& connection, domain::time_span span);

}  // namespace lastcall::persistence
