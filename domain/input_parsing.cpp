#include "domain/input_parsing.hpp"

#include <cstdio>
#include <ctime>
#include <regex>
#include <vector>

namespace lastcall::domain {

namespace {

// ---- text helpers ----

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

std::string trim(const std::string& text) {
  size_t first = 0, last = text.size();
  while (first < last && is_ascii_space(text[first])) ++first;
  while (last > first && is_ascii_space(text[last - 1])) --last;
  return text.substr(first, last - first);
}

bool starts_with(const std::string& text, size_t at, const char* prefix) {
  return text.compare(at, std::char_traits<char>::length(prefix), prefix) == 0;
}

// Spaces people (and their keyboards) put between digit groups: plain, no-break, thin, narrow
// no-break.
constexpr const char* space_separators[] = {" ", "\xC2\xA0", "\xE2\x80\x89", "\xE2\x80\xAF"};

// Lower-cases ASCII and the basic Russian alphabet; other bytes pass through.
std::string lower_case(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xD0 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x90 && next <= 0x9F) {  // А..П
        out += '\xD0';
        out += static_cast<char>(next + 0x20);
      } else if (next >= 0xA0 && next <= 0xAF) {  // Р..Я
        out += '\xD1';
        out += static_cast<char>(next - 0x20);
      } else if (next == 0x81) {  // Ё
        out += "\xD1\x91";
      } else {
        out += static_cast<char>(c);
        out += static_cast<char>(next);
      }
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Decodes one UTF-8 sequence at `at`; returns its length, or 0 when it is malformed (overlong,
// surrogate, beyond U+10FFFF, truncated).
size_t decode_utf8(const std::string& s, size_t at, uint32_t& code_point) {
  const auto lead = static_cast<unsigned char>(s[at]);
  size_t length;
  uint32_t min;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (at + length > s.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto c = static_cast<unsigned char>(s[at + i]);
    if ((c & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (c & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

// ---- money ----

// The integer part of an amount: one run of digits, or groups of three after a first group of one
// to three, separated by single separators. Strict grouping keeps "12 50" from silently meaning
// 1250.
bool parse_integer_part(const std::string& text, std::string& digits) {
  std::vector<std::string> groups(1);
  size_t i = 0;
  while (i < text.size()) {
    if (is_digit(text[i])) {
      groups.back() += text[i++];
      continue;
    }
    size_t separator_length = 0;
    if (text[i] == ',') separator_length = 1;
    for (const char* sep : space_separators)
      if (separator_length == 0 && starts_with(text, i, sep))
        separator_length = std::char_traits<char>::length(sep);
    if (separator_length == 0 || groups.back().empty()) return false;
    groups.emplace_back();
    i += separator_length;
  }
  if (groups.back().empty()) return false;
  if (groups.size() > 1) {
    if (groups.front().size() > 3) return false;
    for (size_t g = 1; g < groups.size(); ++g)
      if (groups[g].size() != 3) return false;
  }
  digits.clear();
  for (const auto& g : groups) digits += g;
  return true;
}

parsed<int64_t> parse_unsigned_money(const std::string& text) {
  using result = parsed<int64_t>;
  std::string integer_text = text, fraction;
  const auto dot = text.find('.');
  if (dot != std::string::npos) {
    integer_text = text.substr(0, dot);
    fraction = text.substr(dot + 1);
    if (fraction.empty() || fraction.size() > 2 || !all_digits(fraction))
      return result::refuse("input.money.invalid");
  } else {
    // A comma followed by one or two final digits is a decimal comma; by three, a thousands
    // separator.
    const auto comma = text.rfind(',');
    if (comma != std::string::npos && text.size() - comma - 1 <= 2 &&
        all_digits(text.substr(comma + 1))) {
      integer_text = text.substr(0, comma);
      fraction = text.substr(comma + 1);
    }
  }
  std::string digits;
  if (!parse_integer_part(integer_text, digits)) return result::refuse("input.money.invalid");

  const size_t first_significant = digits.find_first_not_of('0');
  const std::string significant =
      first_significant == std::string::npos ? "" : digits.substr(first_significant);
  if (significant.size() > 11) return result::refuse("input.money.too_large");
  int64_t major = 0;
  for (char c : significant) major = major * 10 + (c - '0');
  int64_t minor_part = 0;
  if (!fraction.empty()) minor_part = std::stoi(fraction) * (fraction.size() == 1 ? 10 : 1);
  const int64_t amount = major * 100 + minor_part;
  if (amount == 0) return result::refuse("input.money.not_positive");
  if (amount > max_money_minor) return result::refuse("input.money.too_large");
  return result::accept(amount);
}

// ---- local dates and times ----

struct local_date {
  int year = 0;
  int month = 0;
  int day = 0;
  bool operator==(const local_date& o) const {
    return year == o.year && month == o.month && day == o.day;
  }
  bool operator!=(const local_date& o) const { return !(*this == o); }
};

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

bool valid(const local_date& d) {
  return d.year >= 1970 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in_month(d.year, d.month);
}

// The local wall clock at Unix time t.
std::tm local_tm(int64_t t, int utc_offset_minutes) {
  const std::time_t shifted = static_cast<std::time_t>(t + int64_t{utc_offset_minutes} * 60);
  std::tm tm{};
  gmtime_r(&shifted, &tm);
  return tm;
}

local_date date_of(const std::tm& tm) {
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

// Unix time of a local wall-clock moment; hour and minute may overflow into the next day.
int64_t unix_time(const local_date& d, int hour, int minute, int utc_offset_minutes) {
  std::tm tm{};
  tm.tm_year = d.year - 1900;
  tm.tm_mon = d.month - 1;
  tm.tm_mday = d.day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return static_cast<int64_t>(timegm(&tm)) - int64_t{utc_offset_minutes} * 60;
}

local_date next_day(const local_date& d) {
  return date_of(local_tm(unix_time(d, 24, 0, 0), 0));
}

std::string two_digits(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}

// ---- pickup windows ----

const std::regex& window_pattern() {
  static const std::string day =
      "(today|tomorrow|сегодня|завтра|bugun|ertaga|бугун|эртага"
      "|\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}\\.\\d{1,2}(?:\\.\\d{4})?)";
  static const std::string time = "(\\d{1,2})[:.](\\d{2})";
  static const std::regex pattern("^(?:" + day + " )?" + time + " ?- ?(?:" + day + " )?" + time +
                                  "(?: " + day + ")?$");
  return pattern;
}

// Lower case, one kind of dash, single spaces: what window_pattern expects.
std::string normalize_window_text(const std::string& text) {
  std::string lowered = lower_case(trim(text));
  std::string out;
  for (size_t i = 0; i < lowered.size();) {
    if (starts_with(lowered, i, "\xE2\x80\x93") || starts_with(lowered, i, "\xE2\x80\x94") ||
        starts_with(lowered, i, "\xE2\x88\x92")) {
      out += '-';
      i += 3;
      continue;
    }
    size_t space_length = is_ascii_space(lowered[i]) ? 1 : 0;
    for (const char* sep : space_separators)
      if (space_length == 0 && sep[0] != ' ' && starts_with(lowered, i, sep))
        space_length = std::char_traits<char>::length(sep);
    if (space_length > 0) {
      if (out.empty() || out.back() != ' ') out += ' ';
      i += space_length;
      continue;
    }
    out += lowered[i++];
  }
  return out;
}

std::optional<local_date> resolve_day(const std::string& word, const local_date& today) {
  if (word == "today" || word == "сегодня" || word == "bugun" || word == "бугун") return today;
  if (word == "tomorrow" || word == "завтра" || word == "ertaga" || word == "эртага")
    return next_day(today);
  local_date d;
  if (word.find('-') != std::string::npos) {
    if (std::sscanf(word.c_str(), "%d-%d-%d", &d.year, &d.month, &d.day) != 3) return std::nullopt;
  } else {
    const int fields = std::sscanf(word.c_str(), "%d.%d.%d", &d.day, &d.month, &d.year);
    if (fields == 2) {
      // Without a year: the next such date, counting today (so "31.12" typed in January is this
      // year's).
      d.year = today.year;
      if (d.month < today.month || (d.month == today.month && d.day < today.day)) ++d.year;
    } else if (fields != 3) {
      return std::nullopt;
    }
  }
  if (!valid(d)) return std::nullopt;
  return d;
}

}  // namespace

parsed<int64_t> parse_money(const std::string& text) {
  const std::string s = trim(text);
  if (s.empty()) return parsed<int64_t>::refuse("input.empty");
  for (const char* minus : {"-", "\xE2\x88\x92"}) {
    if (starts_with(s, 0, minus)) {
      // Say "must be positive" only when the rest is a readable amount.
      auto rest = parse_unsigned_money(trim(s.substr(std::char_traits<char>::length(minus))));
      return parsed<int64_t>::refuse(rest.ok() ? "input.money.not_positive" : rest.reason_key);
    }
  }
  return parse_unsigned_money(s);
}

parsed<int32_t> parse_quantity(const std::string& text) {
  using result = parsed<int32_t>;
  const std::string s = trim(text);
  if (s.empty()) return result::refuse("input.empty");
  if (s[0] == '-' && all_digits(s.substr(1))) return result::refuse("input.quantity.out_of_range");
  if (!all_digits(s)) return result::refuse("input.quantity.invalid");
  const size_t first_significant = s.find_first_not_of('0');
  if (first_significant == std::string::npos) return result::refuse("input.quantity.out_of_range");
  if (s.size() - first_significant > 5) return result::refuse("input.quantity.out_of_range");
  const int32_t n = std::stoi(s.substr(first_significant));
  if (n < 1 || n > max_quantity) return result::refuse("input.quantity.out_of_range");
  return result::accept(n);
}

parsed<pickup_window> parse_pickup_window(const std::string& text, int64_t now,
                                          int utc_offset_minutes) {
  using result = parsed<pickup_window>;
  const std::string normalized = normalize_window_text(text);
  if (normalized.empty()) return result::refuse("input.empty");
  std::smatch m;
  if (!std::regex_match(normalized, m, window_pattern()))
    return result::refuse("input.window.invalid");
  // Groups: 1 day before the start, 2-3 start, 4 day before the end, 5-6 end, 7 day after
  // everything.
  if (m[1].matched && m[7].matched) return result::refuse("input.window.invalid");

  const local_date today = date_of(local_tm(now, utc_offset_minutes));
  const std::string start_word = m[1].matched ? m[1].str() : m[7].matched ? m[7].str() : "today";
  const auto start_day = resolve_day(start_word, today);
  const auto end_day = m[4].matched ? resolve_day(m[4].str(), today) : start_day;
  if (!start_day || !end_day) return result::refuse("input.window.invalid");

  const int start_hour = std::stoi(m[2]), start_minute = std::stoi(m[3]);
  const int end_hour = std::stoi(m[5]), end_minute = std::stoi(m[6]);
  const bool end_at_midnight = end_hour == 24 && end_minute == 0;
  if (start_hour > 23 || start_minute > 59 || (end_hour > 23 && !end_at_midnight) ||
      end_minute > 59)
    return result::refuse("input.window.invalid");

  pickup_window w;
  w.start = unix_time(*start_day, start_hour, start_minute, utc_offset_minutes);
  w.end = unix_time(*end_day, end_hour, end_minute, utc_offset_minutes);
  if (w.end <= w.start) return result::refuse("input.window.end_before_start");
  if (w.end <= now) return result::refuse("input.window.ended");
  if (w.end - w.start > max_window_seconds) return result::refuse("input.window.too_long");
  if (w.start - now > max_window_lead_seconds) return result::refuse("input.window.too_far");
  return result::accept(w);
}

namespace {

// "today", "tomorrow", "01.12", or "01.12.2027" in another year.
std::string day_label(const local_date& d, const local_date& today, const day_words& words) {
  if (d == today) return words.today;
  if (d == next_day(today)) return words.tomorrow;
  std::string text = two_digits(d.day) + "." + two_digits(d.month);
  if (d.year != today.year) text += "." + std::to_string(d.year);
  return text;
}

std::string clock(int hour, int minute) {
  return two_digits(hour) + ":" + two_digits(minute);
}

}  // namespace

std::string format_moment(int64_t at, int64_t now, int utc_offset_minutes, const day_words& words) {
  const local_date today = date_of(local_tm(now, utc_offset_minutes));
  const std::tm m = local_tm(at, utc_offset_minutes);
  const std::string time = clock(m.tm_hour, m.tm_min);
  if (date_of(m) == today) return time;
  return day_label(date_of(m), today, words) + " " + time;
}

std::string format_pickup_window(int64_t start, int64_t end, int64_t now, int utc_offset_minutes,
                                 const day_words& words) {
  const local_date today = date_of(local_tm(now, utc_offset_minutes));
  const std::tm s = local_tm(start, utc_offset_minutes);
  const std::tm e = local_tm(end, utc_offset_minutes);
  const local_date start_day = date_of(s), end_day = date_of(e);
  auto label = [&](const local_date& d) { return day_label(d, today, words); };

  std::string out = label(start_day) + " " + clock(s.tm_hour, s.tm_min) + "\xE2\x80\x93";
  if (end_day == start_day) return out + clock(e.tm_hour, e.tm_min);
  if (end_day == next_day(start_day) && e.tm_hour == 0 && e.tm_min == 0) return out + "24:00";
  return out + label(end_day) + " " + clock(e.tm_hour, e.tm_min);
}

std::string currency_word(const std::string& currency, language lang) {
  if (currency == "UZS") {
    if (lang == language::ru) return "сум";
    if (lang == language::uz) return "so'm";
  }
  return currency;
}

std::string format_money(int64_t minor, const std::string& currency, language lang) {
  const bool english = lang == language::en;
  const char* group_separator = english ? "," : "\xC2\xA0";  // no-break space
  const char* decimal_mark = english ? "." : ",";
  const bool negative = minor < 0;
  // Through unsigned so that the most negative value has a magnitude too.
  const uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  const std::string digits = std::to_string(magnitude / 100);
  std::string out = negative ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += group_separator;
    out += digits[i];
  }
  if (magnitude % 100 != 0) out += decimal_mark + two_digits(static_cast<int>(magnitude % 100));
  if (!currency.empty()) out += " " + currency_word(currency, lang);
  return out;
}

int discount_percent(int64_t original, int64_t deal) {
  if (original <= 0 || deal >= original) return 0;
  if (deal <= 0) return 100;
  using u128 = unsigned __int128;
  const u128 saved = static_cast<u128>(original - deal);
  const u128 whole = static_cast<u128>(original);
  return static_cast<int>((saved * 100 + whole / 2) / whole);
}

parsed<std::string> validate_text(const std::string& text, size_t max_chars, bool allow_newlines) {
  using result = parsed<std::string>;
  std::string s = trim(text);
  if (s.empty()) return result::refuse("input.empty");
  size_t code_points = 0;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t length = decode_utf8(s, i, cp);
    if (length == 0) return result::refuse("input.invalid_characters");
    const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    if (control && !(allow_newlines && cp == '\n'))
      return result::refuse("input.invalid_characters");
    ++code_points;
    i += length;
  }
  if (code_points > max_chars) return result::refuse("input.too_long");
  return result::accept(std::move(s));
}

parsed<std::string> validate_phone(const std::string& text) {
  using result = parsed<std::string>;
  const std::string s = trim(text);
  if (s.empty()) return result::refuse("input.empty");
  std::string out;
  size_t digits = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_digit(c)) {
      out += c;
      ++digits;
    } else if (c == '+' && i == 0) {
      out += c;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return result::refuse("input.phone.invalid");
    }
  }
  if (digits < 7 || digits > 15) return result::refuse("input.phone.invalid");
  return result::accept(std::move(out));
}

}  // namespace lastcall::domain
