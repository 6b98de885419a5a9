// The two ways every stage writes and reads a number: an address as "0x…" (the form every
// supported dump prints, so that text from two sources compares equal), and a whole decimal field.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace dla {

// 0x7f3c…, lower case, no padding: as gdb, the JVM and Go print addresses.
inline std::string hex_address(uint64_t value) {
  return fmt::format("{:#x}", value);
}

// The whole of `text` as a decimal number (an optional '-' first), or nullopt.
inline std::optional<int64_t> parse_decimal(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace dla
