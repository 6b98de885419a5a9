// The locks a function holds at a line (source_code.h): a walk through the function's blocks that
// replays its lock and unlock calls, guards and deferred calls, with the statements after which
// control never reaches the next one (a table per language).
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "graph/source_code.h"
#include "graph/source_scan.h"
#include "graph/text_util.h"

namespace dla {

namespace {

// Statements after which control never reaches the next statement.
struct TerminatingRow {
  SourceLanguage language;
  std::string_view prefix;  // the statement starts with it (as a whole word, or with '(')
};
constexpr std::array kTerminating = {
    TerminatingRow{L::kGo, "return"},         TerminatingRow{L::kGo, "panic"},
    TerminatingRow{L::kGo, "continue"},       TerminatingRow{L::kGo, "goto"},
    TerminatingRow{L::kGo, "os.Exit"},        TerminatingRow{L::kGo, "log.Fatal"},
    TerminatingRow{L::kGo, "log.Fatalf"},     TerminatingRow{L::kGo, "log.Fatalln"},
    TerminatingRow{L::kGo, "runtime.Goexit"}, TerminatingRow{L::kGo, "t.Fatal"},
    TerminatingRow{L::kGo, "t.Fatalf"},       TerminatingRow{L::kC, "return"},
    TerminatingRow{L::kC, "continue"},        TerminatingRow{L::kC, "goto"},
    TerminatingRow{L::kC, "throw"},           TerminatingRow{L::kC, "exit"},
    TerminatingRow{L::kC, "_exit"},           TerminatingRow{L::kC, "abort"},
    TerminatingRow{L::kC, "pthread_exit"},    TerminatingRow{L::kC, "std::terminate"},
    TerminatingRow{L::kC, "std::abort"},      TerminatingRow{L::kC, "std::exit"},
    TerminatingRow{L::kJava, "return"},       TerminatingRow{L::kJava, "throw"},
    TerminatingRow{L::kJava, "continue"},     TerminatingRow{L::kJava, "System.exit"},
};

// --- The walk through a function's blocks --------------------------------------------------------

struct Event {
  LockCall call;
  bool maybe_released = false;  // a block closed before the line released it on some path
};

struct OpenBlock {
  size_t first_event;        // events[first_event…] were recorded inside this block
  size_t alternative_start;  // the current case/default alternative starts here
  bool skipped;              // a function literal, a lambda, braces inside parentheses
  std::string last_statement;
};

class BlockWalk {
 public:
  BlockWalk(SourceLanguage language, const SourceText& file, const CallEffects& call_effects)
      : lang_(language), file_(file), call_effects_(call_effects) {}

  std::vector<LockCall> held_at(const FunctionScope& fn, int line) {
    walk(fn, line);
    return replay(/*at_return=*/false);
  }

  std::vector<LockCall> at_return(const FunctionScope& fn) {
    walk(fn, static_cast<int>(file_.code.size()) + 1);
    return replay(/*at_return=*/true);
  }

 private:
  // Reads the body from its opening brace up to (not including) `line`, or to its end.
  void walk(const FunctionScope& fn, int line) {
    int last = std::min<int>(line - 1, static_cast<int>(file_.code.size()));
    blocks_.push_back({0, 0, false, {}});  // the function's body, from its opening brace
    for (int i = fn.body_line - 1; i < last && !blocks_.empty(); ++i) {
      const std::string& code = file_.code[i];
      size_t from = i == fn.body_line - 1 ? fn.body_column + 1 : 0;
      for (size_t pos = from; pos < code.size(); ++pos) step(code, pos, i + 1);
      if (!blocks_.empty()) end_of_line(i + 1);
    }
  }

  bool skipping() const { return !blocks_.empty() && blocks_.back().skipped; }

  void step(const std::string& code, size_t pos, int line) {
    char c = code[pos];
    if (blocks_.empty()) return;  // the function's body ended before the line
    if (skipping()) {
      if (c == '{') blocks_.push_back({events_.size(), events_.size(), true, {}});
      if (c == '}') blocks_.pop_back();
      return;
    }
    if (c == '(') ++parens_;
    if (c == ')' && parens_ > 0) --parens_;
    if (lang_ == L::kGo && c == 'f' && keyword_at(code, pos, "func")) literal_pending_ = true;
    if (lang_ != L::kGo && c == ']') {
      size_t next = code.find_first_not_of(' ', pos + 1);
      if (next != std::string::npos && (code[next] == '(' || code[next] == '{')) {
        literal_pending_ = true;  // a C++ lambda "[…](…) {" or "[…] {"; Java has "->"
      }
    }
    if (lang_ == L::kJava && c == '-' && pos + 1 < code.size() && code[pos + 1] == '>') {
      literal_pending_ = true;  // a Java lambda "() -> {"
    }
    if (c == ';' && parens_ == 0) {
      literal_pending_ = false;
      flush(line, /*statement_end=*/true);
      return;
    }
    if (c == '{') {
      if (lang_ != L::kGo && is_brace_initializer(code, pos)) {
        segment_ += c;
        ++brace_init_;
        return;
      }
      bool skip = literal_pending_ || parens_ > 0 ||
                  (lang_ == L::kJava && opens_class_body(trim_blanks(segment_)));
      flush(line, false);
      literal_pending_ = false;
      pending_control_ = false;
      blocks_.push_back({events_.size(), events_.size(), skip, {}});
      // Java: what synchronized (x), if (l.tryLock()) or try (var g = …) took is held in here.
      if (!skip) {
        for (LockCall& call : block_calls_) {
          call.block_scoped = true;
          events_.push_back({std::move(call), false});
        }
      }
      block_calls_.clear();
      return;
    }
    if (c == '}') {
      if (brace_init_ > 0) {
        --brace_init_;
        segment_ += c;
        return;
      }
      flush(line, true);
      close_block();
      return;
    }
    segment_ += c;
  }

  // "lk{a, b}", "T{…}": a brace right after a name (or a template's '>') that is not a keyword
  // opens an initializer, not a block.
  bool is_brace_initializer(const std::string& code, size_t pos) const {
    if (pos == 0) return false;
    char before = code[pos - 1];
    if (before == '>') return true;
    if (!is_ident(before)) return false;
    size_t start = pos;
    while (start > 0 && is_ident(code[start - 1])) --start;
    std::string_view word(code.data() + start, pos - start);
    for (std::string_view k : {"else", "do", "try", "finally", "struct", "class", "union", "enum",
                               "namespace", "const", "noexcept", "override", "final", "mutable"}) {
      if (word == k) return false;
    }
    return true;
  }

  void end_of_line(int line) {
    // Go ends statements at the end of a line; C and Java where parentheses are balanced.
    if (lang_ == L::kGo || parens_ == 0) flush(line, lang_ == L::kGo);
    if (!segment_.empty()) segment_ += ' ';
  }

  // A statement (or the part of one before a brace) ends: read its lock calls.
  void flush(int line, bool statement_end) {
    std::string_view text = trim_blanks(segment_);
    if (text.empty()) {
      segment_.clear();
      return;
    }
    if (blocks_.empty() || skipping()) {
      segment_.clear();
      return;
    }
    // A case label starts another alternative of the switch/select around it.
    if (size_t label = case_label_end(text); label != std::string_view::npos) {
      close_alternative();
      text = trim_blanks(text.substr(label));
      if (text.empty()) {
        segment_.clear();
        return;
      }
    }
    // A braceless "if (…) stmt;" runs stmt on one path only (C, C++, Java).
    size_t control = lang_ == L::kGo ? std::string_view::npos : control_header_end(text);
    std::vector<LockCall> calls = find_lock_calls(lang_, text, line, guards_);
    add_call_effects(text, line, calls);
    if (lang_ == L::kJava) take_block_calls(text, statement_end, calls);
    if (control != std::string_view::npos || (pending_control_ && statement_end)) {
      std::string_view statement =
          control == std::string_view::npos ? text : trim_blanks(text.substr(control));
      if (statement.empty()) {
        pending_control_ = true;  // the statement follows on the next line
      } else {
        pending_control_ = false;
        size_t first = events_.size();
        for (LockCall& call : calls) {
          if (call.column >= control || control == std::string_view::npos) {
            events_.push_back({std::move(call), false});
          }
        }
        if (is_terminating_statement(lang_, statement)) {
          events_.resize(first);
        } else {
          settle(first);
        }
        blocks_.back().last_statement = std::string(statement);
      }
      segment_.clear();
      return;
    }
    for (LockCall& call : calls) events_.push_back({std::move(call), false});
    blocks_.back().last_statement = std::string(text);
    segment_.clear();
  }

  // Java acquires that hold only inside the block their statement opens: synchronized (x) {,
  // if (l.tryLock()) { (when the call is the whole condition) and try (var g = acquire()) {. They
  // move to block_calls_, for the block about to open; a tryLock anywhere else may have failed
  // and is dropped.
  void take_block_calls(std::string_view text, bool statement_end, std::vector<LockCall>& calls) {
    bool try_header = keyword_at(text, 0, "try");
    std::string_view condition;
    if (keyword_at(text, 0, "if")) {
      size_t open = text.find('(');
      size_t end = control_header_end(text);
      if (open != std::string_view::npos && end != std::string_view::npos && end > open + 1) {
        condition = trim_blanks(text.substr(open + 1, end - open - 2));
      }
    }
    std::vector<LockCall> kept;
    for (LockCall& call : calls) {
      bool whole_condition = false;
      if (call.conditional && !condition.empty() && !statement_end) {
        // "l.tryLock(…)" and nothing else: starts at the condition's start, one call.
        size_t at = static_cast<size_t>(condition.data() - text.data());
        whole_condition = call.column == at && condition.back() == ')' &&
                          condition.find("&&") == std::string_view::npos &&
                          condition.find("||") == std::string_view::npos;
      }
      if (whole_condition || (call.opens_block && !statement_end) ||
          (try_header && !statement_end && !call.release)) {
        block_calls_.push_back(std::move(call));
      } else if (!call.conditional && !call.opens_block) {
        kept.push_back(std::move(call));
      }
    }
    calls = std::move(kept);
  }

  // Java: a '{' that opens a class body (an anonymous class "new Runnable() {", a local class):
  // its methods run elsewhere.
  static bool opens_class_body(std::string_view head) {
    if (head.ends_with(")")) {
      int depth = 0;
      size_t open = std::string_view::npos;
      for (size_t k = head.size(); k-- > 0;) {
        if (head[k] == ')') ++depth;
        if (head[k] == '(' && --depth == 0) {
          open = k;
          break;
        }
      }
      if (open == std::string_view::npos) return false;
      std::string_view before = trim_blanks(head.substr(0, open));
      while (!before.empty() && (is_ident(before.back()) || before.back() == '.' ||
                                 before.back() == '>' || before.back() == '<')) {
        before.remove_suffix(1);
      }
      before = trim_blanks(before);
      return before.ends_with("new") &&
             (before.size() == 3 || !is_ident(before[before.size() - 4]));
    }
    for (std::string_view k : {"class ", "interface ", "enum ", "record "}) {
      size_t at = head.find(k);
      if (at != std::string_view::npos && (at == 0 || !is_ident(head[at - 1]))) return true;
    }
    return false;
  }

  // Calls of the program's own functions that take or release locks (wrappers).
  void add_call_effects(std::string_view text, int line, std::vector<LockCall>& calls) {
    if (!call_effects_) return;
    static const RE2 kCall(R"re(([A-Za-z_]\w*(?:\s*(?:\.|->)\s*[A-Za-z_]\w*)*)\s*\()re");
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece chain;
    bool added = false;
    while (RE2::FindAndConsume(&input, kCall, &chain)) {
      std::string_view c(chain.data(), chain.size());
      size_t column = static_cast<size_t>(chain.data() - text.data());
      // "f().helper()": called on what another call returned, an object no name says.
      size_t before = column;
      while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t')) --before;
      if (before > 0 && (text[before - 1] == '.' || text[before - 1] == '>')) continue;
      size_t open = column + c.size();
      while (open < text.size() && text[open] != '(') ++open;
      // The callee is the last name; what stands before its selector is the receiver.
      size_t dot = c.find_last_of(".>");
      std::string_view callee = dot == std::string_view::npos ? c : trim_blanks(c.substr(dot + 1));
      if (is_control_keyword(callee) || callee == "func" || callee == "defer" || callee == "go") {
        continue;
      }
      std::string receiver;
      if (dot != std::string_view::npos) {
        bool arrow = c[dot] == '>';
        std::string_view object = trim_blanks(c.substr(0, arrow ? dot - 1 : dot));
        receiver = (arrow ? "*" : "") + std::string(object);
      }
      std::vector<std::string> args;
      for (std::string_view arg : split_top_level(paren_body(text, open))) args.emplace_back(arg);
      std::vector<LockCall> effects = call_effects_(callee, receiver, args);
      std::string_view head = trim_blanks(text.substr(0, column));
      bool deferred = lang_ == L::kGo && head.ends_with("defer");
      for (LockCall& effect : effects) {
        effect.line = line;
        effect.column = column;
        effect.deferred = deferred && effect.release;
        calls.push_back(std::move(effect));
        added = true;
      }
    }
    if (added) {
      std::stable_sort(calls.begin(), calls.end(),
                       [](const LockCall& a, const LockCall& b) { return a.column < b.column; });
    }
  }

  // Where "case X:" / "default:" ends, or npos. Go's "case v := <-ch:" has its own ':='.
  size_t case_label_end(std::string_view text) const {
    bool is_case = keyword_at(text, 0, "case");
    if (!is_case && !keyword_at(text, 0, "default")) return std::string_view::npos;
    int depth = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') --depth;
      if (c != ':' || depth != 0) continue;
      if (i + 1 < text.size() && (text[i + 1] == '=' || text[i + 1] == ':')) {
        ++i;
        continue;
      }
      if (i > 0 && text[i - 1] == ':') continue;
      return i + 1;
    }
    return std::string_view::npos;
  }

  // Where the header of "if (…)", "else if (…)", "else", "for (…)", "while (…)" ends, when the
  // text starts with one; npos otherwise.
  size_t control_header_end(std::string_view text) const {
    size_t pos = 0;
    if (keyword_at(text, 0, "else")) {
      pos = text.find_first_not_of(' ', 4);
      if (pos == std::string_view::npos) return text.size();
      if (!keyword_at(text, pos, "if")) return pos;
    }
    for (std::string_view k : {"if", "for", "while"}) {
      if (!keyword_at(text, pos, k)) continue;
      size_t open = text.find_first_not_of(' ', pos + k.size());
      if (open == std::string_view::npos || text[open] != '(') return std::string_view::npos;
      int depth = 0;
      for (size_t i = open; i < text.size(); ++i) {
        if (text[i] == '(') ++depth;
        if (text[i] == ')' && --depth == 0) return i + 1;
      }
      return text.size();
    }
    return pos == 0 ? std::string_view::npos : pos;
  }

  void close_alternative() {
    OpenBlock& b = blocks_.back();
    size_t start = std::max(b.first_event, b.alternative_start);
    if (is_terminating_statement(lang_, b.last_statement)) {
      events_.resize(start);
    } else {
      settle(start);
    }
    b.alternative_start = events_.size();
    b.last_statement.clear();
  }

  void close_block() {
    if (blocks_.empty()) return;
    OpenBlock b = blocks_.back();
    blocks_.pop_back();
    if (b.skipped) return;
    if (blocks_.empty()) return;  // the function's own body ended before the line
    size_t start = std::max(b.first_event, b.alternative_start);
    if (is_terminating_statement(lang_, b.last_statement)) {
      events_.resize(start);
    } else {
      settle(start);
    }
    // Events of earlier alternatives of a switch were settled at their labels already.
    blocks_.back().last_statement = "}";
  }

  // The events from `first` on belong to a block that may or may not have run: what it takes is
  // not counted; what it releases and does not take again is held no longer. ("unlock; work;
  // lock" inside an if leaves the lock held on both paths.)
  void settle(size_t first) {
    struct Net {
      bool released = false;  // the block's last word on the lock was a release
      bool taken = false;     // it took the lock itself (and did not release it since)
    };
    std::vector<std::pair<std::string, Net>> net;  // in first-seen order
    auto entry = [&](const std::string& expression) -> Net& {
      for (auto& [e, n] : net) {
        if (e == expression) return n;
      }
      return net.emplace_back(expression, Net{}).second;
    };
    for (size_t i = first; i < events_.size(); ++i) {
      const Event& e = events_[i];
      if (e.call.deferred) continue;
      Net& n = entry(e.call.expression);
      if (e.maybe_released || e.call.release) {
        if (n.taken) {
          n.taken = false;  // took and released inside the block: no trace outside
        } else {
          n.released = true;
        }
      } else if (n.released) {
        n.released = false;  // released, then taken again: as held as before the block
      } else {
        n.taken = true;
      }
    }
    events_.resize(first);
    for (auto& [expression, n] : net) {
      if (!n.released) continue;
      Event e;
      e.call.expression = expression;
      e.maybe_released = true;
      events_.push_back(std::move(e));
    }
  }

  // The locks held after the events, in the order taken. At the line, a deferred release has
  // not run yet; at the return it has, and so have the guards' destructors: what is left is
  // what the function leaves held, plus (marked release) what it released without taking.
  std::vector<LockCall> replay(bool at_return) const {
    std::vector<LockCall> held, released;
    for (const Event& e : events_) {
      const LockCall& call = e.call;
      if (!e.maybe_released && !call.release) {
        if (!(at_return && call.block_scoped)) held.push_back(call);
        continue;
      }
      if (call.deferred && !at_return) continue;  // runs on return, after the line
      // The most recent hold of the expression, preferring the same mode (RUnlock after RLock).
      auto match = [&](bool same_mode) {
        for (size_t k = held.size(); k-- > 0;) {
          if (held[k].expression == call.expression &&
              (!same_mode || e.maybe_released || held[k].shared == call.shared)) {
            held.erase(held.begin() + static_cast<std::ptrdiff_t>(k));
            return true;
          }
        }
        return false;
      };
      if (!match(true) && !match(false) && at_return && !e.maybe_released) {
        released.push_back(call);
      }
    }
    for (LockCall& r : released) {
      r.deferred = false;
      held.push_back(std::move(r));
    }
    return held;
  }

  SourceLanguage lang_;
  const SourceText& file_;
  const CallEffects& call_effects_;
  std::vector<Event> events_;
  std::vector<OpenBlock> blocks_;
  std::vector<GuardBinding> guards_;
  std::vector<LockCall> block_calls_;
  std::string segment_;
  int parens_ = 0;
  int brace_init_ = 0;
  bool literal_pending_ = false;
  bool pending_control_ = false;
};

}  // namespace

bool is_terminating_statement(SourceLanguage language, std::string_view statement) {
  statement = trim_blanks(statement);
  for (const TerminatingRow& row : kTerminating) {
    if (row.language != language || !statement.starts_with(row.prefix)) continue;
    if (statement.size() == row.prefix.size()) return true;
    char next = statement[row.prefix.size()];
    if (!is_ident(next) && next != '.') return true;
  }
  return false;
}

std::vector<LockCall> locks_held_at(SourceLanguage language, const SourceText& file,
                                    const FunctionScope& fn, int line,
                                    const CallEffects& call_effects) {
  return BlockWalk(language, file, call_effects).held_at(fn, line);
}

std::vector<LockCall> net_lock_effects(SourceLanguage language, const SourceText& file,
                                       const FunctionScope& fn, const CallEffects& call_effects) {
  return BlockWalk(language, file, call_effects).at_return(fn);
}

std::vector<LockCall> lock_calls_on(SourceLanguage language, const SourceText& file, int line,
                                    const FunctionScope* fn) {
  std::vector<LockCall> out;
  if (line < 1 || line > static_cast<int>(file.code.size())) return out;
  // Guards declared earlier in the function: "inv.lock()" takes the mutex inv guards.
  std::vector<GuardBinding> guards;
  for (int i = fn != nullptr ? fn->body_line - 1 : line - 1; i < line - 1; ++i) {
    if (file.code[i].find_first_of("<{(") == std::string::npos) continue;
    (void)find_lock_calls(language, file.code[i], i + 1, guards);
  }
  for (LockCall& call : find_lock_calls(language, file.code[line - 1], line, guards)) {
    if (!call.release) out.push_back(std::move(call));
  }
  return out;
}

bool line_in_loop(const SourceText& file, const FunctionScope& fn, int line) {
  // A braceless loop: its header on the line or on the lines of the statement above.
  std::string statement = file.code[static_cast<size_t>(line - 1)];
  for (int k = line - 2; k >= fn.body_line && k >= line - 5; --k) {
    std::string_view above = trim_blanks(file.code[static_cast<size_t>(k)]);
    if (above.empty() || above.back() == ';' || above.back() == '{' || above.back() == '}') break;
    statement = file.code[static_cast<size_t>(k)] + " " + statement;
  }
  for (std::string_view loop : {"for", "while", "do"}) {
    for (size_t at = statement.find(loop); at != std::string::npos;
         at = statement.find(loop, at + 1)) {
      if (keyword_at(statement, at, loop)) return true;
    }
  }
  int depth = 0;
  for (int i = line; i >= fn.body_line; --i) {
    const std::string& code = file.code[static_cast<size_t>(i - 1)];
    for (size_t pos = code.size(); pos-- > 0;) {
      if (i == fn.body_line && pos <= fn.body_column) return false;
      if (code[pos] == '}') ++depth;
      if (code[pos] != '{') continue;
      if (depth > 0) {
        --depth;
        continue;
      }
      std::string_view h = trim_blanks(std::string_view(code).substr(0, pos));
      if (h.empty() && i > 1) h = trim_blanks(file.code[static_cast<size_t>(i - 2)]);
      for (std::string_view loop : {"for", "while", "do"}) {
        for (size_t at = h.find(loop); at != std::string_view::npos; at = h.find(loop, at + 1)) {
          if (keyword_at(h, at, loop)) return true;
        }
      }
    }
  }
  return false;
}

}  // namespace dla
