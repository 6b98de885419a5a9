#include "render/escape.h"

#include <algorithm>
#include <cctype>

namespace dla {

namespace {

// Length of the valid UTF-8 sequence at `i`, or 0 (RFC 3629: no overlongs, no surrogates, at
// most U+10FFFF).
size_t utf8_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xc2 && c <= 0xdf   ? 2
             : c >= 0xe0 && c <= 0xef ? 3
             : c >= 0xf0 && c <= 0xf4 ? 4
                                      : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  unsigned char c1 = byte(i + 1);
  if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) || (c == 0xf0 && c1 < 0x90) ||
      (c == 0xf4 && c1 > 0x8f)) {
    return 0;
  }
  return n;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8_length(text, i);
    if (n == 0) {
      out += "\xef\xbf\xbd";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string dot_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : valid_utf8(text)) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';  // control characters have no place in a label
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string md_code(std::string_view text, bool in_table) {
  std::string body = valid_utf8(text);
  std::replace(body.begin(), body.end(), '\n', ' ');
  size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  if (in_table) {
    std::string escaped;
    for (char c : body) {
      if (c == '|') escaped += '\\';
      escaped += c;
    }
    body = escaped;
  }
  std::string fence(longest + 1, '`');
  // A span that starts or ends with a backtick needs a space to keep it apart from the fence.
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' || body.front() == ' ');
  return pad ? fence + " " + body + " " + fence : fence + body + fence;
}

std::string md_text(std::string_view text) {
  std::string clean = valid_utf8(text), out;
  auto alnum = [&](size_t i) {
    return i < clean.size() && std::isalnum(static_cast<unsigned char>(clean[i]));
  };
  for (size_t i = 0; i < clean.size(); ++i) {
    char c = clean[i];
    if (c == '\n') {
      out += ' ';
      continue;
    }
    // The characters that can start markup in the middle of a line (| for tables, ~ for GFM
    // strikethrough, & for entities). An underscore between letters or digits never does
    // (self_deadlock.c stays as it is). Callers never put a dump's text at the start of a line,
    // where # - + and digits could start a heading or a list.
    bool intraword_underscore = c == '_' && i > 0 && alnum(i - 1) && alnum(i + 1);
    if (!intraword_underscore &&
        std::string_view("\\`*_[]<>|~&").find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string md_fence(std::string_view body, std::string_view info) {
  std::string text = valid_utf8(body);
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<size_t>(3, longest + 1), '`');
  if (!text.empty() && text.back() != '\n') text += '\n';
  return fence + std::string(info) + "\n" + text + fence + "\n";
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : valid_utf8(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace dla
