// What the source says about names (source_code.h): local declarations and aliases,
// assignments, file globals, Go packages and imports, class members and the arguments of a
// call; with the small scanners the source readers share (graph/source_scan.h). Functions are
// found in graph/source_functions.cpp, locks held in graph/source_blocks.cpp.
#include "graph/source_code.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "graph/source_scan.h"
#include "graph/text_util.h"

namespace dla {

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

bool is_control_keyword(std::string_view word) {
  for (std::string_view k : {"if", "for", "while", "switch", "catch", "do", "else", "return",
                             "sizeof", "alignof", "decltype", "synchronized", "try"}) {
    if (word == k) return true;
  }
  return false;
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
