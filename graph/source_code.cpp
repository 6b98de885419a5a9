#include "graph/source_code.h"

#include <re2/re2.h>

#include <functional>

#include <algorithm>
#include <array>
#include <cctype>

#include "graph/text_util.h"

namespace dla {

namespace {

using L = SourceLanguage;

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool keyword_at(std::string_view s, size_t pos, std::string_view word) {
  if (s.substr(pos, word.size()) != word) return false;
  if (pos > 0 && is_ident(s[pos - 1])) return false;
  size_t end = pos + word.size();
  return end >= s.size() || !is_ident(s[end]);
}

// The body of the parentheses that open at `open` (which must be '(').
std::string_view paren_body(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && --depth == 0) return s.substr(open + 1, i - open - 1);
  }
  return s.substr(open + 1);
}

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

// Walks outward from the end of `line` (1-based), or from `column` of it, through the blocks
// around it: for the unclosed '{' of each, innermost first, calls visit(code, brace position,
// line index); stops when visit returns true.
template <typename Visit>
void for_each_enclosing_brace(const SourceText& file, int line, Visit visit,
                              size_t column = std::string::npos) {
  int depth = 0;
  int last = std::min<int>(line, static_cast<int>(file.code.size())) - 1;
  for (int i = last; i >= 0; --i) {
    const std::string& code = file.code[i];
    for (size_t pos = i == last ? std::min(column, code.size()) : code.size(); pos-- > 0;) {
      char c = code[pos];
      if (c == '}') ++depth;
      if (c != '{') continue;
      if (depth > 0) {
        --depth;
        continue;
      }
      if (visit(code, pos, i)) return;
    }
  }
}

// --- Go function headers -------------------------------------------------------------------------

// Parameter names of "(a, b int, c string)": Go groups names before a shared type; a list of
// bare types has no names at all.
std::vector<std::string> go_param_names(std::string_view list) {
  std::vector<std::string_view> items = split_top_level(list);
  bool named = false;
  for (std::string_view item : items) named |= item.find(' ') != std::string_view::npos;
  std::vector<std::string> names;
  for (std::string_view item : items) {
    names.emplace_back(named ? item.substr(0, item.find(' ')) : std::string_view("_"));
  }
  return names;
}

FunctionScope go_header(std::string_view line, size_t func_pos, int line_number) {
  FunctionScope fn;
  fn.header_line = line_number;
  std::string_view rest = line.substr(func_pos + 4);
  size_t open = rest.find('(');
  if (open == std::string_view::npos) return fn;
  std::string_view before = trim_blanks(rest.substr(0, open));
  if (before.empty() && open > 0) {
    // "func (s *T) Name(params)"
    std::vector<std::string> receiver = go_param_names(paren_body(rest, open));
    fn.receiver = receiver.empty() ? "_" : receiver[0];
    size_t close = rest.find(')', open);
    size_t name_start = rest.find_first_not_of(' ', close + 1);
    size_t params = rest.find('(', close);
    if (params != std::string_view::npos) {
      fn.name = std::string(trim_blanks(rest.substr(name_start, params - name_start)));
      fn.params = go_param_names(paren_body(rest, params));
    }
  } else if (before.empty()) {
    fn.literal = true;  // "func(params)"
    fn.params = go_param_names(paren_body(rest, open));
  } else {
    fn.name = std::string(before.substr(0, before.find('[')));  // generics: "Map[K, V]"
    size_t params = open;
    if (before.find('[') != std::string_view::npos) {
      // "func Map[K comparable, V any](m map[K]V)": the parameters follow the type parameters.
      size_t close = rest.find(']');
      params = rest.find('(', close == std::string_view::npos ? open : close);
    }
    if (params != std::string_view::npos) fn.params = go_param_names(paren_body(rest, params));
  }
  return fn;
}

// The function whose body the brace at (index, pos) opens, or nullopt for any other block.
std::optional<FunctionScope> go_function_of_brace(const SourceText& file, int index, size_t pos) {
  const std::string& code = file.code[index];
  // Is the block a function's? Its header has the keyword before the brace.
  for (size_t f = code.rfind("func", pos); f != std::string::npos;
       f = f == 0 ? std::string::npos : code.rfind("func", f - 1)) {
    if (keyword_at(code, f, "func")) {
      // A parameter of function type ("fn func()) {") is inside parentheses closed before the
      // brace: the header's own keyword is further left.
      std::string_view between(code.data() + f, pos - f);
      if (std::count(between.begin(), between.end(), '(') <
          std::count(between.begin(), between.end(), ')')) {
        continue;
      }
      FunctionScope fn = go_header(code, f, index + 1);
      fn.body_line = index + 1;
      fn.body_column = pos;
      return fn;
    }
  }
  return std::nullopt;
}

std::optional<FunctionScope> go_function_at(const SourceText& file, int line) {
  std::optional<FunctionScope> found;
  for_each_enclosing_brace(file, line, [&](const std::string&, size_t pos, int index) {
    found = go_function_of_brace(file, index, pos);
    return found.has_value();
  });
  return found;
}

// --- C and C++ function headers ------------------------------------------------------------------

bool is_control_keyword(std::string_view word) {
  for (std::string_view k : {"if", "for", "while", "switch", "catch", "do", "else", "return",
                             "sizeof", "alignof", "decltype", "synchronized", "try"}) {
    if (word == k) return true;
  }
  return false;
}

// The last identifier of a parameter declaration: "struct account *from" → "from",
// "const std::string& name = \"x\"" → "name", "int v[4]" → "v".
std::string c_param_name(std::string_view decl) {
  decl = decl.substr(0, decl.find('='));
  decl = decl.substr(0, decl.find('['));
  size_t end = decl.size();
  while (end > 0 && !is_ident(decl[end - 1])) --end;
  size_t start = end;
  while (start > 0 && is_ident(decl[start - 1])) --start;
  return std::string(decl.substr(start, end - start));
}

std::optional<FunctionScope> c_function_of_brace(const SourceText& file, int i, size_t pos) {
  const std::string& code = file.code[i];
  std::optional<FunctionScope> found;
  [&] {
    // Its header: the text before it, on this line or, for a brace on a line of its own, on the
    // lines above, up to the previous statement.
    std::string header = code.substr(0, pos);
    int header_line = i + 1;
    for (int k = i - 1; k >= 0 && k >= i - 6; --k) {
      std::string_view h = trim_blanks(header);
      // A header continues upward until the line above ends a statement or a block.
      if (!h.empty() && h.find('(') != std::string_view::npos &&
          std::count(h.begin(), h.end(), '(') == std::count(h.begin(), h.end(), ')')) {
        break;
      }
      std::string_view above = trim_blanks(file.code[k]);
      if (!above.empty() && (above.back() == ';' || above.back() == '}' || above.back() == '{' ||
                             above.front() == '#')) {
        break;
      }
      header = file.code[k] + " " + header;
      header_line = k + 1;
    }
    std::string_view h = trim_blanks(header);
    if (h.ends_with("->")) {
      // A Java lambda "(a, b) -> {" or "x -> {".
      std::string_view params = trim_blanks(h.substr(0, h.size() - 2));
      FunctionScope fn;
      fn.header_line = header_line;
      fn.body_line = i + 1;
      fn.body_column = pos;
      fn.literal = true;
      if (params.ends_with(")")) {
        int d = 0;
        for (size_t k = params.size(); k-- > 0;) {
          if (params[k] == ')') ++d;
          if (params[k] == '(' && --d == 0) {
            for (std::string_view p :
                 split_top_level(params.substr(k + 1, params.size() - k - 2))) {
              std::string name = c_param_name(p);
              if (!name.empty()) fn.params.push_back(name);
            }
            break;
          }
        }
      } else {
        size_t start = params.size();
        while (start > 0 && is_ident(params[start - 1])) --start;
        if (start < params.size()) fn.params.emplace_back(params.substr(start));
      }
      found = fn;
      return true;
    }
    // A constructor's initializer list: "Foo(int a) : a_(a), b_{b} {" — the header is before it.
    if (size_t close = h.find_last_of(')'); close != std::string_view::npos) {
      std::string_view after = trim_blanks(h.substr(close + 1));
      // trailing qualifiers only: "const", "noexcept", "override", "final", "&", "mutable"
      bool qualifiers =
          after.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_ &") ==
          std::string_view::npos;
      if (after.starts_with("->")) qualifiers = true;  // a trailing return type
      if (qualifiers) h = h.substr(0, close + 1);
    }
    size_t init_list = std::string_view::npos;
    for (size_t k = 0; k + 1 < h.size(); ++k) {
      if (h[k] == ')') {
        size_t next = h.find_first_not_of(' ', k + 1);
        if (next != std::string_view::npos && h[next] == ':' &&
            (next + 1 >= h.size() || h[next + 1] != ':')) {
          init_list = k + 1;
        }
      }
    }
    if (init_list != std::string_view::npos && h.back() != ')') h = h.substr(0, init_list);
    if (!h.empty() && h.back() == ']') {
      // A lambda without a parameter list: "[&] {".
      size_t open_bracket = h.rfind('[');
      if (open_bracket != std::string_view::npos) {
        FunctionScope fn;
        fn.header_line = header_line;
        fn.body_line = i + 1;
        fn.body_column = pos;
        fn.literal = true;
        found = fn;
        return true;
      }
    }
    if (h.empty() || h.back() != ')') return false;  // a struct, an initializer: go on outward
    int d = 0;
    size_t open = std::string_view::npos;
    for (size_t k = h.size(); k-- > 0;) {
      if (h[k] == ')') ++d;
      if (h[k] == '(' && --d == 0) {
        open = k;
        break;
      }
    }
    if (open == std::string_view::npos) return false;
    std::string_view before = trim_blanks(h.substr(0, open));
    FunctionScope fn;
    fn.header_line = header_line;
    fn.body_line = i + 1;
    fn.body_column = pos;
    if (before.ends_with("]")) {
      fn.literal = true;  // a lambda "[&](int x) {"
    } else {
      size_t name_start = before.size();
      while (name_start > 0 && (is_ident(before[name_start - 1]) || before[name_start - 1] == ':' ||
                                before[name_start - 1] == '~')) {
        --name_start;
      }
      std::string_view name = before.substr(name_start);
      if (name.empty() || is_control_keyword(name)) return false;
      fn.name = std::string(name);
    }
    for (std::string_view param : split_top_level(h.substr(open + 1, h.size() - open - 2))) {
      std::string p = c_param_name(param);
      if (!p.empty() && p != "void") fn.params.push_back(p);
    }
    found = fn;
    return true;
  }();
  return found;
}

std::optional<FunctionScope> c_function_at(const SourceText& file, int line) {
  std::optional<FunctionScope> found;
  for_each_enclosing_brace(file, line, [&](const std::string&, size_t pos, int i) {
    found = c_function_of_brace(file, i, pos);
    return found.has_value();
  });
  return found;
}

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

std::optional<FunctionScope> function_at(SourceLanguage language, const SourceText& file, int line,
                                         std::optional<bool> literal) {
  if (line < 1 || line > static_cast<int>(file.code.size())) return std::nullopt;
  // A function whose whole body stands on the line ("func (s *S) lock() { s.mu.Lock() }"):
  // the frame is in it when it is the kind of function the frame runs (a literal or not).
  if (literal) {
    const std::string& code = file.code[static_cast<size_t>(line - 1)];
    for (size_t pos = code.find('{'); pos != std::string::npos; pos = code.find('{', pos + 1)) {
      auto fn = language == L::kGo ? go_function_of_brace(file, line - 1, pos)
                                   : c_function_of_brace(file, line - 1, pos);
      if (!fn || fn->literal != *literal) continue;
      int depth = 0;
      for (size_t k = pos; k < code.size(); ++k) {
        if (code[k] == '{') ++depth;
        if (code[k] == '}' && --depth == 0) return fn;  // closes on the line
      }
    }
  }
  // A line that starts by closing a function's body: its deferred calls (Go) and destructors
  // (C++: a guard's unlock) run there, in that function.
  if (literal) {
    const std::string& code = file.code[static_cast<size_t>(line - 1)];
    size_t close = code.find_first_not_of(" \t");
    if (close != std::string::npos && code[close] == '}') {
      std::optional<FunctionScope> closed;
      for_each_enclosing_brace(
          file, line,
          [&](const std::string&, size_t pos, int index) {
            closed = language == L::kGo ? go_function_of_brace(file, index, pos)
                                        : c_function_of_brace(file, index, pos);
            return true;  // only the block this brace closes
          },
          close);
      if (closed && closed->literal == *literal) return closed;
    }
  }
  std::optional<FunctionScope> found;
  switch (language) {
    case L::kGo:
      found = go_function_at(file, line);
      break;
    case L::kC:
    case L::kJava:
      found = c_function_at(file, line);
      break;
  }
  // A frame that runs no literal, on the line where a literal's body opens ("go func() {",
  // "std::thread t([&] {"), stands in the expression around it: the function before the brace.
  if (found && literal && !*literal && found->literal && found->body_line == line) {
    size_t brace = found->body_column;
    found.reset();
    for_each_enclosing_brace(
        file, line,
        [&](const std::string&, size_t pos, int index) {
          found = language == L::kGo ? go_function_of_brace(file, index, pos)
                                     : c_function_of_brace(file, index, pos);
          return found.has_value();
        },
        brace);
  }
  return found;
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

std::vector<FunctionScope> go_functions_in(const SourceText& file) {
  std::vector<FunctionScope> out;
  for (size_t i = 0; i < file.code.size(); ++i) {
    const std::string& code = file.code[i];
    if (!code.starts_with("func ")) continue;
    // The body's brace: the first '{' outside parentheses on this line or the next few.
    int depth = 0;
    for (size_t k = i; k < file.code.size() && k < i + 8; ++k) {
      const std::string& line = file.code[k];
      bool done = false;
      for (size_t c = 0; c < line.size() && !done; ++c) {
        if (line[c] == '(') ++depth;
        if (line[c] == ')') --depth;
        if (line[c] == '{' && depth == 0) {
          if (auto fn = go_function_of_brace(file, static_cast<int>(k), c)) out.push_back(*fn);
          done = true;
        }
      }
      if (done) break;
    }
  }
  return out;
}

int statement_end_line(const SourceText& file, int line) {
  int depth = 0;
  for (size_t i = static_cast<size_t>(std::max(line, 1) - 1); i < file.code.size(); ++i) {
    for (char c : file.code[i]) {
      if (c == '(' || c == '{' || c == '[') ++depth;
      if (c == ')' || c == '}' || c == ']') --depth;
    }
    if (depth <= 0) return static_cast<int>(i) + 1;
  }
  return static_cast<int>(file.code.size());
}

int body_end_line(const SourceText& file, const FunctionScope& fn) {
  int depth = 0;
  for (size_t i = static_cast<size_t>(fn.body_line - 1); i < file.code.size(); ++i) {
    const std::string& code = file.code[i];
    for (size_t c = i == static_cast<size_t>(fn.body_line - 1) ? fn.body_column : 0;
         c < code.size(); ++c) {
      if (code[c] == '{') ++depth;
      if (code[c] == '}' && --depth == 0) return static_cast<int>(i) + 1;
    }
  }
  return static_cast<int>(file.code.size());
}

std::vector<FunctionScope> function_definitions(SourceLanguage language, const SourceText& file,
                                                std::string_view name) {
  std::vector<FunctionScope> out;
  if (name.empty()) return out;
  for (size_t i = 0; i < file.code.size(); ++i) {
    const std::string& code = file.code[i];
    for (size_t pos = code.find(name); pos != std::string::npos; pos = code.find(name, pos + 1)) {
      if (!keyword_at(code, pos, name)) continue;
      size_t open = code.find_first_not_of(' ', pos + name.size());
      if (open == std::string::npos || code[open] != '(') continue;
      if (language == L::kGo) {
        std::string_view t = trim_blanks(code);
        if (!t.starts_with("func ")) continue;
      } else if (pos > 0 && (code[pos - 1] == '.' || code[pos - 1] == '>')) {
        continue;  // a call through an object
      }
      // The body's brace: after the parameter list, before any ';', on this line or the next few.
      int depth = 0;
      bool found = false;
      for (size_t k = i; k < file.code.size() && k < i + 8 && !found; ++k) {
        const std::string& line = file.code[k];
        for (size_t c = k == i ? open : 0; c < line.size(); ++c) {
          if (line[c] == '(') ++depth;
          if (line[c] == ')') --depth;
          if (depth > 0) continue;
          if (line[c] == ';') {
            k = file.code.size();
            break;
          }
          if (line[c] == '{') {
            auto fn = language == L::kGo ? go_function_of_brace(file, static_cast<int>(k), c)
                                         : c_function_of_brace(file, static_cast<int>(k), c);
            if (fn) out.push_back(*fn);
            found = true;
            break;
          }
        }
      }
      break;
    }
  }
  return out;
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

namespace {

// "T name", "T *name = …", "T& name(…)", "for (auto& name : …)": a type, then the name.
bool c_declares_in(std::string_view code, std::string_view name, bool* is_static) {
  static const RE2 kDeclaration(
      R"re((?:^|[;{(]|\bfor\s*\()\s*((?:(?:static|const|volatile|struct|class|enum|union|unsigned|signed|register|thread_local|final)\s+)*)[A-Za-z_][\w:]*(?:\s*<[^;{}]*>)?(?:\s*[*&]+\s*|\s+)(?:const\s*)?[*&]*\s*([A-Za-z_]\w*)\s*(?:[=;({\[,:)]|$))re");
  re2::StringPiece input(code.data(), code.size());
  std::string qualifiers, found;
  while (RE2::FindAndConsume(&input, kDeclaration, &qualifiers, &found)) {
    if (found != name) continue;
    if (is_static != nullptr) *is_static = qualifiers.find("static") != std::string::npos;
    return true;
  }
  // A second declarator: "Account *a = …, *b = …".
  std::string second = R"re(,\s*[*&]+\s*)re" + RE2::QuoteMeta(std::string(name)) + R"re(\s*=)re";
  return RE2::PartialMatch(code, RE2(second));
}

bool go_declares_in(std::string_view code, std::string_view name) {
  size_t define = code.find(":=");
  if (define != std::string_view::npos) {
    std::string_view lhs = code.substr(0, define);
    if (size_t f = lhs.rfind("for "); f != std::string_view::npos) lhs = lhs.substr(f + 4);
    if (size_t f = lhs.rfind("if "); f != std::string_view::npos) lhs = lhs.substr(f + 3);
    if (size_t f = lhs.rfind("switch "); f != std::string_view::npos) lhs = lhs.substr(f + 7);
    if (size_t f = lhs.rfind("case "); f != std::string_view::npos) lhs = lhs.substr(f + 5);
    for (std::string_view item : split_top_level(lhs)) {
      if (item == name) return true;
    }
  }
  std::string_view trimmed = trim_blanks(code);
  if (trimmed.starts_with("var ")) {
    for (std::string_view item : split_top_level(trimmed.substr(4))) {
      std::string_view first = item.substr(0, item.find_first_of(" ="));
      if (first == name) return true;
    }
  }
  return false;
}

}  // namespace

bool declares_local(SourceLanguage language, const SourceText& file, const FunctionScope& fn,
                    int line, std::string_view name, bool* is_static) {
  if (is_static != nullptr) *is_static = false;
  int last = std::min<int>(line - 1, static_cast<int>(file.code.size()));
  for (int i = fn.header_line; i < last; ++i) {
    const std::string& code = file.code[i];
    if (code.find(name) == std::string::npos) continue;
    if (language == L::kGo ? go_declares_in(code, name) : c_declares_in(code, name, is_static)) {
      return true;
    }
  }
  // A Go literal's parameters and the variables of the functions around it are its locals too.
  return false;
}

namespace {

// "(struct station *)arg" → "arg"; "static_cast<Node*>(p)" → "p".
std::string_view strip_cast(std::string_view e) {
  e = trim_blanks(e);
  for (std::string_view cast : {"static_cast<", "reinterpret_cast<", "const_cast<"}) {
    if (!e.starts_with(cast)) continue;
    size_t close = e.find(">(");
    if (close != std::string_view::npos && e.back() == ')') {
      return trim_blanks(e.substr(close + 2, e.size() - close - 3));
    }
  }
  if (e.starts_with("(")) {
    size_t close = e.find(')');
    if (close != std::string_view::npos && close + 1 < e.size()) {
      std::string_view inside = e.substr(1, close - 1);
      if (inside.ends_with("*") && inside.find('(') == std::string_view::npos) {
        return trim_blanks(e.substr(close + 1));
      }
    }
  }
  return e;
}

// The initializer of "…name = INIT" up to the end of the declarator.
std::string_view initializer_after(std::string_view code, size_t eq) {
  std::string_view rest = code.substr(eq + 1);
  int depth = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if ((c == ';' || c == ',') && depth == 0) return trim_blanks(rest.substr(0, i));
  }
  return trim_blanks(rest);
}

}  // namespace

std::optional<LocalAlias> local_alias(SourceLanguage language, const SourceText& file,
                                      const FunctionScope& fn, int line, std::string_view name) {
  int last = std::min<int>(line - 1, static_cast<int>(file.code.size()));
  for (int i = last - 1; i >= fn.header_line - 1 && i >= 0; --i) {
    std::string_view code = file.code[i];
    if (code.find(name) == std::string_view::npos) continue;
    if (language == L::kGo) {
      if (!go_declares_in(code, name)) continue;
      // "name := INIT" with one name on the left; "var name = INIT".
      size_t define = code.find(":=");
      size_t eq = define != std::string_view::npos ? define + 1 : code.find('=');
      if (eq == std::string_view::npos) return std::nullopt;
      std::string_view lhs = code.substr(0, define != std::string_view::npos ? define : eq);
      if (lhs.find(',') != std::string_view::npos) return std::nullopt;
      std::string object = normalize_lock_expression(language, initializer_after(code, eq), true);
      if (object.empty()) return std::nullopt;
      return LocalAlias{i + 1, object, false};
    }
    if (!c_declares_in(code, name, nullptr)) continue;
    // The declarator: "*name = INIT" (a pointer), "&name = INIT" (a reference).
    size_t at = std::string_view::npos;
    for (size_t pos = code.find(name); pos != std::string_view::npos;
         pos = code.find(name, pos + 1)) {
      bool starts = pos == 0 || !is_ident(code[pos - 1]);
      bool ends = pos + name.size() >= code.size() || !is_ident(code[pos + name.size()]);
      if (starts && ends) {
        at = pos;
        break;
      }
    }
    if (at == std::string_view::npos) return std::nullopt;
    size_t eq = code.find_first_not_of(' ', at + name.size());
    if (eq == std::string_view::npos || code[eq] != '=' ||
        (eq + 1 < code.size() && code[eq + 1] == '=')) {
      return std::nullopt;
    }
    size_t before = at;
    while (before > 0 && code[before - 1] == ' ') --before;
    char declarator = before > 0 ? code[before - 1] : ' ';
    std::string_view init = strip_cast(initializer_after(code, eq));
    if (declarator == '&') {
      std::string object =
          normalize_lock_expression(language, "&(" + std::string(init) + ")", true);
      if (object.empty()) return std::nullopt;
      return LocalAlias{i + 1, object, false};
    }
    if (declarator == '*' || init.starts_with("&")) {
      std::string object = normalize_lock_expression(language, init, true);
      if (object.empty()) return std::nullopt;
      return LocalAlias{i + 1, object, true};
    }
    return std::nullopt;  // a copy, or a type we cannot see
  }
  return std::nullopt;
}

bool assigned_between(SourceLanguage language, const SourceText& file, int from, int to,
                      std::string_view name) {
  // "name = …", "name += …", "name++", "*name = …" (C), "name, other = …", "name := …" (Go).
  auto assigns_at = [&](std::string_view code, size_t at) {
    size_t i = at + name.size();
    while (i < code.size() && code[i] == ' ') ++i;
    if (i + 1 < code.size() &&
        ((code[i] == '+' && code[i + 1] == '+') || (code[i] == '-' && code[i + 1] == '-'))) {
      return true;
    }
    if (i < code.size() && code[i] == ',') {
      // "a, name = f()": a list on the left of an assignment.
      size_t eq = code.find('=', i);
      return eq != std::string_view::npos && eq + 1 < code.size() && code[eq + 1] != '=' &&
             code[eq - 1] != '!' && code[eq - 1] != '<' && code[eq - 1] != '>' &&
             code.substr(i, eq - i).find_first_of("()") == std::string_view::npos;
    }
    if (language == L::kGo && i + 1 < code.size() && code[i] == ':' && code[i + 1] == '=') {
      return true;
    }
    if (i < code.size() && std::string_view("+-*/|&^%").find(code[i]) != std::string_view::npos &&
        i + 1 < code.size() && code[i + 1] == '=') {
      return true;
    }
    return i < code.size() && code[i] == '=' && (i + 1 >= code.size() || code[i + 1] != '=');
  };
  for (int i = std::max(from, 0); i < to - 1 && i < static_cast<int>(file.code.size()); ++i) {
    std::string_view code = file.code[i];
    for (size_t pos = code.find(name); pos != std::string_view::npos;
         pos = code.find(name, pos + 1)) {
      if (!keyword_at(code, pos, name)) continue;
      if (pos > 0 && (code[pos - 1] == '.' || code[pos - 1] == '>')) continue;  // a field
      if (assigns_at(code, pos)) return true;
    }
  }
  return false;
}

bool declares_file_global(SourceLanguage language, const SourceText& file, std::string_view name) {
  if (language == L::kGo) {
    // Package level: "var name …", "var a, name = …", or a line of a "var ( … )" group.
    bool in_group = false;
    int depth = 0;
    for (const std::string& code : file.code) {
      std::string_view t = trim_blanks(code);
      if (in_group) {
        if (t.starts_with(")")) {
          in_group = false;
          continue;
        }
        std::string_view names = t.substr(0, t.find_first_of("=\t"));
        // "a, b sync.Mutex": names before the type, which follows a space.
        for (std::string_view item : split_top_level(names)) {
          if (item.substr(0, item.find(' ')) == name) return true;
        }
        continue;
      }
      if (depth == 0 && t.starts_with("var ")) {
        std::string_view rest = trim_blanks(t.substr(4));
        if (rest.starts_with("(")) {
          in_group = true;
          continue;
        }
        for (std::string_view item : split_top_level(rest.substr(0, rest.find('=')))) {
          if (item.substr(0, item.find(' ')) == name) return true;
        }
      }
      for (char c : code) {
        if (c == '{') ++depth;
        if (c == '}') --depth;
      }
    }
    return false;
  }
  // C/C++: brace depth, where namespace and extern "C" blocks do not count.
  std::vector<bool> scope_is_file;  // per open brace
  auto at_file_scope = [&] {
    return std::all_of(scope_is_file.begin(), scope_is_file.end(), [](bool b) { return b; });
  };
  std::string pending_header;
  for (size_t i = 0; i < file.code.size(); ++i) {
    const std::string& code = file.code[i];
    if (at_file_scope() && !code.empty() && code[0] != '#' &&
        code.find(name) != std::string::npos) {
      bool is_static = false;
      if (c_declares_in(code, name, &is_static)) {
        // Not a function declaration "T name(…);" nor its definition, nor a member of a
        // struct written on one line ("struct conn { pthread_mutex_t lock; };").
        size_t at = code.find(name);
        size_t after = code.find_first_not_of(' ', at + name.size());
        int depth = 0;
        for (size_t k = 0; k < at; ++k) {
          if (code[k] == '{') {
            std::string_view head(code.data(), k);
            bool scope = head.find("namespace") != std::string_view::npos ||
                         head.find("extern") != std::string_view::npos;
            if (!scope) ++depth;
          }
          if (code[k] == '}' && depth > 0) --depth;
        }
        if (depth == 0 && (after == std::string::npos || code[after] != '(')) return true;
      }
    }
    for (size_t pos = 0; pos < code.size(); ++pos) {
      if (code[pos] == '{') {
        std::string head = pending_header + code.substr(0, pos);
        bool file_scope =
            head.find("namespace") != std::string::npos || head.find("extern") != std::string::npos;
        scope_is_file.push_back(file_scope && at_file_scope());
        pending_header.clear();
      } else if (code[pos] == '}' && !scope_is_file.empty()) {
        scope_is_file.pop_back();
      } else if (code[pos] == ';') {
        pending_header.clear();
      }
    }
    pending_header += code + " ";
    if (pending_header.size() > 400) pending_header.erase(0, pending_header.size() - 400);
  }
  return false;
}

std::string go_package_name(const SourceText& file) {
  for (const std::string& code : file.code) {
    std::string_view t = trim_blanks(code);
    if (t.starts_with("package ")) return std::string(trim_blanks(t.substr(8)));
  }
  return {};
}

std::string go_import_path(const SourceText& file, std::string_view name) {
  // import "sync" / import cfg "example.com/app/config" / import ( … ). The quoted paths are
  // blanked in the code lines, so the written lines are read here.
  bool in_group = false;
  for (size_t i = 0; i < file.lines.size(); ++i) {
    std::string_view code = trim_blanks(file.code[i]);
    std::string_view text = trim_blanks(file.lines[i]);
    if (code.starts_with("func ") || code.starts_with("type ") || code.starts_with("var ")) break;
    std::string_view spec;
    if (in_group) {
      if (code.starts_with(")")) {
        in_group = false;
        continue;
      }
      spec = text;
    } else if (code.starts_with("import")) {
      std::string_view rest = trim_blanks(text.substr(6));
      if (rest.starts_with("(")) {
        in_group = true;
        continue;
      }
      spec = rest;
    } else {
      continue;
    }
    size_t quote = spec.find('"');
    if (quote == std::string_view::npos) continue;
    size_t end = spec.find('"', quote + 1);
    if (end == std::string_view::npos) continue;
    std::string_view path = spec.substr(quote + 1, end - quote - 1);
    std::string_view alias = trim_blanks(spec.substr(0, quote));
    std::string_view last = path.substr(path.rfind('/') + 1);
    if (alias.empty() ? last == name : alias == name) return std::string(path);
  }
  return {};
}

bool declares_member(const SourceText& file, std::string_view class_name, std::string_view name) {
  if (class_name.empty()) return false;
  std::string head =
      R"re(\b(?:class|struct)\s+)re" + RE2::QuoteMeta(std::string(class_name)) + R"re(\b[^;]*$)re";
  RE2 class_head(head);
  for (size_t i = 0; i < file.code.size(); ++i) {
    if (!RE2::PartialMatch(file.code[i], class_head)) continue;
    // The class body: depth 1 from its opening brace; member functions' bodies are deeper.
    int depth = 0;
    bool opened = false;
    for (size_t k = i; k < file.code.size(); ++k) {
      const std::string& code = file.code[k];
      if (opened && depth == 1 && code.find(name) != std::string::npos &&
          c_declares_in(code, name, nullptr)) {
        size_t at = code.find(name);
        size_t after = code.find_first_not_of(' ', at + name.size());
        if (after == std::string::npos || code[after] != '(') return true;
      }
      for (char c : code) {
        if (c == '{') {
          ++depth;
          opened = true;
        }
        if (c == '}') --depth;
      }
      if (opened && depth <= 0) break;
    }
  }
  return false;
}

std::optional<CallSite> call_on(SourceLanguage language, const SourceText& file, int line,
                                std::string_view callee) {
  if (line < 1 || line > static_cast<int>(file.code.size()) || callee.empty()) {
    return std::nullopt;
  }
  // The frame's line, then the statement it ends (a call written over several lines).
  std::string code = file.code[line - 1];
  for (int attempt = 0; attempt < 2; ++attempt) {
    for (size_t pos = code.rfind(callee); pos != std::string::npos;
         pos = pos == 0 ? std::string::npos : code.rfind(callee, pos - 1)) {
      size_t open = pos + callee.size();
      while (open < code.size() && code[open] == ' ') ++open;
      if (open < code.size() && code[open] == '<') {  // C++ "f<int>(…)"
        size_t close = code.find('>', open);
        open = close == std::string::npos ? code.size() : close + 1;
      }
      if (open >= code.size() || code[open] != '(') continue;
      if (pos > 0 && is_ident(code[pos - 1])) continue;
      CallSite call;
      size_t dot = pos;
      if (dot > 0 && code[dot - 1] == '.') {
        dot -= 1;
      } else if (dot > 1 && code[dot - 1] == '>' && code[dot - 2] == '-') {
        dot -= 2;
        call.receiver = "*";
      } else {
        dot = std::string::npos;
      }
      if (dot != std::string::npos) {
        size_t start = dot;
        while (start > 0 && (is_ident(code[start - 1]) || code[start - 1] == '.' ||
                             code[start - 1] == '&' || code[start - 1] == '*')) {
          --start;
        }
        call.receiver += code.substr(start, dot - start);
      }
      for (std::string_view arg : split_top_level(paren_body(code, open))) {
        call.args.emplace_back(arg);
      }
      (void)language;
      return call;
    }
    // Not on the line: join the lines of the statement above it (up to four).
    std::string joined = code;
    for (int k = line - 2; k >= 0 && k >= line - 5; --k) {
      std::string_view above = trim_blanks(file.code[k]);
      if (above.empty() || above.back() == ';' || above.back() == '{' || above.back() == '}') {
        break;
      }
      joined = file.code[k] + " " + joined;
    }
    if (joined == code) break;
    code = joined;
  }
  return std::nullopt;
}

}  // namespace dla
