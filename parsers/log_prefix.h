// Dumps pasted from logs carry a prefix on every line: a timestamp, "stderr F" (Kubernetes CRI),
// a container or host name. LogPrefix learns that prefix from one line where the dump's own text
// is known to start, and strips lines that have the same shape: the same characters, except
// that each run of digits may be any run of digits (timestamps change from line to line).
#pragma once

#include <string>
#include <string_view>

namespace dla {

class LogPrefix {
 public:
  LogPrefix() = default;
  // `line` is a dump line whose own text starts at `start`; what comes before is the prefix.
  LogPrefix(std::string_view line, size_t start) : shape_(line.substr(0, start)) {}

  bool empty() const { return shape_.empty(); }
  const std::string& text() const { return shape_; }

  // `line` without the prefix, or `line` itself when it does not have the prefix's shape.
  std::string_view strip(std::string_view line) const {
    if (shape_.empty()) return line;
    size_t i = 0, j = 0;
    while (i < shape_.size()) {
      if (j >= line.size()) return line;
      if (is_digit(shape_[i])) {
        if (!is_digit(line[j])) return line;
        while (i < shape_.size() && is_digit(shape_[i])) ++i;
        while (j < line.size() && is_digit(line[j])) ++j;
        continue;
      }
      if (shape_[i] != line[j]) return line;
      ++i;
      ++j;
    }
    return line.substr(j);
  }

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  std::string shape_;
};

}  // namespace dla
