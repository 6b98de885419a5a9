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
  std::vector<size_t> slashes;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '/') slashes.push_back(i);
  }
  for (const std::string& dir : search_dirs_) {
    for (size_t k = 0; k + 1 < slashes.size(); ++k) {
      candidates.push_back(dir + std::string(path.substr(slashes[k])));
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
std::string strip_go(std::string_view line) {
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
    if (c == '"' || c == '`' || c == '\'') quote = c;
  }
  return out;
}

bool keyword_at(std::string_view s, size_t pos, std::string_view word) {
  if (s.substr(pos, word.size()) != word) return false;
  if (pos > 0 && is_ident(s[pos - 1])) return false;
  size_t end = pos + word.size();
  return end >= s.size() || !is_ident(s[end]);
}

std::string trim_copy(std::string_view s) { return std::string(trim_blanks(s)); }

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
  int depth = 0;
  for (int i = std::min<int>(line, static_cast<int>(lines.size())) - 1; i >= 0; --i) {
    std::string code = strip_go(lines[i]);
    // Only the part of the frame's own line before its end could open a block around it.
    for (size_t pos = code.size(); pos-- > 0;) {
      char c = code[pos];
      if (c == '}') ++depth;
      if (c != '{') continue;
      if (depth > 0) {
        --depth;
        continue;
      }
      // An unclosed '{' before the line: the block around it. Is it a function's?
      for (size_t f = code.rfind("func", pos); f != std::string::npos;
           f = f == 0 ? std::string::npos : code.rfind("func", f - 1)) {
        if (keyword_at(code, f, "func")) return parse_header(code, f, i + 1);
      }
    }
  }
  return std::nullopt;
}

std::vector<LockCall> go_locks_held_at(const std::vector<std::string_view>& lines,
                                       const GoFunction& fn, int line) {
  // Lock calls on the path to `line`: those in the function body and in blocks still open at
  // `line`. A block closed before it (an if that returned, a loop) tells nothing certain, so its
  // calls are dropped with it: "if err { mu.Unlock(); return }" does not release on the way on.
  struct Event {
    LockCall call;
    int depth;
  };
  std::vector<Event> events;
  int depth = 0;
  int skip_depth = -1;  // inside a nested function literal opened at this depth
  bool literal_pending = false;
  bool in_body = false;
  std::string segment;
  auto flush = [&](int at_line) {
    std::vector<LockCall> found;
    find_lock_calls(segment, at_line, found);
    for (LockCall& call : found) events.push_back({std::move(call), depth});
    segment.clear();
  };
  for (int i = fn.header_line - 1; i < line - 1 && i < static_cast<int>(lines.size()); ++i) {
    std::string code = strip_go(lines[i]);
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
      if (c == 'f' && keyword_at(code, pos, "func")) literal_pending = true;
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
  // Replay: a lock is held from its Lock until an Unlock of the same expression that is not
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

std::optional<LockCall> go_lock_call_on(const std::vector<std::string_view>& lines, int line) {
  if (line < 1 || line > static_cast<int>(lines.size())) return std::nullopt;
  std::vector<LockCall> calls;
  find_lock_calls(strip_go(lines[line - 1]), line, calls);
  for (const LockCall& call : calls) {
    if (!call.release) return call;
  }
  return std::nullopt;
}

bool go_declares_local(const std::vector<std::string_view>& lines, const GoFunction& fn, int line,
                       std::string_view name) {
  for (int i = fn.header_line; i < line - 1 && i < static_cast<int>(lines.size()); ++i) {
    std::string code = strip_go(lines[i]);
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
  std::string code = strip_go(lines[line - 1]);
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
