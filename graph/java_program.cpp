// The Java program's classes and fields, read from every .java under --source-root, and the
// proof that a class has exactly one instance (see graph/java_program.h).
#include "graph/java_program.h"

#include <re2/re2.h>

#include <algorithm>
#include <functional>

#include "graph/source_code.h"
#include "graph/text_util.h"

namespace dla::java {

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

bool word_at(std::string_view s, size_t pos, std::string_view w) {
  if (s.substr(pos, w.size()) != w) return false;
  if (pos > 0 && is_ident(s[pos - 1])) return false;
  return pos + w.size() >= s.size() || !is_ident(s[pos + w.size()]);
}

std::string simple_type(std::string_view t) {
  t = trim_blanks(t);
  if (size_t lt = t.find('<'); lt != std::string_view::npos) t = t.substr(0, lt);
  t = trim_blanks(t);
  if (t.find('[') != std::string_view::npos) return {};
  if (size_t dot = t.rfind('.'); dot != std::string_view::npos) t = t.substr(dot + 1);
  return std::string(t);
}

Program::Program(SourceFiles& sources) : files_(sources.all_java()) {
  static const RE2 kDecl(R"re(\b(class|interface|enum|record)\s+([A-Za-z_$][\w$]*))re");
  for (const SourceText* f : files_) {
    for (size_t i = 0; i < f->code.size(); ++i) {
      re2::StringPiece in(f->code[i]);
      std::string kind, name;
      while (RE2::FindAndConsume(&in, kDecl, &kind, &name)) {
        size_t col = static_cast<size_t>(in.data() - f->code[i].data());
        add_class(*f, static_cast<int>(i), col, kind, name);
      }
    }
  }
}

// The one class of that simple name, or nullptr (none, or several: no identity by name).
ClassInfo* Program::find(std::string_view name) {
  auto [lo, hi] = classes_.equal_range(std::string(name));
  if (lo == hi || std::next(lo) != hi) return nullptr;
  return &lo->second;
}

const Field* Program::field(ClassInfo& c, std::string_view name) {
  if (!c.fields_read) read_fields(c);
  auto it = c.fields.find(name);
  return it == c.fields.end() ? nullptr : &it->second;
}

// The innermost class whose body holds `line` (1-based) of `file`, or nullptr.
ClassInfo* Program::class_at(const SourceText& file, int line) {
  ClassInfo* best = nullptr;
  for (auto& [name, c] : classes_) {
    if (c.file != &file || c.body_line + 1 > line || c.end_line + 1 < line) continue;
    if (best == nullptr || c.body_line > best->body_line) best = &c;
  }
  return best;
}

// Whether the program holds exactly one instance of class `name` (see resolve_java.h).
bool Program::single(std::string_view name, int depth) {
  if (depth > 4 || !complete_) return false;
  std::string key(name);
  if (auto it = single_.find(key); it != single_.end()) return it->second;
  single_[key] = false;  // while deciding: a cycle of field initializers proves nothing
  bool result = decide_single(key, depth);
  single_[key] = result;
  return result;
}

void Program::add_class(const SourceText& f, int line, size_t col, const std::string& kind,
                        const std::string& name) {
  // The body's '{' on this line or the next few; a ';' first means no body (a declaration).
  for (size_t i = static_cast<size_t>(line); i < f.code.size() && i < static_cast<size_t>(line) + 6;
       ++i) {
    const std::string& code = f.code[i];
    for (size_t c = i == static_cast<size_t>(line) ? col : 0; c < code.size(); ++c) {
      if (code[c] == ';' || (code[c] == '(' && kind != "record")) return;
      if (code[c] != '{') continue;
      ClassInfo info;
      info.file = &f;
      info.name = name;
      info.body_line = static_cast<int>(i);
      info.body_col = c;
      info.is_interface = kind == "interface";
      std::string header;
      for (size_t k = static_cast<size_t>(line); k <= i; ++k) {
        size_t from = k == static_cast<size_t>(line) ? col - name.size() : 0;
        size_t to = k == i ? c : f.code[k].size();
        header += f.code[k].substr(from, to - from) + " ";
      }
      info.header = header;
      info.end_line = end_of_block(f, static_cast<int>(i), c);
      classes_.emplace(name, std::move(info));
      return;
    }
  }
}

int Program::end_of_block(const SourceText& f, int line, size_t col) {
  int depth = 0;
  for (size_t i = static_cast<size_t>(line); i < f.code.size(); ++i) {
    const std::string& code = f.code[i];
    for (size_t c = i == static_cast<size_t>(line) ? col : 0; c < code.size(); ++c) {
      if (code[c] == '{') ++depth;
      if (code[c] == '}' && --depth == 0) return static_cast<int>(i);
    }
  }
  return static_cast<int>(f.code.size()) - 1;
}

// Top-level statements of the body that end in ';': the fields.
void Program::read_fields(ClassInfo& c) {
  c.fields_read = true;
  const SourceText& f = *c.file;
  int depth = 0;
  std::string stmt;
  int stmt_line = -1;
  for (int i = c.body_line; i <= c.end_line && i < static_cast<int>(f.code.size()); ++i) {
    const std::string& code = f.code[static_cast<size_t>(i)];
    size_t from = i == c.body_line ? c.body_col : 0;
    for (size_t k = from; k < code.size(); ++k) {
      char ch = code[k];
      if (ch == '{') {
        ++depth;
        if (depth == 2 && !stmt_opens_initializer(stmt)) stmt.clear();
        if (depth >= 2) {
          if (!stmt.empty()) stmt += ch;
          continue;
        }
        continue;
      }
      if (ch == '}') {
        --depth;
        if (depth >= 1 && !stmt.empty()) stmt += ch;
        if (depth == 1 && stmt.empty()) stmt_line = -1;
        continue;
      }
      if (depth != 1) {
        if (depth > 1 && !stmt.empty()) stmt += ch;
        continue;
      }
      if (ch == ';') {
        add_field(c, stmt, stmt_line);
        stmt.clear();
        stmt_line = -1;
        continue;
      }
      if (stmt.empty() && (ch == ' ' || ch == '\t')) continue;
      if (stmt.empty()) stmt_line = i;
      stmt += ch;
    }
    if (!stmt.empty()) stmt += ' ';
  }
}

// "int[] a = {1, 2}" and "X x = new X() {" keep their braces in the statement.
bool Program::stmt_opens_initializer(const std::string& stmt) {
  return stmt.find('=') != std::string::npos && stmt.find('(') == std::string::npos
             ? true
             : stmt.find('=') != std::string::npos && stmt.find(" new ") != std::string::npos;
}

void Program::add_field(ClassInfo& c, std::string stmt, int line) {
  // Annotations go; "a, b" declarators are not read (no field named by them is found).
  static const RE2 kAnnotation(R"re(@[\w.]+(\([^)]*\))?)re");
  RE2::GlobalReplace(&stmt, kAnnotation, "");
  std::string_view s = trim_blanks(stmt);
  std::string_view lhs = s, init;
  int paren = 0;
  for (size_t k = 0; k < s.size(); ++k) {
    if (s[k] == '(' || s[k] == '<') ++paren;
    if (s[k] == ')' || s[k] == '>') --paren;
    if (s[k] == '=' && paren == 0) {
      lhs = trim_blanks(s.substr(0, k));
      init = trim_blanks(s.substr(k + 1));
      break;
    }
  }
  if (lhs.find('(') != std::string_view::npos || lhs.find(',') != std::string_view::npos) return;
  size_t end = lhs.size();
  size_t start = end;
  while (start > 0 && is_ident(lhs[start - 1])) --start;
  if (start == end) return;
  std::string name(lhs.substr(start));
  std::string_view rest = trim_blanks(lhs.substr(0, start));
  Field fld;
  fld.line = line + 1;
  fld.init = std::string(init);
  for (std::string_view m :
       {"public", "private", "protected", "static", "final", "volatile", "transient"}) {
    for (size_t pos = rest.find(m); pos != std::string_view::npos; pos = rest.find(m, pos + 1)) {
      if (!word_at(rest, pos, m)) continue;
      if (m == "static") fld.is_static = true;
      if (m == "final") fld.is_final = true;
    }
  }
  // The type: what is left after the modifiers.
  std::string type(rest);
  for (std::string_view m :
       {"public", "private", "protected", "static", "final", "volatile", "transient"}) {
    for (size_t pos = type.find(m); pos != std::string::npos; pos = type.find(m)) {
      if (!word_at(type, pos, m)) break;
      type.erase(pos, m.size());
    }
  }
  fld.type = simple_type(type);
  if (c.is_interface) fld.is_static = fld.is_final = true;
  c.fields.emplace(std::move(name), std::move(fld));
}

bool Program::decide_single(const std::string& name, int depth) {
  ClassInfo* c = find(name);
  if (c == nullptr || c->is_interface) return false;
  // No subclass in the program, no constructor reference.
  const RE2 sub("\\b(extends|implements)\\b[^{]*\\b" + RE2::QuoteMeta(name) + "\\b");
  auto [lo, hi] = std::make_pair(classes_.begin(), classes_.end());
  for (auto it = lo; it != hi; ++it) {
    if (RE2::PartialMatch(it->second.header, sub)) return false;
  }
  const RE2 site("\\bnew\\s+(?:[\\w$]+\\s*\\.\\s*)*" + RE2::QuoteMeta(name) +
                 "\\s*(?:<[^>]*>)?\\s*\\(");
  const RE2 ref("\\b" + RE2::QuoteMeta(name) + "\\s*::\\s*new\\b");
  const SourceText* site_file = nullptr;
  int site_line = 0;
  size_t site_col = 0;
  int sites = 0;
  for (const SourceText* f : files_) {
    for (size_t i = 0; i < f->code.size(); ++i) {
      if (RE2::PartialMatch(f->code[i], ref)) return false;
      re2::StringPiece in(f->code[i]);
      re2::StringPiece before = in;
      while (RE2::FindAndConsume(&in, site)) {
        ++sites;
        site_file = f;
        site_line = static_cast<int>(i);
        site_col = static_cast<size_t>(in.data() - before.data());
      }
    }
  }
  if (sites != 1) return false;
  return runs_once(*site_file, site_line, site_col, depth);
}

// Whether code at (line, col) runs at most once in the process.
bool Program::runs_once(const SourceText& f, int line, size_t col, int depth) {
  // A braceless loop around it ("for (…) x = new C();"): a loop word in its statement's text,
  // on its line or the lines of the statement above it.
  std::string statement = f.code[static_cast<size_t>(line)].substr(0, col);
  for (int k = line - 1; k >= 0 && k >= line - 4; --k) {
    std::string_view above = trim_blanks(f.code[static_cast<size_t>(k)]);
    if (above.empty() || above.back() == ';' || above.back() == '{' || above.back() == '}') break;
    statement = f.code[static_cast<size_t>(k)] + " " + statement;
  }
  for (std::string_view loop : {"for", "while", "do"}) {
    for (size_t at = statement.find(loop); at != std::string::npos;
         at = statement.find(loop, at + 1)) {
      if (word_at(statement, at, loop)) return false;
    }
  }
  int d = 0;
  for (int i = line; i >= 0; --i) {
    const std::string& code = f.code[static_cast<size_t>(i)];
    size_t start = i == line ? std::min(col, code.size()) : code.size();
    for (size_t pos = start; pos-- > 0;) {
      char ch = code[pos];
      if (ch == '}') ++d;
      if (ch != '{') continue;
      if (d > 0) {
        --d;
        continue;
      }
      // An enclosing block: what opens it?
      std::string head = code.substr(0, pos);
      if (trim_blanks(head).empty() && i > 0) head = f.code[static_cast<size_t>(i - 1)];
      std::string_view h = trim_blanks(head);
      if (h.ends_with("->")) return false;  // a lambda: runs whenever it is called
      for (std::string_view loop : {"for", "while", "do"}) {
        size_t at = h.find(loop);
        while (at != std::string_view::npos && !word_at(h, at, loop)) at = h.find(loop, at + 1);
        if (at != std::string_view::npos) return false;
      }
      if (h.ends_with("static")) return true;  // a static initializer
      for (auto it = classes_.begin(); it != classes_.end(); ++it) {
        ClassInfo& c = it->second;
        if (c.file != &f || c.body_line != i || c.body_col != pos) continue;
        // A field initializer of class c: once per class (static) or per instance.
        std::string_view stmt = trim_blanks(f.code[static_cast<size_t>(line)]);
        if (stmt.find("static ") != std::string_view::npos) return true;
        return single(c.name, depth + 1);
      }
      if (h.ends_with(")") || h.find(") throws ") != std::string_view::npos) {
        std::optional<FunctionScope> fn = function_at(L::kJava, f, i + 1);
        if (fn && fn->body_line == i + 1 && fn->body_column == pos && !fn->literal) {
          if (fn->name == "main" && h.find("static") != std::string_view::npos) {
            return main_called_once();
          }
          // A constructor: once per instance of its class.
          for (auto it = classes_.begin(); it != classes_.end(); ++it) {
            ClassInfo& c = it->second;
            if (c.file == &f && c.name == fn->name && c.body_line <= i && i <= c.end_line) {
              return single(c.name, depth + 1);
            }
          }
          return false;  // any other method may be called many times
        }
        // if/try/catch/synchronized blocks: look further out.
        if (h.find("new ") != std::string_view::npos && !keyword_block(h)) return false;
      }
    }
  }
  return false;
}

bool Program::keyword_block(std::string_view h) {
  for (std::string_view k : {"if", "else", "try", "catch", "finally", "synchronized", "switch"}) {
    if (h.starts_with(k) && (h.size() == k.size() || !is_ident(h[k.size()]))) return true;
    if (h.starts_with("}")) return true;
  }
  return false;
}

// main runs once: the JVM calls it, and the program never does.
bool Program::main_called_once() {
  static const RE2 kMain(R"re(\bmain\s*\()re");
  int count = 0;
  for (const SourceText* f : files_) {
    for (const std::string& code : f->code) {
      re2::StringPiece in(code);
      while (RE2::FindAndConsume(&in, kMain)) ++count;
    }
  }
  return count == 1;
}

}  // namespace dla::java
