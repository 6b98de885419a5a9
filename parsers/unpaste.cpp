#include "parsers/unpaste.h"

#include <algorithm>

#include "parsers/line_reader.h"

namespace dla {

const char* to_string(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kAsIs:
      return "as is";
    case TextEncoding::kUtf8Bom:
      return "UTF-8 with a byte-order mark";
    case TextEncoding::kUtf16Le:
      return "UTF-16LE";
    case TextEncoding::kUtf16Be:
      return "UTF-16BE";
  }
  return "as is";
}

const char* to_string(PasteWrapping wrapping) {
  switch (wrapping) {
    case PasteWrapping::kQuoted:
      return "quoted";
    case PasteWrapping::kFenced:
      return "fenced";
    case PasteWrapping::kIndented:
      return "indented";
  }
  return "quoted";
}

namespace {

// --- Encodings ----------------------------------------------------------------------------------

// UTF-16 without a byte-order mark (Java's and .NET's "UTF-16LE" writers): a dump is mostly ASCII,
// so one byte of nearly every code unit is zero, always the same one. Looks at the first 512
// code units; a core or a compressed file has no such pattern.
TextEncoding sniff_utf16(std::string_view bytes) {
  size_t units = std::min<size_t>(bytes.size() / 2, 512);
  if (units < 4) return TextEncoding::kAsIs;
  size_t low_zero = 0, high_zero = 0;
  for (size_t i = 0; i < units; ++i) {
    auto a = static_cast<unsigned char>(bytes[2 * i]);
    auto b = static_cast<unsigned char>(bytes[2 * i + 1]);
    if (a != 0 && b == 0) ++high_zero;  // "A\0": little-endian ASCII
    if (a == 0 && b != 0) ++low_zero;   // "\0A": big-endian ASCII
  }
  if (high_zero * 10 >= units * 9) return TextEncoding::kUtf16Le;
  if (low_zero * 10 >= units * 9) return TextEncoding::kUtf16Be;
  return TextEncoding::kAsIs;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// UTF-16 to UTF-8. An unpaired surrogate becomes U+FFFD; a byte-order mark anywhere (two dumps
// appended by PowerShell each carry one) is dropped; an odd last byte is ignored.
std::string decode_utf16(std::string_view bytes, bool little_endian) {
  std::string out;
  out.reserve(bytes.size() / 2 + bytes.size() / 16);
  auto unit = [&](size_t i) -> uint32_t {
    auto a = static_cast<unsigned char>(bytes[i]);
    auto b = static_cast<unsigned char>(bytes[i + 1]);
    return little_endian ? (a | (b << 8)) : ((a << 8) | b);
  };
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    uint32_t cp = unit(i);
    if (cp == 0xfeff) continue;
    if (cp >= 0xd800 && cp < 0xdc00 && i + 3 < bytes.size()) {
      uint32_t low = unit(i + 2);
      if (low >= 0xdc00 && low < 0xe000) {
        append_utf8(out, 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00));
        i += 2;
        continue;
      }
    }
    if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd;
    append_utf8(out, cp);
  }
  return out;
}

// --- Wrappings ----------------------------------------------------------------------------------

bool is_blank(std::string_view line) {
  return trim(line).empty();
}

bool is_indented(std::string_view line) {
  return !line.empty() && (line[0] == ' ' || line[0] == '\t');
}

// "```", "````", "```java", "~~~": a markdown fence (CommonMark: three or more backticks or
// tildes, an info string without backticks after). Indented fences count too: a fence inside a
// quote or a list item is still a fence, and no dump line starts with three backticks.
bool is_fence(std::string_view line) {
  std::string_view t = trim(line);
  char c = t.empty() ? '\0' : t[0];
  if (c != '`' && c != '~') return false;
  size_t run = t.find_first_not_of(c);
  if (run == std::string_view::npos) run = t.size();
  if (run < 3) return false;
  return c == '~' || t.substr(run).find('`') == std::string_view::npos;
}

// An e-mail or markdown quote marker: ">" with one optional space, repeated for nested quotes.
bool is_quoted(std::string_view line) {
  return !line.empty() && line[0] == '>';
}

std::string_view strip_quote(std::string_view line) {
  while (!line.empty() && line[0] == '>') {
    line.remove_prefix(1);
    if (!line.empty() && line[0] == ' ') line.remove_prefix(1);
  }
  return line;
}

void note(std::vector<PasteWrapping>& undone, PasteWrapping w) {
  if (std::find(undone.begin(), undone.end(), w) == undone.end()) undone.push_back(w);
}

}  // namespace

std::vector<std::string_view> unwrap_lines(const std::vector<std::string_view>& lines,
                                           std::vector<PasteWrapping>& undone) {
  std::vector<std::string_view> out = lines;
  const size_t n = out.size();

  // Quoting: a run of at least two quoted lines (one line starting with '>' is as likely a shell
  // continuation prompt as a quote).
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && is_quoted(out[j])) ++j;
    if (j - i >= 2) {
      for (size_t k = i; k < j; ++k) out[k] = strip_quote(out[k]);
      note(undone, PasteWrapping::kQuoted);
    }
    i = j > i ? j : i + 1;
  }

  // Fences: the fence line itself is no part of the dump; what it encloses is left as it is.
  std::vector<bool> fence(n, false);
  for (size_t i = 0; i < n; ++i) {
    if (is_fence(out[i])) {
      fence[i] = true;
      out[i] = {};
      note(undone, PasteWrapping::kFenced);
    }
  }

  // Indented blocks, as CommonMark reads an indented code block: it starts with an indented line
  // after a blank line, a fence or the start of the input, and runs through indented and blank
  // lines. A dump's own indentation (a Java frame's tab, a Go file line, gdb's bt full locals,
  // lldb's frames) always follows the line it belongs to, never a blank line, and a block of one
  // line (a double-spaced paste's file line) is left alone. The block loses the whitespace all of
  // its lines share; what is left is the dump's own layout.
  for (size_t i = 0; i < n;) {
    bool after_boundary = i == 0 || fence[i - 1] || is_blank(out[i - 1]);
    if (!after_boundary || !is_indented(out[i]) || is_blank(out[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    size_t content = 0;
    std::string_view common = out[i].substr(0, out[i].find_first_not_of(" \t"));
    while (j < n && !fence[j] && (is_blank(out[j]) || is_indented(out[j]))) {
      if (!is_blank(out[j])) {
        ++content;
        size_t k = 0;
        while (k < common.size() && k < out[j].size() && out[j][k] == common[k]) ++k;
        common = common.substr(0, k);
      }
      ++j;
    }
    if (content >= 2 && !common.empty()) {
      for (size_t k = i; k < j; ++k) {
        out[k] = is_blank(out[k]) ? std::string_view() : out[k].substr(common.size());
      }
      note(undone, PasteWrapping::kIndented);
    }
    i = j;
  }
  return out;
}

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  LineReader reader(text);
  std::string_view line;
  while (reader.next(line)) lines.push_back(line);
  return lines;
}

}  // namespace

UnpastedText unpaste(std::string_view bytes) {
  UnpastedText out;
  out.text = bytes;
  if (bytes.starts_with("\xef\xbb\xbf")) {
    out.encoding = TextEncoding::kUtf8Bom;
    out.text = bytes.substr(3);
  } else if (bytes.starts_with("\xff\xfe") || bytes.starts_with("\xfe\xff")) {
    bool little = bytes[0] == '\xff';
    out.encoding = little ? TextEncoding::kUtf16Le : TextEncoding::kUtf16Be;
    out.storage = std::make_unique<const std::string>(decode_utf16(bytes.substr(2), little));
    out.text = *out.storage;
  } else if (TextEncoding sniffed = sniff_utf16(bytes); sniffed != TextEncoding::kAsIs) {
    out.encoding = sniffed;
    out.storage =
        std::make_unique<const std::string>(decode_utf16(bytes, sniffed == TextEncoding::kUtf16Le));
    out.text = *out.storage;
  }

  // Whether the input is wrapped at all is decided on its first lines, as the probes decide its
  // format: a big dump that is not a paste is never copied.
  std::vector<PasteWrapping> found;
  unwrap_lines(split_lines(out.text.substr(0, kUnpasteWindow)), found);
  if (found.empty()) return out;

  std::vector<std::string_view> lines = split_lines(out.text);
  std::vector<std::string_view> unwrapped = unwrap_lines(lines, out.undone);
  std::string joined;
  joined.reserve(out.text.size());
  for (std::string_view line : unwrapped) {
    joined += line;
    joined += '\n';
  }
  // `lines` pointed into the old storage: no longer used.
  out.storage = std::make_unique<const std::string>(std::move(joined));
  out.text = *out.storage;
  return out;
}

}  // namespace dla
