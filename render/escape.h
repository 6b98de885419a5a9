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
// Plain Markdown text, for the middle of a line or a table cell: every character that could
// start inline markup there is backslash-escaped.
std::string md_text(std::string_view text);

// A fenced code block holding `body` literally (a fence longer than any backtick run in it),
// with `info` ("go", "text", "dot") as its info string. `body` should end with a newline.
std::string md_fence(std::string_view body, std::string_view info);

// HTML text and attribute values: & < > " ' escaped.
std::string html_escape(std::string_view text);

}  // namespace dla
