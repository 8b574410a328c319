#pragma once
// Prometheus' text exposition format (version 0.0.4), written family by family: declare a family,
// then give its samples. Pure, so the format is tested without a server.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lastcall::app {

class prometheus_text {
 public:
  using labels = std::map<std::string, std::string>;

  // Starts a family; its samples must follow before the next family starts.
  prometheus_text& family(const std::string& name, const std::string& type,
                          const std::string& help);
  prometheus_text& sample(double value, const labels& l = {});
  prometheus_text& sample(uint64_t value, const labels& l = {});
  // A whole histogram family: cumulative counts per upper bound (the last one is +Inf).
  prometheus_text& histogram(const std::string& name, const std::string& help,
                             const std::vector<double>& bounds,
                             const std::vector<uint64_t>& cumulative, double sum);

  const std::string& str() const { return out_; }

 private:
  void write_sample(const std::string& name, const std::string& value, const labels& l);

  std::string out_;
  std::string current_;
};

}  // namespace lastcall::app
