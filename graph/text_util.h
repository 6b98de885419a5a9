// Small text helpers shared by the runtime tables and the source reader.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dla {

// Text bound for a terminal that may hold bytes copied from an input: control bytes and bytes that
// are not UTF-8 become \xNN (a flipped byte in a frame's path must not reach the terminal raw).
// Kept: line breaks and tabs when `multiline`, and colour (SGR) sequences "\x1b[…m", which our
// own output writes and which can do no more than colour.
inline std::string escape_for_terminal(std::string_view text, bool multiline = false) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b && i + 1 < text.size() && text[i + 1] == '[') {
      size_t end = i + 2;
      while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == ';')) {
        ++end;
      }
      if (end < text.size() && text[end] == 'm') {
        out.append(text.substr(i, end + 1 - i));
        i = end + 1;
        continue;
      }
    }
    size_t length = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xe  ? 3
                    : (c >> 3) == 0x1e ? 4
                                       : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    bool control =
        length == 1 && (c < 0x20 || c == 0x7f) && !(multiline && (c == '\n' || c == '\t'));
    if (!valid || control) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
      ++i;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

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
