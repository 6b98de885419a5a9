// Small text helpers shared by the runtime tables and the source reader.
#pragma once

#include <string_view>
#include <vector>

namespace dla {

// Spaces and tabs removed from both ends.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits at the commas that are outside (), [] and {}, trimming each item and dropping empty
// ones: "0x1, {0x2, 0x3}, f(a, b)" → "0x1", "{0x2, 0x3}", "f(a, b)".
inline std::vector<std::string_view> split_top_level(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ',';
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth <= 0) {
      std::string_view item = trim_blanks(text.substr(start, i - start));
      if (!item.empty()) out.push_back(item);
      start = i + 1;
    }
  }
  return out;
}

}  // namespace dla
