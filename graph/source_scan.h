// Small scanners of source text (C, C++, Go, Java code lines, comments and strings blanked)
// shared by the source readers: graph/source_code.cpp, graph/source_functions.cpp and
// graph/source_blocks.cpp. Internal to them.
#pragma once

#include <cstddef>
#include <string_view>

#include "graph/lock_idioms.h"

namespace dla {

using L = SourceLanguage;

// A letter, digit or '_'.
bool is_ident(char c);

// Whether the whole word `word` stands at `pos` of `s`.
bool keyword_at(std::string_view s, size_t pos, std::string_view word);

// The body of the parentheses that open at `open` (which must be '(').
std::string_view paren_body(std::string_view s, size_t open);

// if, for, while, … : a word before '(' that makes no call and no function header.
bool is_control_keyword(std::string_view word);

}  // namespace dla
