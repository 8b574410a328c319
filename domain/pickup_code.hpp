#pragma once
// Short codes a customer shows at pickup. A code carries its reservation id, so two reservations
// can never share one, and mixes in a check value drawn from a random number, so knowing one's own
// code does not let anyone work out a neighbour's. The id is scrambled by a fixed permutation so
// that consecutive reservations do not get similar-looking codes, and the alphabet leaves out
// look-alikes (0/O, 1/I/L) because codes are read aloud and typed from screens.

#include <cstdint>
#include <optional>
#include <string>

namespace lastcall::domain {

// 5 characters for the first ~36 000 ids, 8 for ids up to ~1.1 * 10^9, longer beyond.
// Throws std::out_of_range for ids below 1 or above max_pickup_code_id.
std::string make_pickup_code(int64_t reservation_id, uint32_t random);

// The reservation id a code was made for, or nullopt when the text cannot be a code.
// Case-insensitive; spaces and dashes are ignored. The check value is not verified here (it depends
// on the random number): compare the normalized code with the stored one for that.
std::optional<int64_t> reservation_id_of(const std::string& code);

// Upper case with spaces and dashes removed: the form in which codes are compared.
std::string normalize_pickup_code(const std::string& code);

// The largest id a code can carry.
int64_t max_pickup_code_id();

}  // namespace lastcall::domain
