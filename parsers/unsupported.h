// Thread dumps people paste that dlanalyze does not read: other JVMs' formats, Android's ANR
// traces, dumps made through JMX. Each is recognised by lines no supported format prints and
// refused in one line that says what the file looks like and what to capture instead, so that a
// user is never told "not a recognised dump" about a dump, nor given a half-read one as if it
// were whole. The README lists the same formats.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dla {

struct UnsupportedFormat {
  std::string_view name;        // "jrockit": for tests
  std::string_view looks_like;  // "a JRockit thread dump"
  std::string_view why;         // why it cannot be read as a supported format
  std::string_view instead;     // what to capture instead
};

struct UnsupportedMatch {
  const UnsupportedFormat* format = nullptr;
  uint32_t line = 0;  // 1-based line of the first line that gave it away
};

// The unsupported format `prefix` (the probes' window) shows, if any.
std::optional<UnsupportedMatch> recognise_unsupported(std::string_view prefix);

// The one-line refusal: "<name>:<line>: <looks like>: <why>; <instead>".
std::string refusal_message(std::string_view input_name, const UnsupportedMatch& match);

}  // namespace dla
