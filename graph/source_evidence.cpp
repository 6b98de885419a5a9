#include "graph/source_evidence.h"

#include <re2/re2.h>
#include <sys/stat.h>

#include "graph/text_util.h"

#include <fstream>
#include <sstream>

namespace dla {

// --- files -------------------------------------------------------------------------------------

SourceFiles::SourceFiles(std::vector<std::string> roots) {
  for (std::string& root : roots) {
    if (size_t eq = root.find('='); eq != std::string::npos) {
      rewrites_.emplace_back(root.substr(0, eq), root.substr(eq + 1));
    } else {
      search_dirs_.push_back(std::move(root));
    }
  }
}

std::optional<std::string> SourceFiles::read(const std::string& path) const {
  // A dump names the files; only regular files of a source file's size are read (a frame
  // claiming /dev/zero must not hang the analysis).
  constexpr off_t kMaxSourceBytes = 16 << 20;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxSourceBytes) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::vector<std::string_view>* SourceFiles::lines(std::string_view path) {
  if (auto it = cache_.find(path); it != cache_.end()) {
    return it->second ? &it->second->lines : nullptr;
  }
  std::vector<std::string> candidates;
  for (const auto& [from, to] : rewrites_) {
    if (path.substr(0, from.size()) == from) {
      candidates.push_back(to + std::string(path.substr(from.size())));
    }
  }
  // "OLD=NEW" says where the tree under OLD is now: a stale file left at OLD is not read.
  if (candidates.empty()) candidates.emplace_back(path);
  // Under a search directory: the path's last elements, longest first; at least the file and
  // its directory, so that two programs' main.go are not confused.
  // (A relative path as gdb prints it, "mutex_cycle2.c" or "src/a.c", is tried whole.)
  std::vector<size_t> starts;  // where each suffix of whole path elements begins
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '/' && i + 1 < path.size()) starts.push_back(i + 1);
  }
  if (!path.empty() && path[0] != '/') starts.insert(starts.begin(), 0);
  for (const std::string& dir : search_dirs_) {
    for (size_t k = 0; k < starts.size(); ++k) {
      bool last_element = k + 1 == starts.size();
      if (last_element && starts.size() > 1) break;  // a bare file name of a longer path
      candidates.push_back(dir + "/" + std::string(path.substr(starts[k])));
    }
  }
  std::unique_ptr<File> file;
  for (const std::string& candidate : candidates) {
    if (auto text = read(candidate)) {
      file = std::make_unique<File>();
      file->text = std::move(*text);
      std::string_view all = file->text;
      size_t start = 0;
      while (start <= all.size()) {
        size_t end = all.find('\n', start);
        if (end == std::string_view::npos) end = all.size();
        file->lines.push_back(all.substr(start, end - start));
        start = end + 1;
      }
      break;
    }
  }
  if (!file) missing_.emplace_back(path);
  auto [it, inserted] = cache_.emplace(std::string(path), std::move(file));
  return it->second ? &it->second->lines : nullptr;
}

// --- Go ----------------------------------------------------------------------------------------

namespace {

bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The line with comments and the contents of string and rune literals blanked out, so that
// braces and calls inside them are not taken for code.
// The line with comments and the contents of string and character literals blanked out, so that
// braces and calls inside them are not taken for code. Go and C alike: "…" and '…' with
// escapes, Go's raw `…`, // to the end of the line, /* … */ within it.
std::string strip_code(std::string_view line) {
  std::string out(line);
  char quote = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (quote != 0) {
      if (c == '\\' && quote != '`' && i + 1 < out.size()) {
        out[i] = out[i + 1] = ' ';
        ++i;
      } else if (c == quote) {
        quote = 0;
      } else {
        out[i] = ' ';
      }
      continue;
    }
    if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
      out.resize(i);
      break;
    }
    if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
      size_t end = out.find("*/", i + 2);
      size_t stop = end == std::string::npos ? out.size() : end + 2;
      for (size_t k = i; k < stop; ++k) out[k] = ' ';
      i = stop - 1;
      continue;
    }
    if (c == '"' || c == '`' || c == '\'') quote = c;
  }
  return out;
}

// Walks outward from `line` (1-based) through the blocks around it: for the unclosed '{' of each,
// innermost first, calls visit(code, brace position, line index); stops when visit returns true.
template <typename Visit>
void for_each_enclosing_brace(const std::vector<std::string_view>& lines, int line, Visit visit) {
  int depth = 0;
  for (int i = std::min<int>(line, static_cast<int>(lines.size())) - 1; i >= 0; --i) {
    std::string code = strip_code(lines[i]);
    for (size_t pos = code.size(); pos-- > 0;) {
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

bool keyword_at(std::string_view s, size_t pos, std::string_view word) {
  if (s.substr(pos, word.size()) != word) return false;
  if (pos > 0 && is_ident(s[pos - 1])) return false;
  size_t end = pos + word.size();
  return end >= s.size() || !is_ident(s[end]);
}

std::string trim_copy(std::string_view s) {
  return std::string(trim_blanks(s));
}

std::vector<std::string> split_top(std::string_view s) {
  std::vector<std::string> out;
  for (std::string_view item : split_top_level(s)) out.emplace_back(item);
  return out;
}

// The text inside the parentheses that open at `open` (which must be '(').
std::string_view paren_body(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && --depth == 0) return s.substr(open + 1, i - open - 1);
  }
  return s.substr(open + 1);
}

// Parameter names of "(a, b int, c string)": Go groups names before a shared type; a list of
// bare types has no names at all.
std::vector<std::string> param_names(std::string_view list) {
  std::vector<std::string> items = split_top(list);
  bool named = false;
  for (const std::string& item : items) named |= item.find(' ') != std::string::npos;
  std::vector<std::string> names;
  for (const std::string& item : items) {
    names.push_back(named ? item.substr(0, item.find(' ')) : "_");
  }
  return names;
}

// Parses the header of the function that starts at `func_pos` in `line`.
GoFunction parse_header(std::string_view line, size_t func_pos, int line_number) {
  GoFunction fn;
  fn.header_line = line_number;
  std::string_view rest = line.substr(func_pos + 4);
  size_t open = rest.find('(');
  if (open == std::string_view::npos) return fn;
  std::string_view before = rest.substr(0, open);
  bool method = before.find_first_not_of(' ') == std::string_view::npos && open > 0;
  if (method) {
    // "func (s *T) Name(params)"
    std::vector<std::string> receiver = param_names(paren_body(rest, open));
    fn.receiver = receiver.empty() ? "_" : receiver[0];
    size_t close = rest.find(')', open);
    size_t params = rest.find('(', close);
    if (params != std::string_view::npos) fn.params = param_names(paren_body(rest, params));
  } else {
    // "func Name(params)" or a literal "func(params)"
    fn.params = param_names(paren_body(rest, open));
  }
  return fn;
}

const RE2& lock_call_re() {
  static const RE2 re(
      R"re((defer\s+)?([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.(RLock|Lock|RUnlock|Unlock)\(\))re");
  return re;
}

void find_lock_calls(std::string_view code, int line, std::vector<LockCall>& out) {
  re2::StringPiece input(code.data(), code.size());
  std::string deferred, expression, method;
  while (RE2::FindAndConsume(&input, lock_call_re(), &deferred, &expression, &method)) {
    LockCall call;
    call.expression = expression;
    call.line = line;
    call.shared = method[0] == 'R';
    call.release = method.find("Unlock") != std::string::npos;
    call.deferred = !deferred.empty();
    out.push_back(std::move(call));
  }
}

}  // namespace

std::optional<GoFunction> go_function_at(const std::vector<std::string_view>& lines, int line) {
  std::optional<GoFunction> found;
  for_each_enclosing_brace(lines, line, [&](const std::string& code, size_t pos, int index) {
    // Is the block a function's? Its header has the keyword before the brace.
    for (size_t f = code.rfind("func", pos); f != std::string::npos;
         f = f == 0 ? std::string::npos : code.rfind("func", f - 1)) {
      if (keyword_at(code, f, "func")) {
        found = parse_header(code, f, index + 1);
        return true;
      }
    }
    return false;
  });
  return found;
}

namespace {

enum class Lang : uint8_t { kGo, kC };

void find_c_lock_calls(std::string_view code, int line, std::vector<LockCall>& out,
                       std::vector<std::pair<std::string, std::string>>& guards);

// The lock calls on the path from a function's header to `line`: those in the body and in blocks
// still open at `line`. A block closed before it (an if that returned, a loop) tells nothing
// certain, so its calls are dropped with it: "if err { mu.Unlock(); return }" does not release
// on the way on. Nested function literals (Go func, C++ lambdas) run elsewhere: skipped.
std::vector<LockCall> locks_held_at(const std::vector<std::string_view>& lines, int header_line,
                                    int line, Lang lang) {
  struct Event {
    LockCall call;
    int depth;
  };
  std::vector<Event> events;
  std::vector<std::pair<std::string, std::string>> guards;  // C++ guard variable → mutex
  int depth = 0;
  int skip_depth = -1;  // inside a nested function literal opened at this depth
  bool literal_pending = false;
  bool in_body = false;
  std::string segment;
  auto flush = [&](int at_line) {
    std::vector<LockCall> found;
    if (lang == Lang::kGo) {
      find_lock_calls(segment, at_line, found);
    } else {
      find_c_lock_calls(segment, at_line, found, guards);
    }
    for (LockCall& call : found) events.push_back({std::move(call), depth});
    segment.clear();
  };
  for (int i = header_line - 1; i < line - 1 && i < static_cast<int>(lines.size()); ++i) {
    std::string code = strip_code(lines[i]);
    for (size_t pos = 0; pos < code.size(); ++pos) {
      char c = code[pos];
      if (!in_body) {  // the header: up to the body's opening brace
        if (c == '{') in_body = true;
        continue;
      }
      if (skip_depth >= 0) {
        if (c == '{') ++depth;
        if (c == '}' && --depth == skip_depth) skip_depth = -1;
        continue;
      }
      if (lang == Lang::kGo && c == 'f' && keyword_at(code, pos, "func")) literal_pending = true;
      if (lang == Lang::kC && c == ']') {
        size_t next = code.find_first_not_of(' ', pos + 1);
        if (next != std::string::npos && (code[next] == '(' || code[next] == '{')) {
          literal_pending = true;  // a C++ lambda: "[…](…) {" or "[…] {"
        }
      }
      if (c == ';') literal_pending = false;
      if (c == '{') {
        flush(i + 1);
        if (literal_pending) {
          literal_pending = false;
          skip_depth = depth++;
          continue;
        }
        ++depth;
        continue;
      }
      if (c == '}') {
        flush(i + 1);
        --depth;
        while (!events.empty() && events.back().depth > depth) events.pop_back();
        continue;
      }
      segment += c;
    }
    segment += ' ';
    flush(i + 1);
  }
  // Replay: a lock is held from its Lock until a release of the same expression that is not
  // deferred (a deferred one runs on return, after the frame's line).
  std::vector<LockCall> held;
  for (const Event& e : events) {
    const LockCall& call = e.call;
    if (!call.release) {
      held.push_back(call);
      continue;
    }
    if (call.deferred) continue;
    for (size_t k = held.size(); k-- > 0;) {
      if (held[k].expression == call.expression && held[k].shared == call.shared) {
        held.erase(held.begin() + static_cast<std::ptrdiff_t>(k));
        break;
      }
    }
  }
  return held;
}

}  // namespace

std::vector<LockCall> go_locks_held_at(const std::vector<std::string_view>& lines,
                                       const GoFunction& fn, int line) {
  return locks_held_at(lines, fn.header_line, line, Lang::kGo);
}

std::optional<LockCall> go_lock_call_on(const std::vector<std::string_view>& lines, int line) {
  if (line < 1 || line > static_cast<int>(lines.size())) return std::nullopt;
  std::vector<LockCall> calls;
  find_lock_calls(strip_code(lines[line - 1]), line, calls);
  for (const LockCall& call : calls) {
    if (!call.release) return call;
  }
  return std::nullopt;
}

bool go_declares_local(const std::vector<std::string_view>& lines, const GoFunction& fn, int line,
                       std::string_view name) {
  for (int i = fn.header_line; i < line - 1 && i < static_cast<int>(lines.size()); ++i) {
    std::string code = strip_code(lines[i]);
    std::string_view view = code;
    size_t define = view.find(":=");
    if (define != std::string_view::npos) {
      std::string_view lhs = view.substr(0, define);
      if (size_t f = lhs.find("for "); f != std::string_view::npos) lhs = lhs.substr(f + 4);
      for (const std::string& item : split_top(lhs)) {
        if (item == name) return true;
      }
    }
    std::string trimmed = trim_copy(view);
    if (trimmed.rfind("var ", 0) == 0) {
      std::string_view decl = std::string_view(trimmed).substr(4);
      if (decl.substr(0, name.size()) == name &&
          (decl.size() == name.size() || !is_ident(decl[name.size()]))) {
        return true;
      }
    }
  }
  return false;
}

std::optional<GoCall> go_call_on(const std::vector<std::string_view>& lines, int line,
                                 std::string_view callee) {
  if (line < 1 || line > static_cast<int>(lines.size()) || callee.empty()) return std::nullopt;
  std::string code = strip_code(lines[line - 1]);
  for (size_t pos = code.find(callee); pos != std::string::npos; pos = code.find(callee, pos + 1)) {
    size_t open = pos + callee.size();
    if (open >= code.size() || code[open] != '(') continue;
    if (pos > 0 && is_ident(code[pos - 1])) continue;
    GoCall call;
    if (pos > 0 && code[pos - 1] == '.') {
      size_t start = pos - 1;
      while (start > 0 && (is_ident(code[start - 1]) || code[start - 1] == '.')) --start;
      call.receiver = code.substr(start, pos - 1 - start);
    }
    call.args = split_top(paren_body(code, open));
    return call;
  }
  return std::nullopt;
}

}  // namespace dla

// --- C and C++ ----------------------------------------------------------------------------------

namespace dla {

namespace {

// "&from->lock" → "from.lock"; "(*self).mu" → "self.mu"; "&m_alpha" → "m_alpha".
std::string normalize_c_expression(std::string_view e) {
  std::string out;
  for (size_t i = 0; i < e.size(); ++i) {
    char c = e[i];
    if (c == ' ' || c == '\t' || c == '&' || c == '(' || c == ')' || c == '*') continue;
    if (c == '-' && i + 1 < e.size() && e[i + 1] == '>') {
      out += '.';
      ++i;
      continue;
    }
    out += c;
  }
  return out;
}

bool is_c_expression(std::string_view e) {
  if (e.empty() || !(std::isalpha(static_cast<unsigned char>(e[0])) || e[0] == '_')) return false;
  for (char c : e) {
    if (!(is_ident(c) || c == '.' || c == '[' || c == ']')) return false;
  }
  return true;
}

const RE2& c_function_call_re() {
  static const RE2 re(
      R"re(\b(pthread_mutex_lock|pthread_mutex_timedlock|pthread_mutex_clocklock|pthread_mutex_unlock|pthread_rwlock_wrlock|pthread_rwlock_rdlock|pthread_rwlock_timedwrlock|pthread_rwlock_timedrdlock|pthread_rwlock_clockwrlock|pthread_rwlock_clockrdlock|pthread_rwlock_unlock|pthread_spin_lock|pthread_spin_unlock|mtx_lock|mtx_timedlock|mtx_unlock)\s*\(\s*([^,)]*(?:\([^)]*\))?[^,)]*))re");
  return re;
}
const RE2& c_guard_re() {
  static const RE2 re(
      R"re(\b(?:std::)?(lock_guard|unique_lock|scoped_lock|shared_lock)\b\s*(?:<[^>]*>)?\s*([A-Za-z_]\w*)\s*[({]\s*([^,)}]*))re");
  return re;
}
const RE2& c_member_call_re() {
  static const RE2 re(
      R"re(([A-Za-z_][\w]*(?:\s*(?:\.|->)\s*[A-Za-z_]\w*)*)\s*(?:\.|->)\s*(lock_shared|unlock_shared|lock|unlock)\s*\(\s*\))re");
  return re;
}

// One kind of call per pattern; the calls of a line are put back in the order they stand.
void find_c_lock_calls(std::string_view code, int line, std::vector<LockCall>& out,
                       std::vector<std::pair<std::string, std::string>>& guards) {
  struct Found {
    size_t at;
    LockCall call;
  };
  std::vector<Found> found;
  auto offset = [&](const re2::StringPiece& piece) {
    return static_cast<size_t>(piece.data() - code.data());
  };
  re2::StringPiece input(code.data(), code.size());
  std::string function, argument;
  re2::StringPiece whole;
  static const RE2 fn_with_start("(" + c_function_call_re().pattern() + ")");
  while (RE2::FindAndConsume(&input, fn_with_start, &whole, &function, &argument)) {
    LockCall call;
    call.expression = normalize_c_expression(argument);
    call.line = line;
    call.release = function.find("unlock") != std::string::npos;
    call.shared = function.find("rdlock") != std::string::npos;
    if (is_c_expression(call.expression)) found.push_back({offset(whole), std::move(call)});
  }
  input = re2::StringPiece(code.data(), code.size());
  std::string kind, guard;
  static const RE2 guard_with_start("(" + c_guard_re().pattern() + ")");
  while (RE2::FindAndConsume(&input, guard_with_start, &whole, &kind, &guard, &argument)) {
    LockCall call;
    call.expression = normalize_c_expression(argument);
    call.line = line;
    call.shared = kind == "shared_lock";
    if (!is_c_expression(call.expression)) continue;
    guards.emplace_back(guard, call.expression);
    found.push_back({offset(whole), std::move(call)});
  }
  input = re2::StringPiece(code.data(), code.size());
  std::string object, method;
  static const RE2 member_with_start("(" + c_member_call_re().pattern() + ")");
  while (RE2::FindAndConsume(&input, member_with_start, &whole, &object, &method)) {
    LockCall call;
    call.expression = normalize_c_expression(object);
    call.line = line;
    call.release = method.find("unlock") != std::string::npos;
    call.shared = method.find("shared") != std::string::npos;
    // guard.unlock() / guard.lock() act on the guard's mutex.
    for (const auto& [name, mutex] : guards) {
      if (name == call.expression) call.expression = mutex;
    }
    if (is_c_expression(call.expression)) found.push_back({offset(whole), std::move(call)});
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const Found& a, const Found& b) { return a.at < b.at; });
  for (Found& f : found) out.push_back(std::move(f.call));
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

bool is_control_keyword(std::string_view word) {
  for (std::string_view k : {"if", "for", "while", "switch", "catch", "do", "else", "return"}) {
    if (word == k) return true;
  }
  return false;
}

}  // namespace

std::optional<CFunction> c_function_at(const std::vector<std::string_view>& lines, int line) {
  std::optional<CFunction> found;
  for_each_enclosing_brace(lines, line, [&](const std::string& code, size_t pos, int i) {
    // Its header: the text before it, on this line or, for a brace on a line of its own, on the
    // lines above, up to the previous statement.
    std::string header = code.substr(0, pos);
    int header_line = i + 1;
    for (int k = i - 1; k >= 0 && trim_blanks(header).empty() && k >= i - 4; --k) {
      header = strip_code(lines[k]) + " " + header;
      header_line = k + 1;
    }
    std::string_view h = trim_blanks(header);
    if (size_t close = h.find_last_of(')'); close != std::string_view::npos) {
      std::string_view after = trim_blanks(h.substr(close + 1));
      // trailing qualifiers only: "const", "noexcept", "override", "final", "&"
      bool qualifiers =
          after.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_ &") ==
          std::string_view::npos;
      if (qualifiers) h = h.substr(0, close + 1);
    }
    if (h.empty() || h.back() != ')') return false;  // a struct, an initializer: go on outward
    // The parameter list: the balanced parentheses at the end.
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
    size_t name_start = before.size();
    while (name_start > 0 && (is_ident(before[name_start - 1]) || before[name_start - 1] == ':' ||
                              before[name_start - 1] == '~')) {
      --name_start;
    }
    std::string_view name = before.substr(name_start);
    if (name.empty() || is_control_keyword(name) || before.ends_with("]")) return false;
    CFunction fn;
    fn.header_line = header_line;
    for (std::string_view param : split_top_level(h.substr(open + 1, h.size() - open - 2))) {
      std::string p = c_param_name(param);
      if (!p.empty() && p != "void") fn.params.push_back(p);
    }
    found = fn;
    return true;
  });
  return found;
}

std::vector<LockCall> c_locks_held_at(const std::vector<std::string_view>& lines,
                                      const CFunction& fn, int line) {
  return locks_held_at(lines, fn.header_line, line, Lang::kC);
}

std::optional<LockCall> c_lock_call_on(const std::vector<std::string_view>& lines, int line) {
  if (line < 1 || line > static_cast<int>(lines.size())) return std::nullopt;
  std::vector<LockCall> calls;
  std::vector<std::pair<std::string, std::string>> guards;
  find_c_lock_calls(strip_code(lines[line - 1]), line, calls, guards);
  for (const LockCall& call : calls) {
    if (!call.release) return call;
  }
  return std::nullopt;
}

bool c_declares_local(const std::vector<std::string_view>& lines, const CFunction& fn, int line,
                      std::string_view name) {
  // "T name;", "T name = …", "T *name", "T name(…)", "for (T name = …": a type, then the name.
  std::string pattern = R"re((?:^|[;{(,]\s*)(?:const\s+)?[A-Za-z_][\w:<>,]*[\s*&]+)re" +
                        RE2::QuoteMeta(std::string(name)) + R"re(\s*(?:[;=({\[,)]|$))re";
  RE2 declares(pattern);
  for (int i = fn.header_line; i < line - 1 && i < static_cast<int>(lines.size()); ++i) {
    if (RE2::PartialMatch(strip_code(lines[i]), declares)) return true;
  }
  return false;
}

bool c_declares_global(const std::vector<std::string_view>& lines, std::string_view name) {
  std::string pattern = R"re(^[A-Za-z_][\w:<>, ]*[\s*&]+)re" + RE2::QuoteMeta(std::string(name)) +
                        R"re(\s*(?:[;=\[{]|$))re";
  RE2 declares(pattern);
  for (std::string_view line : lines) {
    if (!line.empty() && line[0] != ' ' && line[0] != '\t' && line[0] != '#' &&
        RE2::PartialMatch(strip_code(line), declares)) {
      return true;
    }
  }
  return false;
}

}  // namespace dla
