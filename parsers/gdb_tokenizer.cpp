#include "parsers/gdb_backtrace.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "parsers/gdb_text.h"
#include "parsers/line_reader.h"

namespace dla {

using namespace gdb_text;

namespace {

using Kind = GdbLine::Kind;

// True when `s` starts an argument list: "name=", "(null)=" (lldb), "..." (arguments not shown).
bool starts_arguments(std::string_view s) {
  if (starts_with(s, "...")) return true;
  if (starts_with(s, "(null)=")) return true;
  size_t n = 0;
  while (n < s.size() &&
         (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_' || s[n] == '$')) {
    ++n;
  }
  return n > 0 && !is_digit(s[0]) && n < s.size() && s[n] == '=';
}

}  // namespace

void read_gdb_location(std::string_view where, GdbFrame& f) {
  size_t colon = where.rfind(':');
  // lldb: "thread.c:331:7": the line is the second-to-last field.
  if (colon != npos && all_digits(where.substr(colon + 1))) {
    size_t prev = where.rfind(':', colon - 1);
    if (prev != npos && colon > 0 && all_digits(where.substr(prev + 1, colon - prev - 1))) {
      colon = prev;
      where = where.substr(0, where.rfind(':'));
    }
  }
  if (colon != npos && colon + 1 < where.size()) {
    if (auto line = parse_decimal(where.substr(colon + 1));
        line && *line > 0 && *line < INT32_MAX) {
      f.file = where.substr(0, colon);
      f.line = static_cast<int32_t>(*line);
      return;
    }
  }
  f.file = where;
}

namespace {

// What follows a gdb frame's argument list: " at file:line", " from /lib/…so".
void read_frame_suffix(std::string_view suffix, GdbFrame& f) {
  if (starts_with(suffix, " at ")) {
    read_gdb_location(suffix.substr(4), f);
  } else if (starts_with(suffix, " from ")) {
    f.module = suffix.substr(6);
  }
}

// "  * frame #2: 0x… node`uv_mutex_lock(mutex=0x…) at thread.c:331:7"
std::optional<GdbFrame> tokenize_lldb_frame(std::string_view t) {
  if (starts_with(t, "* ")) t = ltrim(t.substr(2));
  if (!starts_with(t, "frame #")) return std::nullopt;
  t.remove_prefix(7);
  GdbFrame f;
  f.number = leading_id(t, false);
  if (f.number.empty() || f.number.size() >= t.size() || t[f.number.size()] != ':') {
    return std::nullopt;
  }
  t = ltrim(t.substr(f.number.size() + 1));
  f.pc = leading_hex(t);
  t = ltrim(t.substr(f.pc.size()));
  size_t tick = t.find('`');
  if (tick == npos) {
    f.function = "??";
    f.module = t;
    return f;
  }
  f.module = t.substr(0, tick);
  std::string_view text = t.substr(tick + 1);
  if (size_t at = text.rfind(" at "); at != npos) {
    read_gdb_location(text.substr(at + 4), f);
    text = text.substr(0, at);
  }
  if (size_t plus = text.rfind(" + "); plus != npos && all_digits(text.substr(plus + 3))) {
    text = text.substr(0, plus);
  }
  for (size_t open = text.find('('); open != npos; open = text.find('(', open + 1)) {
    if (!starts_arguments(text.substr(open + 1))) continue;
    size_t close = matching_bracket(text, open);
    if (close == npos) {
      f.complete = false;
      f.function = text.substr(0, open);
      f.args = text.substr(open + 1);
      return f;
    }
    f.function = text.substr(0, open);
    f.args = text.substr(open + 1, close - open - 1);
    f.function_tail = text.substr(close + 1);
    return f;
  }
  f.function = text;
  return f;
}

// "* thread #1, name = 'dl', stop reason = signal SIGSTOP", "* thread #1: tid = 5097, …"
std::optional<GdbThreadHeader> tokenize_lldb_thread(std::string_view t, bool& current) {
  if (starts_with(t, "* ")) {
    current = true;
    t = ltrim(t.substr(2));
  }
  if (!starts_with(t, "thread #")) return std::nullopt;
  t.remove_prefix(8);
  GdbThreadHeader h;
  h.id = leading_id(t, false);
  if (h.id.empty()) return std::nullopt;
  std::string_view rest = t.substr(h.id.size());
  if (!rest.empty() && rest[0] != ',' && rest[0] != ':') return std::nullopt;
  if (size_t tid = rest.find("tid = "); tid != npos) {
    std::string_view value = rest.substr(tid + 6);
    value = value.substr(0, value.find(','));
    if (starts_with(value, "0x")) {
      if (auto v = parse_hex(value)) h.lwp = static_cast<int64_t>(*v);
    } else {
      h.lwp = parse_decimal(value);
    }
  }
  if (size_t name = rest.find("name = '"); name != npos) {
    std::string_view value = rest.substr(name + 8);
    size_t end = value.find("', ");
    if (end == npos) end = value.rfind('\'');
    if (end != npos) h.name = value.substr(0, end);
  }
  return h;
}

// The target of a gdb thread: "Thread 0x7f… (LWP 4012) \"worker-a\"", "LWP 5098", "process 42".
// Returns the length consumed before the optional name, or npos.
size_t tokenize_thread_target(std::string_view inner, GdbThreadHeader& h) {
  if (starts_with(inner, "Thread ")) {
    // "Thread 0x7f… (LWP 4012)": the pthread_t in hex, then the LWP. Old gdb (6, 7.0) printed the
    // pthread_t in decimal ("Thread 1098357056 (LWP 5557)") and, on a core without
    // libthread_db, only the LWP ("Thread 19965": the "[New Thread 19965]" lines name the same).
    std::string_view number = leading_hex(inner.substr(7));
    bool hex = !number.empty();
    if (!hex) number = leading_id(inner.substr(7), false);
    if (number.empty()) return npos;
    std::string_view rest = inner.substr(7 + number.size());
    if (starts_with(rest, " (LWP ")) {
      h.handle = number;
      if (hex) {
        h.handle_value = parse_hex(number);
      } else if (auto decimal = parse_decimal(number)) {
        h.handle_value = static_cast<uint64_t>(*decimal);
      }
      std::string_view digits = leading_id(rest.substr(6), false);
      h.lwp = parse_decimal(digits);
      size_t end = 7 + number.size() + 6 + digits.size();
      if (end < inner.size() && inner[end] == ')') return end + 1;
      return npos;
    }
    if (hex) {
      h.handle = number;
      h.handle_value = parse_hex(number);
    } else {
      h.lwp = parse_decimal(number);
    }
    return 7 + number.size();
  }
  for (std::string_view word : {std::string_view("LWP "), std::string_view("process ")}) {
    if (starts_with(inner, word)) {
      std::string_view digits = leading_id(inner.substr(word.size()), false);
      if (digits.empty()) return npos;
      h.lwp = parse_decimal(digits);
      return word.size() + digits.size();
    }
  }
  return npos;
}

// "Thread 2 (Thread 0x7feb9966f6c0 (LWP 4012) \"worker-a\"):" and gdb's "[Switching to thread 5
// (Thread 0x… (LWP 20496))]".
std::optional<GdbThreadHeader> tokenize_gdb_thread(std::string_view line) {
  std::string_view rest;
  std::string_view close;
  if (starts_with(line, "Thread ")) {
    rest = line.substr(7);
    close = "):";
  } else if (starts_with(line, "[Switching to thread ")) {
    rest = line.substr(21);
    close = ")]";
  } else {
    return std::nullopt;
  }
  while (!rest.empty() && (rest.back() == ' ')) rest.remove_suffix(1);
  GdbThreadHeader h;
  h.switched = close == ")]";
  h.id = leading_id(rest, true);
  if (h.id.empty()) return std::nullopt;
  rest = rest.substr(h.id.size());
  if (!starts_with(rest, " (") || !rest.ends_with(close)) return std::nullopt;
  std::string_view inner = rest.substr(2, rest.size() - 2 - close.size());
  size_t used = tokenize_thread_target(inner, h);
  if (used == npos) return std::nullopt;
  std::string_view tail = inner.substr(used);
  size_t first = tail.find('"');
  size_t last = tail.rfind('"');
  if (first != npos && last > first) h.name = tail.substr(first + 1, last - first - 1);
  return h;
}

// "* 1    Thread 0x7f… (LWP 4563) \"join_cycle\" 0x… in __libc_pause () at …:29"
std::optional<GdbLine> tokenize_info_thread_row(std::string_view line) {
  if (line.size() < 4 || (line[0] != ' ' && line[0] != '*') || line[1] != ' ') return std::nullopt;
  std::string_view rest = ltrim(line.substr(2));
  GdbLine out;
  out.kind = Kind::kInfoThreadRow;
  out.current = line[0] == '*';
  out.thread.id = leading_id(rest, true);
  if (out.thread.id.empty()) return std::nullopt;
  rest = rest.substr(out.thread.id.size());
  if (rest.empty() || rest[0] != ' ') return std::nullopt;
  rest = ltrim(rest);
  size_t used = tokenize_thread_target(rest, out.thread);
  if (used == npos) return std::nullopt;
  rest = ltrim(rest.substr(used));
  if (starts_with(rest, "\"")) {
    size_t end = rest.find("\" ", 1);
    if (end == npos) end = rest.rfind('"');
    if (end == 0) return std::nullopt;
    out.thread.name = rest.substr(1, end - 1);
    rest = ltrim(rest.substr(end + 1));
  }
  if (auto frame = tokenize_gdb_frame_body(rest)) out.frame = *frame;
  return out;
}

// "owner: #2 lll_mutex_lock_optimized mutex=0x… <m_alpha> __owner=4012 __lock=2",
// "futex: #0 uaddr=0x… <m_alpha> word=2 int32@+8=4012".
std::optional<GdbLine> tokenize_owner_line(std::string_view line) {
  GdbLine out;
  std::string_view value;
  if (starts_with(line, "owner: #")) {
    out.kind = Kind::kOwner;
    size_t m = line.find(" mutex=");
    if (m == npos) return std::nullopt;
    value = line.substr(m + 7);
    size_t owner = value.find(" __owner=");
    if (owner != npos) {
      std::string_view n = value.substr(owner + 9);
      out.owner.owner = parse_decimal(n.substr(0, n.find(' ')));
      value = value.substr(0, owner);
    }
  } else if (starts_with(line, "futex: #")) {
    out.kind = Kind::kFutex;
    size_t u = line.find(" uaddr=");
    size_t w = line.find(" word=");
    size_t o = line.find(" int32@+8=");
    if (u == npos || w == npos || o == npos || w < u || o < w) return std::nullopt;
    value = line.substr(u + 7, w - u - 7);
    out.owner.word = parse_decimal(line.substr(w + 6, o - w - 6));
    out.owner.owner = parse_decimal(line.substr(o + 10));
  } else {
    return std::nullopt;
  }
  GdbValue v = parse_gdb_value(value);
  out.owner.address = v.number;
  out.owner.symbol = v.symbol;
  return out;
}

}  // namespace

std::optional<GdbFrame> tokenize_gdb_frame_body(std::string_view body) {
  GdbFrame f;
  if (std::string_view pc = leading_hex(body); !pc.empty()) {
    f.pc = pc;
    body = body.substr(pc.size());
    if (starts_with(body, " in ")) {
      body = body.substr(4);
    } else {
      // eu-stack: "0x… __GI___lll_lock_wait" (with -m: " - /lib/…/libc.so.6").
      body = trim(body);
      if (size_t dash = body.find(" - "); dash != npos) {
        f.module = trim(body.substr(dash + 3));
        body = trim(body.substr(0, dash));
      }
      f.function = body.empty() ? std::string_view("??") : body;
      return f;
    }
  }
  if (starts_with(body, "<signal handler called>")) {
    f.function = "<signal handler called>";
    return f;
  }
  // The argument list is the first " (" that opens one: "std::function<void ()>::operator()
  // (this=…)" has a " (" inside the name, followed by neither arguments nor the frame's end.
  for (size_t p = body.find(" ("); p != npos; p = body.find(" (", p + 1)) {
    std::string_view after = body.substr(p + 2);
    size_t close;
    if (starts_with(after, ")")) {
      close = p + 2;
      std::string_view suffix = body.substr(close + 1);
      if (!suffix.empty() && !starts_with(suffix, " at ") && !starts_with(suffix, " from ")) {
        continue;
      }
    } else if (starts_arguments(after)) {
      close = matching_bracket(body, p + 1);
      if (close == npos) {
        f.function = body.substr(0, p);
        f.args = after;
        f.complete = false;
        return f;
      }
    } else {
      continue;
    }
    f.function = body.substr(0, p);
    f.args = body.substr(p + 2, close - p - 2);
    read_frame_suffix(body.substr(close + 1), f);
    return f;
  }
  if (f.pc.empty()) return std::nullopt;  // "#1 \"main\"" (JDK 21 thread list) is no frame
  // "0x… in name" without an argument list (unusual gdb settings): take what is there.
  size_t end = std::min(body.find(" at "), body.find(" from "));
  f.function = body.substr(0, end);
  if (end != npos) read_frame_suffix(body.substr(end), f);
  return f;
}

GdbLine tokenize_gdb_line(std::string_view line) {
  GdbLine out;
  std::string_view t = trim(line);
  if (t.empty()) {
    out.kind = Kind::kBlank;
    return out;
  }
  out.text = line;
  // A header or a frame one to three spaces in: a paste whose lines lost part of their shared
  // indentation (gdb's own indented lines, locals and wrapped frames, start at four or more).
  if (size_t indent = line.find_first_not_of(' '); indent > 0 && indent < 4) {
    std::string_view rest = line.substr(indent);
    if ((rest[0] == '#' && rest.size() > 1 && (is_digit(rest[1]) || rest[1] == ' ')) ||
        starts_with(rest, "Thread ")) {
      line = rest;
    }
  }
  if (line[0] == '#') {
    // "#2  0x… in f ()"; a mailing list turned some into "# 2  0x… in f ()".
    std::string_view after_hash = line.substr(1);
    size_t spaces = after_hash.find_first_not_of(' ');
    if (spaces == npos || spaces > 1) return out;
    std::string_view number = leading_id(after_hash.substr(spaces), false);
    size_t end = 1 + spaces + number.size();
    if (number.empty() || end >= line.size() || line[end] != ' ') return out;
    if (auto frame = tokenize_gdb_frame_body(ltrim(line.substr(end)))) {
      out.kind = Kind::kFrame;
      out.frame = *frame;
      out.frame.number = number;
    }
    return out;
  }
  if (line[0] == 'T') {
    if (auto h = tokenize_gdb_thread(line)) {
      out.kind = Kind::kThreadHeader;
      out.thread = *h;
      return out;
    }
    // eu-stack: "TID 4012:"
    if (starts_with(line, "TID ") && t.back() == ':') {
      std::string_view id = t.substr(4, t.size() - 5);
      if (all_digits(id)) {
        out.kind = Kind::kThreadHeader;
        out.thread.id = id;
        out.thread.lwp = parse_decimal(id);
      }
    }
    return out;
  }
  if (starts_with(line, "[Switching to thread ")) {
    if (auto h = tokenize_gdb_thread(line)) {
      out.kind = Kind::kThreadHeader;
      out.thread = *h;
    }
    return out;
  }
  if (starts_with(t, "frame #") || starts_with(t, "* frame #")) {
    if (auto frame = tokenize_lldb_frame(t)) {
      out.kind = Kind::kFrame;
      out.frame = *frame;
    }
    return out;
  }
  if (starts_with(t, "thread #") || starts_with(t, "* thread #")) {
    if (auto h = tokenize_lldb_thread(t, out.current)) {
      out.kind = Kind::kThreadHeader;
      out.thread = *h;
    }
    return out;
  }
  if (starts_with(line, "        ") || t == "No locals." ||
      t == "No symbol table info available.") {
    out.kind = Kind::kLocal;
    return out;
  }
  if (starts_with(line, "    ") && line[4] != ' ') {
    out.kind = Kind::kContinuation;
    out.text = line.substr(4);
    return out;
  }
  if (line[0] == ' ' || line[0] == '*') {
    if (auto row = tokenize_info_thread_row(line)) return *row;
    return out;
  }
  if (line[0] == 'o' || line[0] == 'f') {
    if (auto owner = tokenize_owner_line(line)) return *owner;
    return out;
  }
  if (starts_with(line, "PID ") && line.ends_with(" - process")) {
    out.kind = Kind::kProcess;
    return out;
  }
  if (starts_with(line, "[Inferior ") &&
      (t.ends_with(" detached]") || t.ends_with(" exited normally]") || t.ends_with(" killed]") ||
       t.find(" exited with code ") != npos)) {
    out.kind = Kind::kEnd;
  }
  return out;
}

GdbValue parse_gdb_value(std::string_view v) {
  GdbValue out;
  v = trim(v);
  // "futex@entry=0x…": gdb repeats the argument's value at function entry when it is the same.
  if (size_t e = v.find("@entry="); e != npos && v.substr(0, e).find_first_of(" \"<{") == npos) {
    v = v.substr(e + 7);
  }
  if (v == "...") {
    out.reference = true;
    return out;
  }
  if (starts_with(v, "@")) {
    out.reference = true;
    out.number = leading_hex(v.substr(1));
    out.value = parse_hex(out.number);
    std::string_view rest = v.substr(1 + out.number.size());
    if (starts_with(rest, ": ")) out.contents = rest.substr(2);
    return out;
  }
  std::string_view rest;
  if (std::string_view hex = leading_hex(v); !hex.empty()) {
    out.number = hex;
    out.value = parse_hex(hex);
    rest = v.substr(hex.size());
  } else if (std::string_view digits = leading_id(v, false); !digits.empty()) {
    out.number = digits;
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc() && end == digits.data() + digits.size()) out.value = value;
    rest = v.substr(digits.size());
  } else {
    return out;
  }
  if (!rest.empty() && rest[0] != ' ') {  // "12abc", "1.5": not a plain number
    out.number = {};
    out.value.reset();
    return out;
  }
  rest = ltrim(rest);
  if (starts_with(rest, "<")) {
    size_t close = rest.find('>');
    if (close != npos) {
      std::string_view symbol = rest.substr(1, close - 1);
      if (size_t plus = symbol.rfind('+'); plus != npos && all_digits(symbol.substr(plus + 1))) {
        out.symbol_offset =
            static_cast<uint64_t>(parse_decimal(symbol.substr(plus + 1)).value_or(0));
        symbol = symbol.substr(0, plus);
      }
      out.symbol = symbol;
      rest = ltrim(rest.substr(close + 1));
    }
  }
  if (starts_with(rest, "\"") || starts_with(rest, "L\"") || starts_with(rest, "'")) {
    out.string = true;
  }
  return out;
}

std::optional<std::string_view> find_gdb_argument(std::string_view args, std::string_view name) {
  std::optional<std::string_view> found;
  for_each_argument(args, [&](std::string_view n, std::string_view value) {
    if (n != name) return false;
    found = value;
    return true;
  });
  return found;
}

std::vector<ArgumentValue> decode_gdb_arguments(std::string_view args) {
  std::vector<ArgumentValue> out;
  for_each_argument(args, [&](std::string_view name, std::string_view text) {
    GdbValue v = parse_gdb_value(text);
    ArgumentValue a;
    a.name = name;
    if (!v.string) a.value = v.value;
    a.reference = v.reference;
    a.symbol = v.symbol;
    a.symbol_offset = v.symbol_offset;
    out.push_back(a);
    return false;
  });
  return out;
}

}  // namespace dla
