#include "app/prometheus_text.hpp"

#include <cmath>
#include <cstdio>

namespace lastcall::app {

namespace {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.15g", value);
  return buffer;
}

}  // namespace

prometheus_text& prometheus_text::family(const std::string& name, const std::string& type,
                                         const std::string& help) {
  current_ = name;
  out_ += "# HELP " + name + " " + help + "\n";
  out_ += "# TYPE " + name + " " + type + "\n";
  return *this;
}

void prometheus_text::write_sample(const std::string& name, const std::string& value,
                                   const labels& l) {
  out_ += name;
  if (!l.empty()) {
    out_ += '{';
    bool first = true;
    for (const auto& [key, label_value] : l) {
      if (!first) out_ += ',';
      first = false;
      out_ += key + "=\"" + escape_label(label_value) + "\"";
    }
    out_ += '}';
  }
  out_ += ' ' + value + '\n';
}

prometheus_text& prometheus_text::sample(double value, const labels& l) {
  write_sample(current_, number(value), l);
  return *this;
}

prometheus_text& prometheus_text::sample(uint64_t value, const labels& l) {
  write_sample(current_, std::to_string(value), l);
  return *this;
}

prometheus_text& prometheus_text::histogram(const std::string& name, const std::string& help,
                                            const std::vector<double>& bounds,
                                            const std::vector<uint64_t>& cumulative, double sum) {
  family(name, "histogram", help);
  for (size_t i = 0; i < cumulative.size(); ++i) {
    const auto le = i < bounds.size() ? number(bounds[i]) : std::string("+Inf");
    write_sample(name + "_bucket", std::to_string(cumulative[i]), {{"le", le}});
  }
  write_sample(name + "_sum", number(sum), {});
  write_sample(name + "_count", std::to_string(cumulative.empty() ? 0 : cumulative.back()), {});
  return *this;
}

}  // namespace lastcall::app
