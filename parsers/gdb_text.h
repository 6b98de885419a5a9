// Small text readers shared by the gdb/lldb tokenizer (gdb_tokenizer.cpp) and reader
// (gdb_backtrace.cpp): numbers, ids, brackets and argument lists as gdb prints them.
#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "graph/text_numbers.h"
#include "parsers/line_reader.h"

namespace dla::gdb_text {

constexpr size_t npos = std::string_view::npos;

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

inline bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

using dla::parse_decimal;  // graph/text_numbers.h

inline std::string_view ltrim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// The leading run of digits (and dots, for gdb's "1.2" ids) of `s`.
inline std::string_view leading_id(std::string_view s, bool dots) {
  size_t n = 0;
  while (n < s.size() && (is_digit(s[n]) || (dots && s[n] == '.' && n > 0))) ++n;
  while (n > 0 && s[n - 1] == '.') --n;
  return s.substr(0, n);
}

// "0x" followed by hex digits, as a token at the start of `s`; empty if none.
inline std::string_view leading_hex(std::string_view s) {
  if (s.size() < 3 || s[0] != '0' || s[1] != 'x') return {};
  size_t n = 2;
  while (n < s.size() && std::isxdigit(static_cast<unsigned char>(s[n]))) ++n;
  return n > 2 ? s.substr(0, n) : std::string_view{};
}

// The index of the bracket closing the one at `open` ('(', '{' or '['), skipping quoted strings and
// characters ("\"a)b\"", '\\000'); npos when the text ends first or the brackets do not match.
inline size_t matching_bracket(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      for (++i; i < s.size() && s[i] != c; ++i) {
        if (s[i] == '\\') ++i;
      }
      if (i >= s.size()) return npos;
      continue;
    }
    if (c == '(' || c == '{' || c == '[') {
      ++depth;
    } else if (c == ')' || c == '}' || c == ']') {
      if (--depth == 0) return i;
      if (depth < 0) return npos;
    }
  }
  return npos;
}

// Splits an argument list at its top-level commas (outside brackets, strings and characters) and
// calls f(name, value) for each "name=value", values trimmed; stops when f returns true.
template <typename F>
bool for_each_argument(std::string_view args, F&& f) {
  size_t start = 0;
  while (start < args.size()) {
    size_t end = start;
    int depth = 0;
    for (; end < args.size(); ++end) {
      char c = args[end];
      if (c == '"' || c == '\'') {
        for (++end; end < args.size() && args[end] != c; ++end) {
          if (args[end] == '\\') ++end;
        }
        if (end >= args.size()) break;
        continue;
      }
      if (c == '(' || c == '{' || c == '[') ++depth;
      if (c == ')' || c == '}' || c == ']') --depth;
      if (c == ',' && depth <= 0) break;
    }
    end = std::min(end, args.size());
    std::string_view arg = trim(args.substr(start, end - start));
    size_t eq = arg.find('=');
    if (eq != npos && eq > 0 && f(arg.substr(0, eq), trim(arg.substr(eq + 1)))) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace dla::gdb_text
