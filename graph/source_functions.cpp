// Functions in source text (source_code.h): the Go and the C/C++/Java function around a line,
// its header (name, receiver, parameters), the definitions of a name, where a statement and a
// body end.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "graph/source_code.h"
#include "graph/source_scan.h"
#include "graph/text_util.h"

namespace dla {

namespace {

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

}  // namespace

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

}  // namespace dla
