// The Serviceability Agent's lines, one at a time (the tokenizer half of parsers/jvm_sa_dump.h):
// the SA's own lines here, HotSpot's header and lock lines through the jstack tokenizer.
#include "parsers/jvm_sa_dump.h"

#include <re2/re2.h>

#include <charconv>

#include "graph/text_numbers.h"
#include "parsers/line_reader.h"

namespace dla {

namespace {

using Kind = SaLine::Kind;

// " - java.lang.Thread.join(long) @bci=72, line=1313 (Interpreted frame)"; StackTrace.java prints
// the method with its parameter types, the bytecode index, the line where the method has one, and
// the frame's kind, optionally " [deoptimized]" and "; information may be imprecise".
SaLine tokenize_frame(std::string_view body) {
  SaLine out;
  size_t at = body.rfind(" @bci=");
  if (at == std::string_view::npos) return out;
  out.kind = Kind::kFrame;
  std::string_view method = body.substr(0, at);
  out.text = method.substr(0, method.find('('));
  std::string_view rest = body.substr(at);
  if (size_t line = rest.find(", line="); line != std::string_view::npos) {
    std::string_view digits = rest.substr(line + 7);
    digits = digits.substr(0, digits.find_first_not_of("0123456789"));
    out.number = parse_decimal(digits).value_or(0);
  }
  out.interpreted = rest.find("(Interpreted frame") != std::string_view::npos;
  return out;
}

// "<0x00000000ffd1c580>, (a java/util/concurrent/locks/ReentrantLock$NonfairSync)" (the list of
// ownable synchronizers) → address and class; "None" → neither.
SaLine tokenize_ownable(std::string_view body) {
  SaLine out;
  out.kind = Kind::kOwnable;
  if (!starts_with(body, "<")) return out;
  size_t close = body.find('>');
  if (close == std::string_view::npos) return out;
  out.address = body.substr(1, close - 1);
  std::string_view tail = body.substr(close + 1);
  if (size_t a = tail.find("(a "); a != std::string_view::npos && tail.back() == ')') {
    out.detail = tail.substr(a + 3, tail.size() - a - 4);
  }
  return out;
}

// The lines DeadlockDetector.printOneDeadlock prints under each member. They are rare, so a regex
// reads them more clearly than a scanner.
SaLine tokenize_deadlock_edge(std::string_view trimmed) {
  static const RE2 kMonitor(
      R"re(waiting to lock Monitor@(0x[0-9a-fA-F]+) \((?:Object@(0x[0-9a-fA-F]+), a (.*)|raw monitor)\),?)re");
  static const RE2 kSynchronizer(
      R"re(waiting for ownable synchronizer (0x[0-9a-fA-F]+|null), \(a (.*)\),?)re");
  static const RE2 kHeldBy(R"re(which is held by "(.*)")re");
  SaLine out;
  re2::StringPiece monitor, object, cls, name;
  re2::StringPiece in(trimmed.data(), trimmed.size());
  if (RE2::FullMatch(in, kMonitor, &monitor, &object, &cls)) {
    out.kind = Kind::kDeadlockMonitor;
    out.text = {monitor.data(), monitor.size()};
    out.address = {object.data(), object.size()};
    out.detail = {cls.data(), cls.size()};
  } else if (RE2::FullMatch(in, kSynchronizer, &object, &cls)) {
    out.kind = Kind::kDeadlockSynchronizer;
    if (object != "null") out.address = {object.data(), object.size()};
    out.detail = {cls.data(), cls.size()};
  } else if (RE2::FullMatch(in, kHeldBy, &name)) {
    out.kind = Kind::kDeadlockHeldBy;
    out.text = {name.data(), name.size()};
  }
  return out;
}

// JDK 8: "Thread 4233: (state = BLOCKED)" (StackTrace.java: the LWP, then the VM's thread state;
// verbose mode adds ", current Java SP = 0x…").
SaLine tokenize_jdk8_header(std::string_view line) {
  SaLine out;
  size_t colon = line.find(": (state = ");
  if (colon == std::string_view::npos) return out;
  auto lwp = parse_decimal(line.substr(7, colon - 7));
  if (!lwp) return out;
  std::string_view state = line.substr(colon + 11);
  state = state.substr(0, state.find_first_of(",)"));
  out.kind = Kind::kJdk8ThreadHeader;
  out.number = *lwp;
  out.text = state;
  return out;
}

}  // namespace

SaLine tokenize_sa_line(std::string_view line) {
  SaLine out;
  std::string_view trimmed = trim(line);
  if (trimmed.empty()) {
    out.kind = Kind::kBlank;
    return out;
  }
  if (line[0] == '\t') {
    // "\t- locked <0x…> (a X)": printed by JavaVFrame.printLockInfo as jstack prints it.
    JvmLine tok = tokenize_jvm_line(line);
    if (tok.kind == JvmLine::Kind::kLockLine) {
      out.kind = Kind::kLockLine;
      out.text = tok.text;
      out.address = tok.address;
      out.detail = tok.detail;
    }
    return out;
  }
  if (starts_with(line, " - ")) return tokenize_frame(line.substr(3));
  if (starts_with(line, "    - ")) return tokenize_ownable(line.substr(6));
  if (line[0] == '"') {
    JvmLine tok = tokenize_jvm_line(line);
    if (tok.kind == JvmLine::Kind::kThreadHeader) {
      out.kind = Kind::kThreadHeader;
      out.header = tok.header;
    } else if (tok.kind == JvmLine::Kind::kDeadlockThread) {
      out.kind = Kind::kDeadlockThread;
      out.text = tok.text;
    }
    return out;
  }
  if (starts_with(line, "Thread ")) return tokenize_jdk8_header(line);
  constexpr std::string_view kRule = "-----------------";  // tools/PStack.java
  if (starts_with(line, kRule) && line.ends_with(kRule) && line.size() > 2 * kRule.size() + 2) {
    auto lwp = parse_decimal(trim(line.substr(kRule.size(), line.size() - 2 * kRule.size())));
    if (lwp) {
      out.kind = Kind::kMixedModeThread;
      out.number = *lwp;
    }
    return out;
  }
  if (starts_with(trimmed, "java.lang.Thread.State: ")) {
    out.kind = Kind::kThreadState;
    out.text = trimmed.substr(24);
  } else if (trimmed == "Locked ownable synchronizers:") {
    out.kind = Kind::kOwnableHeader;
  } else if (starts_with(line, "Attaching to ")) {
    out.kind = Kind::kAttaching;
    out.text = line.substr(13);
  } else if (starts_with(line, "Error attaching to ")) {  // tools/Tool.java, on stderr
    out.kind = Kind::kAttachError;
    out.text = trimmed;
  } else if (starts_with(line, "JVM version is ")) {
    out.kind = Kind::kJvmVersion;
    out.text = trim(line.substr(15));
  } else if (trimmed == "Deadlock Detection:") {
    out.kind = Kind::kDeadlockDetection;
  } else if (trimmed == "Found one Java-level deadlock:") {
    out.kind = Kind::kDeadlockStart;
  } else if (trimmed == "No deadlocks found." || starts_with(trimmed, "Found a total of ")) {
    out.kind = Kind::kDeadlockTotal;
  } else if (starts_with(trimmed, "Can't print deadlocks:") ||
             starts_with(trimmed, "This version of HotSpot VM doesn't support deadlock")) {
    out.kind = Kind::kDeadlockUnavailable;
  } else if (trimmed == "Error occurred during stack walking:" ||
             starts_with(trimmed, "Could not print lock info:")) {
    out.kind = Kind::kStackWalkError;
    out.text = trimmed;
  } else if (starts_with(trimmed, "waiting ") || starts_with(trimmed, "which is held by ")) {
    return tokenize_deadlock_edge(trimmed);
  }
  return out;
}

}  // namespace dla
