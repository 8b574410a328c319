#include "domain/pickup_code.hpp"

#include <array>
#include <cctype>
#include <numeric>
#include <stdexcept>

namespace lastcall::domain {

namespace {

constexpr char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr uint64_t radix = sizeof(alphabet) - 1;  // 31
// Every id has this many possible codes, one chosen by the random number. 800 is nearly what two
// extra characters would hold (31^2 = 961) and still lets ids up to 10^9 fit in eight characters:
// with a 31-letter alphabet two separate check characters would push those ids to nine.
constexpr uint64_t check_values = 800;
constexpr int min_length = 5;
constexpr int max_length = 12;  // 31^12 * 2 still fits in 64 bits

using u128 = unsigned __int128;

// Codes of one length carry a contiguous run of ids, scrambled by an affine permutation of that
// run.
struct block {
  uint64_t first_index = 0;
  uint64_t size = 0;
  uint64_t multiplier = 0;
  uint64_t inverse = 0;  // of multiplier, modulo size
  uint64_t shift = 0;
};

uint64_t power(uint64_t base, int exponent) {
  uint64_t result = 1;
  for (int i = 0; i < exponent; ++i) result *= base;
  return result;
}

uint64_t inverse_modulo(uint64_t value, uint64_t modulus) {
  __int128 r0 = modulus, r1 = value, t0 = 0, t1 = 1;
  while (r1 != 0) {
    __int128 q = r0 / r1;
    __int128 r2 = r0 - q * r1;
    r0 = r1;
    r1 = r2;
    __int128 t2 = t0 - q * t1;
    t0 = t1;
    t1 = t2;
  }
  if (t0 < 0) t0 += modulus;
  return static_cast<uint64_t>(t0);
}

std::array<block, max_length - min_length + 1> make_blocks() {
  std::array<block, max_length - min_length + 1> blocks{};
  uint64_t first = 0;
  for (int length = min_length; length <= max_length; ++length) {
    block& b = blocks[length - min_length];
    b.first_index = first;
    b.size = power(radix, length) / check_values;
    // A multiplier near size / golden ratio sends neighbouring ids far apart.
    b.multiplier = static_cast<uint64_t>(static_cast<long double>(b.size) * 0.6180339887L) | 1;
    while (std::gcd(b.multiplier, b.size) != 1) b.multiplier += 2;
    b.inverse = inverse_modulo(b.multiplier, b.size);
    b.shift = b.size / 3;
    first += b.size;
  }
  return blocks;
}

const std::array<block, max_length - min_length + 1>& blocks() {
  static const auto all = make_blocks();
  return all;
}

uint64_t check_value(int64_t id, uint32_t random) {
  uint64_t h = static_cast<uint64_t>(id) * 0x9E3779B97F4A7C15ULL ^
               uint64_t { random } * 0xC2B2AE3D27D4EB4FULL;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 32;
  return h % check_values;
}

int digit_of(char c) {
  for (uint64_t i = 0; i < radix; ++i)
    if (alphabet[i] == c) return static_cast<int>(i);
  return -1;
}

}  // namespace

int64_t max_pickup_code_id() {
  const block& last = blocks().back();
  return static_cast<int64_t>(last.first_index + last.size);
}

std::string make_pickup_code(int64_t reservation_id, uint32_t random) {
  if (reservation_id < 1 || reservation_id > max_pickup_code_id())
    throw std::out_of_range("reservation id outside the range pickup codes can carry");
  const uint64_t index = static_cast<uint64_t>(reservation_id) - 1;
  int length = min_length;
  while (index >= blocks()[length - min_length].first_index + blocks()[length - min_length].size)
    ++length;
  const block& b = blocks()[length - min_length];
  const uint64_t local = index - b.first_index;
  const uint64_t scrambled = static_cast<uint64_t>((u128{b.multiplier} * local + b.shift) % b.size);
  uint64_t value = scrambled * check_values + check_value(reservation_id, random);
  std::string code(static_cast<size_t>(length), alphabet[0]);
  for (int i = length - 1; i >= 0; --i) {
    code[static_cast<size_t>(i)] = alphabet[value % radix];
    value /= radix;
  }
  return code;
}

std::string normalize_pickup_code(const std::string& code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<int64_t> reservation_id_of(const std::string& code) {
  const std::string text = normalize_pickup_code(code);
  const int length = static_cast<int>(text.size());
  if (length < min_length || length > max_length) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    int digit = digit_of(c);
    if (digit < 0) return std::nullopt;
    value = value * radix + static_cast<uint64_t>(digit);
  }
  const block& b = blocks()[length - min_length];
  // The top of each length's number range carries no id.
  if (value >= b.size * check_values) return std::nullopt;
  const uint64_t scrambled = value / check_values;
  const uint64_t unshifted = (scrambled + b.size - b.shift) % b.size;
  const uint64_t local = static_cast<uint64_t>((u128{b.inverse} * unshifted) % b.size);
  return static_cast<int64_t>(b.first_index + local + 1);
}

}  // namespace lastcall::domain
