#include "parsers/jvm_thread_dump.h"

#include <array>
#include <charconv>
#include <string>

#include "graph/text_numbers.h"
#include "parsers/line_reader.h"

namespace dla {

namespace {

using Kind = JvmLine::Kind;

// "5.06s" or, in locales with a decimal comma (JDK 21 prints with the VM's locale), "29,56s".
std::optional<double> parse_seconds(std::string_view text) {
  if (text.empty() || text.back() != 's') return std::nullopt;
  std::string number(text.substr(0, text.size() - 1));
  for (char& c : number) {
    if (c == ',') c = '.';
  }
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size()) return std::nullopt;
  return value;
}

// Tokens that may follow the closing quote of a thread name in a header line.
bool starts_header_fields(std::string_view rest) {
  constexpr std::array<std::string_view, 6> kFirstFields = {
      " #", " daemon", " prio=", " os_prio=", " tid=", " ["};
  for (std::string_view field : kFirstFields) {
    if (starts_with(rest, field)) return true;
  }
  return false;
}

std::optional<JvmThreadHeader> tokenize_thread_header(std::string_view line) {
  if (line.size() < 3 || line[0] != '"') return std::nullopt;
  // A thread header always carries tid= or nid= (VM-internal threads too); the quoted lines of
  // the deadlock section carry neither.
  if (line.find(" tid=") == std::string_view::npos &&
      line.find(" nid=") == std::string_view::npos) {
    return std::nullopt;
  }
  // The name may itself contain quotes and spaces: it ends at the last quote that is followed by
  // header fields.
  size_t close = std::string_view::npos;
  for (size_t i = line.size() - 1; i > 0; --i) {
    if (line[i] == '"' && starts_header_fields(line.substr(i + 1))) {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos) return std::nullopt;

  JvmThreadHeader h;
  h.name = line.substr(1, close - 1);
  std::string_view rest = line.substr(close + 1);
  while (!rest.empty()) {
    rest = trim(rest);
    size_t space = rest.find(' ');
    std::string_view field = rest.substr(0, space);
    if (starts_with(field, "nid=")) {
      std::string_view value = field.substr(4);
      if (starts_with(value, "0x")) {
        if (auto hex = parse_hex(value)) h.nid = static_cast<int64_t>(*hex);
      } else {
        h.nid = parse_decimal(value);  // JDK 18+ print the nid in decimal
      }
      // Everything after nid= up to the stack address "[0x…]" is the OS-level state.
      std::string_view state = space == std::string_view::npos ? "" : rest.substr(space + 1);
      if (size_t bracket = state.rfind(" ["); bracket != std::string_view::npos) {
        state = state.substr(0, bracket);
      } else if (starts_with(trim(state), "[")) {
        state = "";
      }
      h.os_state = trim(state);
      break;
    }
    if (field.size() > 1 && field[0] == '#') {
      h.number = field.substr(1);
    } else if (field.size() > 2 && field.front() == '[' && field.back() == ']') {
      h.nid = parse_decimal(field.substr(1, field.size() - 2));  // JDK 21: "[9074]" is the OS tid
    } else if (field == "daemon") {
      h.daemon = true;
    } else if (starts_with(field, "elapsed=")) {
      h.elapsed_seconds = parse_seconds(field.substr(8));
    }
    if (space == std::string_view::npos) break;
    rest = rest.substr(space + 1);
  }
  return h;
}

// "\t- waiting to lock <0x…> (a java.lang.Object)" → verb, address, class.
// "\t- parking to wait for  <0x…> (a …)" has two spaces; ownable synchronizers print "\t- <0x…> (a
// …)" and "\t- None"; some lines carry no address at all ("\t- waiting on <no object reference
// available>",
// "\t- waiting on the Class initialization monitor for Foo").
JvmLine tokenize_lock_line(std::string_view body) {
  JvmLine out;
  out.kind = Kind::kLockLine;
  size_t open = body.find('<');
  if (open == std::string_view::npos) {
    // No object: the tail after a known verb is the object's description.
    constexpr std::string_view kClassInit = "waiting on the Class initialization monitor for";
    if (starts_with(body, kClassInit)) {
      out.text = kClassInit;
      out.address = trim(body.substr(kClassInit.size()));
      out.detail = out.address;
    } else {
      out.text = trim(body);
    }
    return out;
  }
  out.text = trim(body.substr(0, open));
  size_t close = body.find('>', open);
  if (close == std::string_view::npos) return out;
  std::string_view object = body.substr(open + 1, close - open - 1);
  if (starts_with(object, "0x")) out.address = object;
  std::string_view tail = trim(body.substr(close + 1));
  if (starts_with(tail, "(a ") && tail.back() == ')') out.detail = tail.substr(3, tail.size() - 4);
  return out;
}

// "pkg.Cls.m(java.base@17.0.15/Cls.java:12)" (jstack: the module is inside the parentheses) or
// "java.base/pkg.Cls.m(Cls.java:12)" (StackTraceElement.toString: module and class loader before
// the class). Hidden classes carry "/0x…" in their name ("Foo$$Lambda/0x0000…run"), which is no
// module separator.
JvmLine tokenize_frame(std::string_view body, bool module_before_class) {
  JvmLine out;
  out.kind = Kind::kFrame;
  size_t paren = body.rfind('(');
  out.text = body.substr(0, paren);
  if (paren != std::string_view::npos && body.back() == ')') {
    out.detail = body.substr(paren + 1, body.size() - paren - 2);
  }
  std::string_view& holder = module_before_class ? out.text : out.detail;
  for (size_t slash = holder.rfind('/'); slash != std::string_view::npos && slash > 0;
       slash = holder.rfind('/', slash - 1)) {
    if (!starts_with(holder.substr(slash + 1), "0x")) {
      out.module = holder.substr(0, slash);
      while (!out.module.empty() && out.module.back() == '/') out.module.remove_suffix(1);
      holder = holder.substr(slash + 1);
      break;
    }
  }
  return out;
}

// "**qtp1-10442**" → "qtp1-10442": an issue tracker's bold, put around the names and addresses of
// a deadlock report to point at them (no thread name or address starts and ends with "**").
std::string_view without_markdown_bold(std::string_view text) {
  if (text.size() > 4 && text.starts_with("**") && text.ends_with("**")) {
    return text.substr(2, text.size() - 4);
  }
  return text;
}

// The lines under a member of HotSpot's deadlock report (DeadlockCycle::print_on_with in
// threadService.cpp; the Serviceability Agent's DeadlockDetector for jstack -F):
//   "waiting to lock monitor 0x00007f… (object 0x000000062a81bf28, a java.lang.Object),"
//   "waiting to lock Monitor@0x00007f… (Object@0x00000000803c6648, a org/x/Y),"     (jstack -F)
//   "waiting for ownable synchronizer 0x000000062a8b0c28, (a java.util.…$NonfairSync),"
//   "which is held by \"worker-b\"", "in JNI, which is held by \"worker-b\""
//   "which is held by UNKNOWN_owner_addr=0x00007f…"                          (holder not named)
bool tokenize_deadlock_entry(std::string_view t, JvmLine& out) {
  auto class_after = [](std::string_view text, size_t from) {
    size_t a = text.find(", a ", from);
    size_t open = text.find("(a ", from);
    size_t start = a != std::string_view::npos      ? a + 4
                   : open != std::string_view::npos ? open + 3
                                                    : 0;
    size_t close = text.rfind(')');
    if (start == 0 || close == std::string_view::npos || close < start) return std::string_view();
    return text.substr(start, close - start);
  };
  if (starts_with(t, "waiting to lock monitor ") || starts_with(t, "waiting to lock Monitor@")) {
    out.kind = Kind::kDeadlockMonitor;
    for (std::string_view object : {std::string_view("(object "), std::string_view("(Object@")}) {
      size_t at = t.find(object);
      if (at == std::string_view::npos) continue;
      std::string_view rest = t.substr(at + object.size());
      out.address = without_markdown_bold(rest.substr(0, rest.find(',')));
      out.detail = class_after(t, at);
    }
    return true;
  }
  if (starts_with(t, "waiting for ownable synchronizer ")) {
    out.kind = Kind::kDeadlockSynchronizer;
    std::string_view rest = t.substr(33);
    out.address = without_markdown_bold(rest.substr(0, rest.find(',')));
    out.detail = class_after(t, 33);
    return true;
  }
  size_t held = t.find("which is held by ");
  if (held != std::string_view::npos && (held == 0 || starts_with(t, "in JNI, "))) {
    out.kind = Kind::kDeadlockHeldBy;
    std::string_view who = t.substr(held + 17);
    if (who.size() >= 2 && who[0] == '"' && who.back() == '"') {
      out.text = without_markdown_bold(who.substr(1, who.size() - 2));
    } else if (starts_with(who, "UNKNOWN_owner_addr=")) {
      out.address = who.substr(19);
    }
    return true;
  }
  return false;
}

}  // namespace

JvmLine tokenize_jvm_line(std::string_view line) {
  JvmLine out;
  std::string_view trimmed = trim(line);
  if (trimmed.empty()) {
    out.kind = Kind::kBlank;
    return out;
  }
  if (line[0] == '\t' || line[0] == ' ') {
    // A frame or a lock line, however indented: jstack prints a tab, a console copy or a forum
    // turns it into spaces ("        at …", "    - locked <…>").
    if (starts_with(trimmed, "at ")) return tokenize_frame(trimmed.substr(3), false);
    if (starts_with(trimmed, "- ")) return tokenize_lock_line(trimmed.substr(2));
    // jcmd Thread.dump_to_file: frames are StackTraceElement.toString() indented by six spaces.
    if (starts_with(line, "      ") && line[6] != ' ') return tokenize_frame(line.substr(6), true);
    if (tokenize_deadlock_entry(trimmed, out)) return out;
  }
  if (line[0] == '#') {
    // "#18 \"worker-a\"", "#31 \"\" virtual"
    size_t space = line.find(" \"");
    std::string_view number = line.substr(1, space == std::string_view::npos ? 0 : space - 1);
    size_t close = line.rfind('"');
    if (!number.empty() && number.find_first_not_of("0123456789") == std::string_view::npos &&
        close > space + 1) {
      out.kind = Kind::kPlainThreadHeader;
      out.detail = number;
      out.text = line.substr(space + 2, close - space - 2);
      out.address = trim(line.substr(close + 1));
      return out;
    }
  }
  if (line[0] == '"') {
    if (auto header = tokenize_thread_header(line)) {
      out.kind = Kind::kThreadHeader;
      out.header = *header;
      return out;
    }
  }
  // A member of the deadlock report, by name: "\"worker-a\":".
  if (trimmed.size() > 3 && trimmed[0] == '"' && trimmed.ends_with("\":")) {
    out.kind = Kind::kDeadlockThread;
    out.text = without_markdown_bold(trimmed.substr(1, trimmed.size() - 3));
    return out;
  }
  // The report's headings, also when a markdown paste made them headings ("# Found one …").
  std::string_view heading = trimmed;
  if (heading[0] == '#') {
    size_t text = heading.find_first_not_of('#');  // a line of '#' alone has none
    heading = text == std::string_view::npos ? std::string_view() : trim(heading.substr(text));
  }
  if (starts_with(trimmed, "java.lang.Thread.State: ")) {
    out.kind = Kind::kThreadState;
    out.text = trimmed.substr(24);
  } else if (trimmed == "Locked ownable synchronizers:") {
    out.kind = Kind::kOwnableHeader;
  } else if (starts_with(line, "Full thread dump ")) {
    out.kind = Kind::kDumpHeader;
    out.text = line.substr(17);
  } else if (starts_with(line, "JNI global ref")) {
    out.kind = Kind::kEndOfThreads;
  } else if (heading == "Found one Java-level deadlock:") {
    out.kind = Kind::kDeadlockStart;
  } else if (heading == "Java stack information for the threads listed above:") {
    out.kind = Kind::kDeadlockStacks;
  } else if (starts_with(trimmed, "Found ") &&
             (trimmed.ends_with(" deadlock.") || trimmed.ends_with(" deadlocks."))) {
    out.kind = Kind::kDeadlockEnd;
  } else if (starts_with(trimmed, "num ") && trimmed.find("#instances") != std::string_view::npos &&
             trimmed.find("#bytes") != std::string_view::npos) {
    out.kind = Kind::kHistogram;
  }
  return out;
}

}  // namespace dla
