// Quoting text from a dump for the languages the renderers write: DOT, Markdown, HTML. A dump's
// strings are data, never markup: a thread named `<script>` or `a|b` or `*x*` must come out as
// those characters. Dumps are not always UTF-8; invalid bytes become U+FFFD first.
#pragma once

#include <string>
#include <string_view>

namespace dla {

// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// A DOT double-quoted string, quotes included. "\n" in `text` becomes a centred line break.
std::string dot_quote(std::string_view text);

// A Markdown code span that shows `text` literally, however many backticks it holds; inside a
// GFM table cell `|` is escaped as the table extension requires.
std::string md_code(std::string_view text, bool in_table = false);
// Plain Markdown text with every character that could start markup backslash-escaped (safe in
// a table cell too).
std::string md_text(std::string_view text);

// HTML text and attribute values: & < > " ' escaped.
std::string html_escape(std::string_view text);

}  // namespace dla
