#include "graph/resolve_java.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "graph/analysis.h"
#include "graph/lock_idioms.h"
#include "graph/resolve_hotspot.h"
#include "graph/snapshot_builder.h"
#include "graph/source_code.h"
#include "graph/text_util.h"

namespace dla {

namespace {

using L = SourceLanguage;

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

bool word_at(std::string_view s, size_t pos, std::string_view w) {
  if (s.substr(pos, w.size()) != w) return false;
  if (pos > 0 && is_ident(s[pos - 1])) return false;
  return pos + w.size() >= s.size() || !is_ident(s[pos + w.size()]);
}

// "java.util.List<String>" → "List"; "Foo[]" → "" (an array is no class of the program).
std::string simple_type(std::string_view t) {
  t = trim_blanks(t);
  if (size_t lt = t.find('<'); lt != std::string_view::npos) t = t.substr(0, lt);
  t = trim_blanks(t);
  if (t.find('[') != std::string_view::npos) return {};
  if (size_t dot = t.rfind('.'); dot != std::string_view::npos) t = t.substr(dot + 1);
  return std::string(t);
}

// --- Runtime knowledge: which signal releases which wait, and which threads run no program code.

struct SignalRow {
  std::string_view blocker;  // the park blocker's class, or the waiting frame's function
  std::array<std::string_view, 2> signals;
  std::string_view what;  // for messages
};
// java.util.concurrent (JDK 8–21) and java.lang.Object.
constexpr std::array kSignals = {
    SignalRow{"java.util.concurrent.CountDownLatch$Sync", {"countDown", ""}, "countDown()"},
    SignalRow{"java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject",
              {"signal", "signalAll"},
              "signal()"},
    SignalRow{"java.util.concurrent.locks.AbstractQueuedLongSynchronizer$ConditionObject",
              {"signal", "signalAll"},
              "signal()"},
    // Object.wait(): "- waiting on <…>" under java.lang.Object.wait.
    SignalRow{"java.lang.Object.wait", {"notify", "notifyAll"}, "notify()"},
};

// Calls that wake any waiting thread, whatever it waits for: an interrupt makes await() and
// wait() throw. "Thread.currentThread().interrupt()" interrupts only the caller and is not one.
constexpr std::array<std::string_view, 3> kWakeAnyone = {"interrupt", "shutdownNow", "stop"};

// Waits the JVM itself ends: Thread.join waits on the Thread object, which the VM notifies when
// that thread terminates; no program call is needed.
constexpr std::array<std::string_view, 1> kVmNotified = {"java.lang.Thread.join"};

const SignalRow* signal_row(const Snapshot& s, const WaitEdge& w) {
  std::string_view type = s.str(s.resources[w.resource].type);
  std::string_view function =
      w.frame != kNone ? s.str(s.frames[w.frame].function) : std::string_view{};
  for (const SignalRow& row : kSignals) {
    if (row.blocker == type || row.blocker == function) return &row;
  }
  return nullptr;
}

// Threads HotSpot starts for itself (JDK 8–21): they run no program code, except the finalizer
// and the common cleaner, which run the program's finalize() methods and cleaning actions.
struct SystemThreadRow {
  std::string_view name;                  // exact, or a prefix when it ends in '*'
  std::string_view runs_program_code_if;  // source text that makes it run program code
};
constexpr std::array kSystemThreads = {
    SystemThreadRow{"Reference Handler", ""},
    SystemThreadRow{"Finalizer", "finalize("},
    SystemThreadRow{"Signal Dispatcher", "sun.misc.Signal"},
    SystemThreadRow{"Service Thread", ""},
    SystemThreadRow{"Monitor Deflation Thread", ""},
    SystemThreadRow{"C2 CompilerThread*", ""},
    SystemThreadRow{"C1 CompilerThread*", ""},
    SystemThreadRow{"Sweeper thread", ""},
    SystemThreadRow{"Notification Thread", ""},
    SystemThreadRow{"Common-Cleaner", "Cleaner"},
    SystemThreadRow{"Attach Listener", ""},
    SystemThreadRow{"VM Thread", ""},
    SystemThreadRow{"VM Periodic Task Thread", ""},
    SystemThreadRow{"GC Thread#*", ""},
    SystemThreadRow{"G1 *", ""},
    SystemThreadRow{"DestroyJavaVM", ""},
};

const SystemThreadRow* system_thread(std::string_view name) {
  for (const SystemThreadRow& row : kSystemThreads) {
    if (row.name.ends_with("*") ? name.starts_with(row.name.substr(0, row.name.size() - 1))
                                : name == row.name) {
      return &row;
    }
  }
  return nullptr;
}

// The JDK frames a thread starts from (JDK 8–21): below them it ends when its program code
// returns. Any other JDK frame below the program's (a pool's worker loop) may run more.
constexpr std::array<std::string_view, 3> kThreadEntries = {
    "java.lang.Thread.run", "java.lang.Thread.runWith", "java.lang.VirtualThread.run"};

// Calls after which a thread may run code this reading does not follow.
constexpr std::array<std::string_view, 9> kStartsOtherCode = {
    ".start(",   "execute(",  "submit(",      "invokeAll(",          "invokeAny(",
    "runAsync(", "schedule(", "supplyAsync(", "scheduleAtFixedRate("};

// --- The program: its classes and their fields, from every .java under --source-root.

struct Field {
  std::string type;  // simple name
  std::string init;  // initializer as written, trimmed
  bool is_static = false;
  bool is_final = false;
  int line = 0;
};

struct ClassInfo {
  const SourceText* file = nullptr;
  std::string name;
  int body_line = 0;  // 0-based line and column of the body's '{'
  size_t body_col = 0;
  int end_line = 0;  // 0-based line of the closing '}'
  bool is_interface = false;
  std::string header;  // from the name to the '{': "Foo extends Bar implements Baz"
  bool fields_read = false;
  std::map<std::string, Field, std::less<>> fields;
};

class Program {
 public:
  explicit Program(SourceFiles& sources) : files_(sources.all_java()) {
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

  const std::vector<const SourceText*>& files() const { return files_; }

  // The one class of that simple name, or nullptr (none, or several: no identity by name).
  ClassInfo* find(std::string_view name) {
    auto [lo, hi] = classes_.equal_range(std::string(name));
    if (lo == hi || std::next(lo) != hi) return nullptr;
    return &lo->second;
  }

  const Field* field(ClassInfo& c, std::string_view name) {
    if (!c.fields_read) read_fields(c);
    auto it = c.fields.find(name);
    return it == c.fields.end() ? nullptr : &it->second;
  }

  // The innermost class whose body holds `line` (1-based) of `file`, or nullptr.
  ClassInfo* class_at(const SourceText& file, int line) {
    ClassInfo* best = nullptr;
    for (auto& [name, c] : classes_) {
      if (c.file != &file || c.body_line + 1 > line || c.end_line + 1 < line) continue;
      if (best == nullptr || c.body_line > best->body_line) best = &c;
    }
    return best;
  }

  // Some program frame's file is not under --source-root: code not read may create instances,
  // so no class is proven single.
  void set_incomplete() { complete_ = false; }

  // Whether the program holds exactly one instance of class `name` (see resolve_java.h).
  bool single(std::string_view name, int depth = 0) {
    if (depth > 4 || !complete_) return false;
    std::string key(name);
    if (auto it = single_.find(key); it != single_.end()) return it->second;
    single_[key] = false;  // while deciding: a cycle of field initializers proves nothing
    bool result = decide_single(key, depth);
    single_[key] = result;
    return result;
  }

 private:
  void add_class(const SourceText& f, int line, size_t col, const std::string& kind,
                 const std::string& name) {
    // The body's '{' on this line or the next few; a ';' first means no body (a declaration).
    for (size_t i = static_cast<size_t>(line);
         i < f.code.size() && i < static_cast<size_t>(line) + 6; ++i) {
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

  static int end_of_block(const SourceText& f, int line, size_t col) {
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
  void read_fields(ClassInfo& c) {
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
  static bool stmt_opens_initializer(const std::string& stmt) {
    return stmt.find('=') != std::string::npos && stmt.find('(') == std::string::npos
               ? true
               : stmt.find('=') != std::string::npos && stmt.find(" new ") != std::string::npos;
  }

  static void add_field(ClassInfo& c, std::string stmt, int line) {
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

  bool decide_single(const std::string& name, int depth) {
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
  bool runs_once(const SourceText& f, int line, size_t col, int depth) {
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

  static bool keyword_block(std::string_view h) {
    for (std::string_view k : {"if", "else", "try", "catch", "finally", "synchronized", "switch"}) {
      if (h.starts_with(k) && (h.size() == k.size() || !is_ident(h[k.size()]))) return true;
      if (h.starts_with("}")) return true;
    }
    return false;
  }

  // main runs once: the JVM calls it, and the program never does.
  bool main_called_once() {
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

  std::vector<const SourceText*> files_;
  std::multimap<std::string, ClassInfo> classes_;
  std::map<std::string, bool> single_;
  bool complete_ = true;
};

// --- A frame as the source sees it.

struct JavaFrame {
  const SourceText* file = nullptr;
  std::optional<FunctionScope> fn;
  std::vector<std::string> classes;  // "Warehouse$Auditor" → {"Warehouse", "Auditor"}
  std::string method;                // "audit", "lambda$run$0"
  bool lambda = false;
  bool anonymous = false;  // the innermost class is "$1"
};

struct Key {
  std::string key;
  std::optional<bool> view_shared;  // the expression named a read or write view
  std::string init;                 // the last field's initializer ("new Semaphore(1)")
};

class JavaHolders {
 public:
  JavaHolders(Snapshot& s, SourceFiles& sources) : s_(s), b_(s), src_(sources) {}

  void run() {
    set_wait_modes();
    if (!has_java_frames()) return;
    program_.emplace(src_);
    for (uint32_t f = 0; f < s_.frames.size(); ++f) {
      if (is_app(f) && frame_facts(f).file == nullptr) program_->set_incomplete();
    }
    tie_waiters();
    infer_holds();
    drop_contradictions();
    infer_signallers();
    warn_unresolved();
  }

 private:
  // --- Wait modes: which side of a read/write lock a parked thread asks for (its JDK frames).
  void set_wait_modes() {
    for (WaitEdge& w : s_.waits) {
      Resource& r = s_.resources[w.resource];
      if (r.kind != ResourceKind::kRwlock) continue;
      if (hotspot::queues_readers_behind_writers(s_.str(r.type))) r.writers_first = true;
      const Task& t = s_.tasks[w.task];
      uint32_t end = w.app_frame != kNone ? w.app_frame : t.first_frame + t.frame_count;
      for (uint32_t f = w.frame; f < end; ++f) {
        if (auto shared = hotspot::rwlock_wait_mode(s_.str(s_.frames[f].function))) {
          w.shared = *shared;
          break;
        }
      }
    }
  }

  bool has_java_frames() const {
    for (const Task& t : s_.tasks) {
      if (t.app_frame != kNone) return true;
    }
    return false;
  }

  bool is_app(uint32_t frame) const {
    const Frame& f = s_.frames[frame];
    return f.file != kNoString && f.line > 0 && !hotspot::is_runtime_frame(s_.str(f.function));
  }

  JavaFrame& frame_facts(uint32_t frame) {
    auto [it, inserted] = frames_.try_emplace(frame);
    JavaFrame& jf = it->second;
    if (!inserted) return jf;
    const Frame& f = s_.frames[frame];
    if (!is_app(frame)) return jf;
    std::string_view function = s_.str(f.function);
    size_t dot = function.rfind('.');
    if (dot == std::string_view::npos) return jf;
    jf.method = std::string(function.substr(dot + 1));
    std::string_view cls = function.substr(0, dot);
    if (size_t pkg = cls.rfind('.'); pkg != std::string_view::npos) cls = cls.substr(pkg + 1);
    for (std::string_view part : split(cls, '$')) jf.classes.emplace_back(part);
    jf.lambda = jf.method.starts_with("lambda$");
    jf.anonymous = !jf.classes.empty() && !jf.classes.back().empty() &&
                   std::isdigit(static_cast<unsigned char>(jf.classes.back()[0])) != 0;
    jf.file = src_.find_java(function, s_.str(f.file));
    if (jf.file != nullptr) jf.fn = function_at(L::kJava, *jf.file, f.line, jf.lambda);
    return jf;
  }

  static std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
      if (i == s.size() || s[i] == sep) {
        out.push_back(s.substr(start, i - start));
        start = i + 1;
      }
    }
    return out;
  }

  // The caller of `frame` within its task, when it is program code.
  std::optional<uint32_t> caller_of(uint32_t frame) const {
    for (const Task& t : s_.tasks) {
      if (frame < t.first_frame || frame >= t.first_frame + t.frame_count) continue;
      if (frame + 1 < t.first_frame + t.frame_count && is_app(frame + 1)) return frame + 1;
      return std::nullopt;
    }
    return std::nullopt;
  }

  // The declared type of a local or parameter `name` visible at the frame's line, searched in
  // the frame's function and, for a lambda, the functions around it. nullopt: not a local.
  std::optional<std::string> local_type(uint32_t frame, std::string_view name) {
    JavaFrame& jf = frame_facts(frame);
    int line = s_.frames[frame].line;
    int from = jf.fn->header_line;
    // A lambda sees the effectively final locals of the methods around it.
    std::optional<FunctionScope> outer = jf.fn;
    while (outer && outer->literal && outer->header_line > 1) {
      outer = function_at(L::kJava, *jf.file, outer->header_line - 1);
      if (outer) from = outer->header_line;
    }
    const RE2 decl("([A-Za-z_$][\\w$.]*(?:\\s*<[^;()]*>)?(?:\\s*\\[\\s*\\])*)\\s+" +
                   RE2::QuoteMeta(std::string(name)) + "\\s*(?:=|;|,|\\)|:)");
    std::optional<std::string> found;
    for (int i = from; i <= line && i <= static_cast<int>(jf.file->code.size()); ++i) {
      re2::StringPiece in(jf.file->code[static_cast<size_t>(i - 1)]);
      std::string type;
      while (RE2::FindAndConsume(&in, decl, &type)) {
        std::string t = simple_type(type);
        if (t == "return" || t == "new" || t == "throw" || t == "case" || t == "else") continue;
        if (t == "var") {
          static const RE2 kNew(R"re(=\s*new\s+([\w$.]+))re");
          std::string created;
          t = RE2::PartialMatch(jf.file->code[static_cast<size_t>(i - 1)], kNew, &created)
                  ? simple_type(created)
                  : std::string();
        }
        found = t;
      }
    }
    // A lambda's untyped parameter.
    if (!found &&
        std::find(jf.fn->params.begin(), jf.fn->params.end(), name) != jf.fn->params.end()) {
      found = std::string();
    }
    return found;
  }

  int param_index(const JavaFrame& jf, std::string_view name) const {
    for (size_t k = 0; k < jf.fn->params.size(); ++k) {
      if (jf.fn->params[k] == name) return static_cast<int>(k);
    }
    return -1;
  }

  // The call of `method` at a caller's line, when it is the only call of that name there (two
  // calls of one name on a line could be either).
  std::optional<CallSite> only_call(const SourceText& file, int line, const std::string& method) {
    int count = 0;
    for (int i = line; i >= 1 && i >= line - 4; --i) {
      const std::string& code = file.code[static_cast<size_t>(i - 1)];
      if (i < line) {
        std::string_view t = trim_blanks(code);
        if (t.empty() || t.back() == ';' || t.back() == '{' || t.back() == '}') break;
      }
      for (size_t at = code.find(method); at != std::string::npos; at = code.find(method, at + 1)) {
        size_t open = at + method.size();
        while (open < code.size() && code[open] == ' ') ++open;
        if (word_at(code, at, method) && open < code.size() && code[open] == '(') ++count;
      }
      if (count > 0) break;
    }
    if (count != 1) return std::nullopt;
    return call_on(L::kJava, file, line, method);
  }

  // `this` of class `cls` in the frame: the single instance, or the caller's receiver.
  std::optional<std::string> this_key(uint32_t frame, const std::string& cls, int depth) {
    if (program_->single(cls)) return "single:" + cls;
    JavaFrame& jf = frame_facts(frame);
    if (jf.lambda || jf.anonymous || jf.classes.empty() || jf.classes.back() != cls) {
      return std::nullopt;  // an outer instance, or a lambda called through its interface
    }
    auto caller = caller_of(frame);
    if (!caller) return std::nullopt;
    JavaFrame& cf = frame_facts(*caller);
    if (cf.file == nullptr || !cf.fn) return std::nullopt;
    auto call = only_call(*cf.file, s_.frames[*caller].line, jf.method);
    if (!call) return std::nullopt;
    if (call->receiver.empty()) {
      // "helper()" inside the class: the same this.
      if (!cf.lambda && !cf.classes.empty() && cf.classes.back() == cls) {
        return this_key(*caller, cls, depth + 1);
      }
      return std::nullopt;
    }
    auto k = key_of(*caller, call->receiver, depth + 1);
    if (!k) return std::nullopt;
    return k->key;
  }

  // The key of a lock expression in a frame, or nullopt (and why, in why_).
  std::optional<Key> key_of(uint32_t frame, const std::string& expression, int depth) {
    if (depth > 8) return std::nullopt;
    JavaFrame& jf = frame_facts(frame);
    if (jf.file == nullptr || !jf.fn) return std::nullopt;
    std::vector<std::string_view> parts = split(expression, '.');
    for (std::string_view p : parts) {
      if (p.empty() || !std::all_of(p.begin(), p.end(), is_ident)) {
        why_ = fmt::format("'{}' is not a chain of fields", expression);
        return std::nullopt;
      }
    }
    std::optional<std::string> base;
    std::string cls;  // the class of the object `base` names
    size_t i = 0;
    std::string innermost;
    for (auto it = jf.classes.rbegin(); it != jf.classes.rend(); ++it) {
      if (!it->empty() && std::isdigit(static_cast<unsigned char>((*it)[0])) == 0) {
        innermost = *it;
        break;
      }
    }
    if (parts[0] == "this") {
      if (jf.anonymous) return std::nullopt;
      base = this_key(frame, innermost, depth);
      cls = innermost;
      i = 1;
    } else if (parts.size() >= 2 && parts[1] == "this") {
      cls = std::string(parts[0]);
      base = cls == innermost ? this_key(frame, cls, depth)
                              : (program_->single(cls) ? std::optional<std::string>("single:" + cls)
                                                       : std::nullopt);
      i = 2;
    } else if (auto type = local_type(frame, parts[0])) {
      cls = *type;
      if (!cls.empty() && program_->single(cls)) {
        base = "single:" + cls;
      } else if (int k = param_index(jf, parts[0]);
                 k >= 0 && !jf.lambda &&
                 !assigned_between(L::kJava, *jf.file, jf.fn->body_line - 1,
                                   s_.frames[frame].line + 1, parts[0])) {
        // A parameter: what the caller passed.
        auto caller = caller_of(frame);
        JavaFrame* cf = caller ? &frame_facts(*caller) : nullptr;
        if (cf != nullptr && cf->file != nullptr && cf->fn) {
          auto call = only_call(*cf->file, s_.frames[*caller].line, jf.method);
          if (call && k < static_cast<int>(call->args.size())) {
            std::string arg(trim_blanks(call->args[static_cast<size_t>(k)]));
            if (auto up = key_of(*caller, arg, depth + 1)) base = up->key;
          }
        }
      }
      if (!base) {
        why_ = fmt::format("'{}' is a local or parameter of {} whose object has no identity",
                           parts[0], jf.method);
        return std::nullopt;
      }
      i = 1;
    } else {
      // A field of a class around the code, innermost first; or a class name (static access).
      for (auto it = jf.classes.rbegin(); it != jf.classes.rend(); ++it) {
        if (it->empty() || std::isdigit(static_cast<unsigned char>((*it)[0])) != 0) {
          continue;  // an anonymous class: fields declared in it are not read
        }
        ClassInfo* c = program_->find(*it);
        if (c == nullptr) continue;
        const Field* fld = program_->field(*c, parts[0]);
        if (fld == nullptr) continue;
        cls = *it;
        if (fld->is_static) {
          base = "static:" + cls;
        } else if (jf.anonymous && *it == innermost) {
          // The anonymous class's own fields are not read: a second declaration of the name
          // anywhere in the file may be one of them, and then nothing is claimed.
          const RE2 decl("[\\w>\\]]\\s+" + RE2::QuoteMeta(std::string(parts[0])) + "\\s*[=;]");
          int declarations = 0;
          for (const std::string& code : jf.file->code) {
            re2::StringPiece in(code);
            while (RE2::FindAndConsume(&in, decl)) ++declarations;
          }
          base = declarations == 1 && program_->single(cls)
                     ? std::optional<std::string>("single:" + cls)
                     : std::nullopt;
        } else {
          base = *it == innermost
                     ? this_key(frame, cls, depth)
                     : (program_->single(cls) ? std::optional<std::string>("single:" + cls)
                                              : std::nullopt);
        }
        break;
      }
      if (cls.empty() && program_->find(parts[0]) != nullptr) {
        cls = std::string(parts[0]);
        base = "static:" + cls;
        i = 1;
      }
      if (!base) {
        why_ = cls.empty() ? fmt::format("'{}' is declared nowhere this reading finds", parts[0])
                           : fmt::format(
                                 "no one instance of {} is proven (created at more than "
                                 "one place, or where it may run many times)",
                                 cls);
        return std::nullopt;
      }
    }
    if (!base) return std::nullopt;
    Key out;
    std::string key = *base;
    for (; i < parts.size(); ++i) {
      ClassInfo* c = program_->find(cls);
      const Field* fld = c != nullptr ? program_->field(*c, parts[i]) : nullptr;
      if (fld == nullptr) {
        why_ = fmt::format("field {} of {} not found", parts[i], cls);
        return std::nullopt;
      }
      if (!fld->is_final) {
        why_ = fmt::format("{}.{} is not final: it may name another lock by now", cls, parts[i]);
        return std::nullopt;
      }
      std::string name(parts[i]);
      const Field* target = fld;
      // "private final Lock readLock = rw.readLock();": the field is a view of rw.
      for (const LockView& v : lock_views()) {
        std::string_view init = target->init;
        if (init.size() > v.suffix.size() && init.ends_with(v.suffix)) {
          std::string_view object = trim_blanks(init.substr(0, init.size() - v.suffix.size()));
          if (object.starts_with("this.")) object.remove_prefix(5);
          const Field* of = program_->field(*c, object);
          if (of == nullptr || !of->is_final) return std::nullopt;
          name = std::string(object);
          out.view_shared = v.shared;
          target = of;
          break;
        }
      }
      key += "." + name;
      cls = target->type;
      out.init = target->init;
    }
    out.key = key;
    return out;
  }

  // --- Pass 1: the lock each waiter stands at is keyed by what it waits at.
  static bool target_fits(IdiomTarget target, ResourceKind kind) {
    switch (target) {
      case IdiomTarget::kLock:
        return kind == ResourceKind::kRwlock || kind == ResourceKind::kOwnableSynchronizer;
      case IdiomTarget::kPermit:
        return kind == ResourceKind::kSemaphore;
      case IdiomTarget::kMonitor:
        return kind == ResourceKind::kMonitor;
    }
    return false;
  }

  void tie_waiters() {
    for (const WaitEdge& w : s_.waits) {
      ResourceKind kind = s_.resources[w.resource].kind;
      if (w.app_frame == kNone || !is_app(w.app_frame)) continue;
      if (kind != ResourceKind::kRwlock && kind != ResourceKind::kOwnableSynchronizer &&
          kind != ResourceKind::kSemaphore) {
        continue;
      }
      JavaFrame& jf = frame_facts(w.app_frame);
      if (jf.file == nullptr || !jf.fn) continue;
      const LockCall* found = nullptr;
      std::vector<LockCall> calls =
          lock_calls_on(L::kJava, *jf.file, s_.frames[w.app_frame].line, &*jf.fn);
      for (const LockCall& c : calls) {
        if (c.release || !target_fits(c.target, kind)) continue;
        if (kind == ResourceKind::kRwlock && c.shared != w.shared) continue;
        if (found != nullptr && found->expression != c.expression) {
          found = nullptr;
          break;
        }
        found = &c;
      }
      if (found == nullptr) continue;
      auto k = key_of(w.app_frame, found->expression, 0);
      if (!k) {
        unkeyed_.push_back(fmt::format("{} waits at {}:{} on '{}', but {}",
                                       s_.str(s_.tasks[w.task].id), jf.file->path,
                                       s_.frames[w.app_frame].line, found->expression, why_));
        continue;
      }
      tie(k->key, w.resource);
      Resource& r = s_.resources[w.resource];
      if (r.symbol == kNoString) r.symbol = b_.intern(found->expression);
    }
  }

  void tie(const std::string& key, ResourceIndex r) {
    if (conflicting_.count(key)) return;
    auto [it, inserted] = tie_.try_emplace(key, r);
    if (!inserted && it->second != r) {
      conflicting_.insert(key);  // one key, two locks: the key is not an identity
      tie_.erase(it);
    }
  }

  // --- Lock wrappers: what a call of a program method leaves held or released, in the caller's
  // terms ("lockForRead()" takes this.rw; "guard.acquire()" takes guard.lock). Every definition
  // of the name must agree; a callee's local or parameter names nothing in the caller; a static
  // field is qualified with its class, an instance field with the call's receiver (or, without
  // one, only when the caller is in the same class).
  CallEffects java_effects() {
    return [this](std::string_view callee, const std::string& receiver,
                  const std::vector<std::string>&) { return java_call_effects(callee, receiver); };
  }

  struct WrapperEffect {
    LockCall call;
    std::string cls;  // the callee's class
    bool is_static;   // the expression's root is a static field (or a class)
    bool own_field;   // the root is an instance field of the callee's class
  };

  std::vector<LockCall> java_call_effects(std::string_view callee, const std::string& receiver) {
    for (const LockIdiom& row : lock_idioms()) {
      if (row.language == L::kJava && row.name == callee) return {};
    }
    std::string name(callee);
    auto it = wrappers_.find(name);
    if (it == wrappers_.end()) {
      if (!wrapping_.insert(name).second) return {};  // recursion
      std::optional<std::vector<WrapperEffect>> agreed;
      bool disagree = false;
      for (const SourceText* f : program_->files()) {
        for (const FunctionScope& fn : function_definitions(L::kJava, *f, name)) {
          ClassInfo* c = program_->class_at(*f, fn.header_line);
          std::vector<WrapperEffect> effects;
          for (LockCall& call : net_lock_effects(L::kJava, *f, fn, java_effects())) {
            std::vector<std::string_view> parts = split(call.expression, '.');
            std::string_view root = parts[0];
            WrapperEffect e{call, c != nullptr ? c->name : std::string(), false, false};
            if (root == "this" && parts.size() > 1) {
              e.call.expression = call.expression.substr(5);
              root = parts[1];
            }
            if (std::find(fn.params.begin(), fn.params.end(), root) != fn.params.end() ||
                declares_local(L::kJava, *f, fn, body_end_line(*f, fn), root)) {
              continue;  // the callee's own variable
            }
            const Field* fld = c != nullptr ? program_->field(*c, root) : nullptr;
            if (fld != nullptr) {
              e.is_static = fld->is_static;
              e.own_field = !fld->is_static;
            } else if (program_->find(root) != nullptr) {
              e.is_static = true;  // "Locks.CONFIG_RW"
            } else {
              continue;  // an inherited field or something not read
            }
            effects.push_back(std::move(e));
          }
          if (agreed && !same_effects(*agreed, effects)) disagree = true;
          if (!agreed) agreed = std::move(effects);
        }
      }
      wrapping_.erase(name);
      it = wrappers_.emplace(name, disagree || !agreed ? std::vector<WrapperEffect>{} : *agreed)
               .first;
    }
    std::vector<LockCall> out;
    std::string r = receiver == "this" ? std::string() : receiver;
    for (const WrapperEffect& e : it->second) {
      LockCall call = e.call;
      call.block_scoped = false;
      if (e.own_field) {
        if (!r.empty()) {
          call.expression = r + "." + call.expression;
        } else if (current_class_ != e.cls) {
          continue;  // another class's field, reached how is not known here
        }
      } else if (e.is_static && program_->find(split(call.expression, '.')[0]) == nullptr) {
        call.expression = e.cls + "." + call.expression;  // a static field of the callee's class
      }
      out.push_back(std::move(call));
    }
    return out;
  }

  static bool same_effects(const std::vector<WrapperEffect>& a,
                           const std::vector<WrapperEffect>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].call.expression != b[i].call.expression || a[i].call.release != b[i].call.release ||
          a[i].call.shared != b[i].call.shared || a[i].cls != b[i].cls) {
        return false;
      }
    }
    return true;
  }

  // --- Pass 2: what each frame holds at its line, tied by key.
  void infer_holds() {
    if (tie_.empty()) return;
    for (TaskIndex t = 0; t < s_.tasks.size(); ++t) {
      const Task& task = s_.tasks[t];
      for (uint32_t i = 0; i < task.frame_count; ++i) {
        uint32_t frame = task.first_frame + i;
        if (!is_app(frame)) continue;
        JavaFrame& jf = frame_facts(frame);
        if (jf.file == nullptr || !jf.fn) continue;
        // An expression lambda has no block of its own: the function around it is another call,
        // whose locks this thread does not hold.
        if (jf.lambda && !jf.fn->literal) continue;
        current_class_.clear();
        for (auto c = jf.classes.rbegin(); c != jf.classes.rend(); ++c) {
          if (!c->empty() && std::isdigit(static_cast<unsigned char>((*c)[0])) == 0) {
            current_class_ = *c;
            break;
          }
        }
        // Many threads stand at one line: what is held there is read once.
        std::string at = fmt::format("{}:{}:{}:{}", jf.file->path, s_.frames[frame].line,
                                     jf.fn->body_line, current_class_);
        auto cached = held_cache_.find(at);
        if (cached == held_cache_.end()) {
          cached = held_cache_
                       .emplace(at, locks_held_at(L::kJava, *jf.file, *jf.fn, s_.frames[frame].line,
                                                  java_effects()))
                       .first;
        }
        for (const LockCall& held : cached->second) {
          if (held.target == IdiomTarget::kMonitor) continue;  // "- locked" lines say it all
          if (may_have_released(task, i, held)) continue;
          auto k = key_of(frame, held.expression, 0);
          if (!k) continue;
          auto it = tie_.find(k->key);
          if (it == tie_.end()) continue;
          const Resource& r = s_.resources[it->second];
          if (!target_fits(held.target, r.kind)) continue;
          if (held.target == IdiomTarget::kPermit && !only_permit_with(t, it->second, *k)) continue;
          bool shared = k->view_shared.value_or(held.shared);
          if (r.kind != ResourceKind::kRwlock) shared = false;
          bool recorded = std::any_of(s_.holds.begin(), s_.holds.end(), [&](const HoldEdge& h) {
            return h.resource == it->second && h.task == t && h.shared == shared;
          });
          if (recorded) continue;
          HoldEdge h{it->second, t, Evidence::kSource, frame};
          h.line = held.line;
          h.shared = shared;
          b_.add_hold(h);
        }
      }
    }
  }

  // A Semaphore's permit is a hold only when it is the only one (created with one permit, in a
  // final field) and no thread but the holder and the semaphore's waiters can reach a release():
  // any thread may release a permit it never acquired.
  bool only_permit_with(TaskIndex holder, ResourceIndex r, const Key& k) {
    static const RE2 kOnePermit(
        R"re(new\s+(?:java\.util\.concurrent\.)?Semaphore\s*\(\s*1\s*(,\s*(true|false)\s*)?\))re");
    if (!RE2::FullMatch(k.init, kOnePermit)) return false;
    static const SignalRow kRelease{"", {"release", ""}, "release()"};
    for (TaskIndex u = 0; u < s_.tasks.size(); ++u) {
      if (u == holder) continue;
      bool waiter = std::any_of(s_.waits.begin(), s_.waits.end(),
                                [&](const WaitEdge& w) { return w.task == u && w.resource == r; });
      if (waiter) continue;
      std::optional<Reach> reach = reach_of(u);
      if (!reach || signal_in(*reach, kRelease, /*wakers=*/true)) return false;
    }
    return true;
  }

  // Whether code run since `held` was taken may have released it where this reading does not
  // follow the lock: a call, after the acquiring line, of a program method that unlocks or
  // releases anything (its own calls followed to a bound), or such a call or release in a frame
  // the holding frame called and that is still running (the frames above it). Then the hold is
  // not claimed.
  bool may_have_released(const Task& task, uint32_t index, const LockCall& held) {
    static const RE2 kCall(R"re(([A-Za-z_$][\w$]*)\s*\()re");
    auto releasing_calls_in = [&](const SourceText& f, int from, int to) {
      for (int i = std::max(from, 1); i <= to && i <= static_cast<int>(f.code.size()); ++i) {
        re2::StringPiece in(f.code[static_cast<size_t>(i - 1)]);
        std::string name;
        while (RE2::FindAndConsume(&in, kCall, &name)) {
          if (releases(name, 0)) return true;
        }
      }
      return false;
    };
    uint32_t frame = task.first_frame + index;
    JavaFrame& jf = frame_facts(frame);
    if (releasing_calls_in(*jf.file, held.line + 1, s_.frames[frame].line - 1)) return true;
    for (uint32_t above = task.first_frame; above < frame; ++above) {
      if (!is_app(above)) continue;
      JavaFrame& af = frame_facts(above);
      if (af.file == nullptr || !af.fn) return true;  // code not read
      int line = s_.frames[above].line;
      // From the line after the body's brace: the header names the method itself.
      if (releasing_calls_in(*af.file, af.fn->body_line + 1, line - 1)) return true;
      for (int i = af.fn->body_line + 1; i < line; ++i) {
        std::vector<GuardBinding> guards;
        for (const LockCall& c :
             find_lock_calls(L::kJava, af.file->code[static_cast<size_t>(i - 1)], i, guards)) {
          if (c.release) return true;
        }
      }
    }
    return false;
  }

  // Whether a program method of this name, or one it calls (to depth 3), unlocks or releases.
  bool releases(const std::string& name, int depth) {
    if (name == "unlock" || name == "release" || name == "unlockRead" || name == "unlockWrite" ||
        name == "close") {
      return true;  // a release idiom itself, or a resource's close() (try-with-resources)
    }
    if (depth > 3) return true;  // not followed further: it may
    if (auto it = releases_.find(name); it != releases_.end()) return it->second;
    if (!visiting_.insert(name).second) return false;  // recursion: its body is being read
    static const RE2 kCall(R"re(([A-Za-z_$][\w$]*)\s*\()re");
    bool found = false;
    for (const SourceText* f : program_->files()) {
      for (const FunctionScope& fn : function_definitions(L::kJava, *f, name)) {
        int end = body_end_line(*f, fn);
        for (int i = fn.body_line; i <= end && !found; ++i) {
          re2::StringPiece in(f->code[static_cast<size_t>(i - 1)]);
          std::string callee;
          while (!found && RE2::FindAndConsume(&in, kCall, &callee)) {
            if (callee != name && releases(callee, depth + 1)) found = true;
          }
        }
      }
    }
    visiting_.erase(name);
    releases_[name] = found;
    return found;
  }

  // --- Pass 3: a source hold that the lock records or the lock's rules refute is dropped.
  void drop_contradictions() {
    std::map<ResourceIndex, std::vector<size_t>> by_lock;
    for (size_t h = 0; h < s_.holds.size(); ++h) by_lock[s_.holds[h].resource].push_back(h);
    std::set<size_t> drop;
    for (const auto& [resource, holds] : by_lock) {
      std::vector<size_t> source, recorded;
      for (size_t h : holds) {
        (s_.holds[h].evidence == Evidence::kSource ? source : recorded).push_back(h);
      }
      if (source.empty()) continue;
      for (size_t h : source) {
        const HoldEdge& sh = s_.holds[h];
        // An owner listed by the JVM excludes every other thread (a write owner may also read).
        for (size_t k : recorded) {
          if (s_.holds[k].task != sh.task) {
            warn_dropped(resource, h,
                         fmt::format("the JVM lists {} as its owner",
                                     s_.str(s_.tasks[s_.holds[k].task].id)));
            drop.insert(h);
            break;
          }
        }
        if (drop.count(h)) continue;
        for (size_t k : source) {
          const HoldEdge& other = s_.holds[k];
          if (k != h && other.task != sh.task && (!other.shared || !sh.shared)) {
            warn_dropped(resource, h, "another thread would hold it too, exclusively");
            drop.insert(h);
            break;
          }
        }
      }
    }
    if (drop.empty()) return;
    std::vector<HoldEdge> kept;
    for (size_t h = 0; h < s_.holds.size(); ++h) {
      if (!drop.count(h)) kept.push_back(s_.holds[h]);
    }
    s_.holds = std::move(kept);
  }

  void warn_dropped(ResourceIndex r, size_t h, const std::string& why) {
    b_.warn(s_.source,
            fmt::format("source inference finds {} {} held by thread {}, but {}: not counted",
                        to_string(s_.resources[r].kind), describe(r),
                        s_.str(s_.tasks[s_.holds[h].task].id), why));
  }

  std::string describe(ResourceIndex r) const {
    const Resource& res = s_.resources[r];
    std::string a(s_.str(res.address));
    if (res.symbol != kNoString) return fmt::format("{} <{}>", s_.str(res.symbol), a);
    return "<" + a + ">";
  }

  // --- Pass 4: waiters whose every possible signaller is stuck.

  // What a thread may still run: the rest of each program frame's function (all of it when the
  // line is in a loop), and every program method those call, by name. nullopt: code not read.
  struct Reach {
    std::vector<std::pair<const SourceText*, std::pair<int, int>>> ranges;  // 1-based lines
    std::vector<uint32_t> frame_of;                                         // per range
  };

  std::optional<Reach> reach_of(TaskIndex t) {
    const Task& task = s_.tasks[t];
    Reach out;
    bool any_app = false;
    std::vector<std::string> pending;
    std::set<std::string> seen;
    bool jdk_between = false;  // JDK code below a program frame: it may call back into any
    for (uint32_t i = 0; i < task.frame_count; ++i) {
      uint32_t frame = task.first_frame + i;
      std::string_view function = s_.str(s_.frames[frame].function);
      if (any_app && jdk_between && is_app(frame)) return std::nullopt;
      if (!is_app(frame)) {
        if (any_app && hotspot::is_runtime_frame(function) &&
            function.find("$$Lambda$") == std::string_view::npos) {
          jdk_between = true;
        }
        // A hidden class of a lambda, "Unknown Source": its body is the lambda$ frame above.
        if (function.find("$$Lambda$") != std::string_view::npos) continue;
        if (s_.frames[frame].file == kNoString && !hotspot::is_runtime_frame(function)) {
          return std::nullopt;
        }
        continue;
      }
      any_app = true;
      JavaFrame& jf = frame_facts(frame);
      if (jf.file == nullptr || !jf.fn) return std::nullopt;
      int line = s_.frames[frame].line;
      if (jf.lambda && !jf.fn->literal) {
        // An expression lambda "() -> call(x)": its body is that statement.
        out.ranges.push_back({jf.file, {line, statement_end_line(*jf.file, line)}});
        out.frame_of.push_back(frame);
        continue;
      }
      int from = in_loop(*jf.file, *jf.fn, line) ? jf.fn->body_line : line;
      out.ranges.push_back({jf.file, {from, body_end_line(*jf.file, *jf.fn)}});
      out.frame_of.push_back(frame);
    }
    if (any_app) {
      // Below the outermost program frame only a thread's own entry: a pool's worker loop (or
      // any other JDK caller) may run other program code once this returns.
      uint32_t last_app = task.first_frame;
      for (uint32_t i = 0; i < task.frame_count; ++i) {
        if (is_app(task.first_frame + i)) last_app = task.first_frame + i;
      }
      for (uint32_t f = last_app + 1; f < task.first_frame + task.frame_count; ++f) {
        std::string_view function = s_.str(s_.frames[f].function);
        if (function.find("$$Lambda$") != std::string_view::npos) continue;
        if (std::find(kThreadEntries.begin(), kThreadEntries.end(), function) ==
            kThreadEntries.end()) {
          return std::nullopt;
        }
      }
    }
    if (!any_app) {
      const SystemThreadRow* row = system_thread(s_.str(task.id));
      if (row == nullptr) return std::nullopt;  // a pool's idle worker may run anything
      if (!row->runs_program_code_if.empty()) {
        for (const SourceText* f : program_->files()) {
          if (f->text.find(row->runs_program_code_if) != std::string::npos) return std::nullopt;
        }
      }
      return out;
    }
    // Follow calls by name through the program, to a bound.
    static const RE2 kCall(R"re(([A-Za-z_$][\w$]*)\s*\()re");
    static const RE2 kRef(R"re(::\s*([A-Za-z_$][\w$]*))re");
    for (size_t r = 0; r < out.ranges.size(); ++r) {
      if (out.ranges.size() > 400) return std::nullopt;
      const SourceText* f = out.ranges[r].first;
      auto [from, to] = out.ranges[r].second;
      for (int i = from; i <= to && i <= static_cast<int>(f->code.size()); ++i) {
        const std::string& code = f->code[static_cast<size_t>(i - 1)];
        for (std::string_view start : kStartsOtherCode) {
          if (code.find(start) != std::string::npos) return std::nullopt;
        }
        for (const RE2* re : {&kCall, &kRef}) {
          re2::StringPiece in(code);
          std::string name;
          while (RE2::FindAndConsume(&in, *re, &name)) {
            if (!seen.insert(name).second) continue;
            for (const SourceText* pf : program_->files()) {
              for (const FunctionScope& fn : function_definitions(L::kJava, *pf, name)) {
                out.ranges.push_back({pf, {fn.body_line, body_end_line(*pf, fn)}});
                out.frame_of.push_back(out.frame_of[r]);
              }
            }
          }
        }
      }
    }
    return out;
  }

  // Whether `line` of fn lies in a loop of fn (the code before it may run again).
  static bool in_loop(const SourceText& file, const FunctionScope& fn, int line) {
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
        if (word_at(statement, at, loop)) return true;
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
            if (word_at(h, at, loop)) return true;
          }
        }
      }
    }
    return false;
  }

  // The first line of the reach that calls one of `signals` (any receiver: a superset), and the
  // frame whose code leads there; nullopt when none does.
  static bool wakes_anyone(const std::string& code) {
    for (std::string_view call : kWakeAnyone) {
      for (size_t at = code.find(call); at != std::string::npos; at = code.find(call, at + 1)) {
        size_t open = at + call.size();
        while (open < code.size() && code[open] == ' ') ++open;
        if (!word_at(code, at, call) || open >= code.size() || code[open] != '(') continue;
        std::string_view before = trim_blanks(std::string_view(code).substr(0, at));
        if (before.ends_with("currentThread().") || before.ends_with("currentThread() .")) continue;
        return true;
      }
    }
    return false;
  }

  // `wakers`: an interrupt of any thread counts as a signal too (for threads that can run).
  static std::optional<std::pair<uint32_t, int>> signal_in(const Reach& reach, const SignalRow& row,
                                                           bool wakers = false) {
    for (size_t r = 0; r < reach.ranges.size(); ++r) {
      const SourceText* f = reach.ranges[r].first;
      auto [from, to] = reach.ranges[r].second;
      for (int i = from; i <= to && i <= static_cast<int>(f->code.size()); ++i) {
        const std::string& code = f->code[static_cast<size_t>(i - 1)];
        if (wakers && wakes_anyone(code)) return std::make_pair(reach.frame_of[r], i);
        for (std::string_view sig : row.signals) {
          if (sig.empty()) continue;
          for (size_t at = code.find(sig); at != std::string::npos; at = code.find(sig, at + 1)) {
            size_t open = at + sig.size();
            while (open < code.size() && code[open] == ' ') ++open;
            if (word_at(code, at, sig) && open < code.size() && code[open] == '(') {
              return std::make_pair(reach.frame_of[r], i);
            }
          }
        }
      }
    }
    return std::nullopt;
  }

  // Whether the program signals (countDown(), signal(), …) inside a lambda or an anonymous
  // class: code any thread may run through an interface call this reading cannot follow, so
  // that no thread can be ruled out.
  bool signal_in_callback(const SignalRow& row) {
    std::string key(row.what);
    if (auto it = callback_.find(key); it != callback_.end()) return it->second;
    bool found = false;
    for (const SourceText* f : program_->files()) {
      for (size_t i = 0; i < f->code.size() && !found; ++i) {
        const std::string& code = f->code[i];
        for (std::string_view sig : row.signals) {
          if (sig.empty()) continue;
          for (size_t at = code.find(sig); at != std::string::npos && !found;
               at = code.find(sig, at + 1)) {
            if (!word_at(code, at, sig)) continue;
            auto fn = function_at(L::kJava, *f, static_cast<int>(i) + 1);
            if (!fn || fn->literal) {
              found = true;
              break;
            }
            // A method of an anonymous class: its class body opens with "new X(…) {".
            found = anonymous_around(*f, fn->header_line);
          }
        }
      }
    }
    callback_[key] = found;
    return found;
  }

  // Whether the class body around a method header at `line` is an anonymous class.
  static bool anonymous_around(const SourceText& f, int line) {
    int depth = 0;
    for (int i = line - 1; i >= 0; --i) {
      const std::string& code = f.code[static_cast<size_t>(i)];
      if (i == line - 1) continue;
      for (size_t pos = code.size(); pos-- > 0;) {
        if (code[pos] == '}') ++depth;
        if (code[pos] != '{') continue;
        if (depth > 0) {
          --depth;
          continue;
        }
        std::string_view h = trim_blanks(std::string_view(code).substr(0, pos));
        return h.ends_with(")") && h.find("new ") != std::string_view::npos;
      }
    }
    return false;
  }

  void infer_signallers() {
    bool any = std::any_of(s_.waits.begin(), s_.waits.end(), [&](const WaitEdge& w) {
      return w.app_frame != kNone && signal_row(s_, w) != nullptr;
    });
    if (!any) return;  // nobody waits for a signal: no analysis to run
    for (int round = 0; round < 4; ++round) {
      Findings f = analyze(s_);
      std::vector<bool> stuck(s_.tasks.size(), false);
      for (const Cycle& c : f.cycles) {
        for (const CycleMember& m : c.members) stuck[m.task] = true;
      }
      for (const BlockedWaiter& b : f.blocked) stuck[b.task] = true;
      if (f.cycles.empty()) return;
      bool added = false;
      std::map<TaskIndex, std::optional<Reach>> reaches;
      auto reach = [&](TaskIndex t) -> std::optional<Reach>& {
        auto it = reaches.find(t);
        if (it == reaches.end()) it = reaches.emplace(t, reach_of(t)).first;
        return it->second;
      };
      for (const WaitEdge& w : s_.waits) {
        if (stuck[w.task] || w.app_frame == kNone) continue;
        // A timed wait ends by itself; a join ends when the VM says so.
        if (s_.str(s_.tasks[w.task].state).starts_with("TIMED_WAITING")) continue;
        bool vm_notified = false;
        for (uint32_t k = w.frame; k < w.app_frame; ++k) {
          for (std::string_view fn : kVmNotified)
            vm_notified |= s_.str(s_.frames[k].function) == fn;
        }
        if (vm_notified) continue;
        const SignalRow* row = signal_row(s_, w);
        if (row == nullptr || signal_in_callback(*row)) continue;
        bool held = std::any_of(s_.holds.begin(), s_.holds.end(),
                                [&](const HoldEdge& h) { return h.resource == w.resource; });
        if (held) continue;
        std::vector<std::pair<TaskIndex, std::pair<uint32_t, int>>> signallers;
        bool live_signaller = false;
        std::string unread;
        for (TaskIndex u = 0; u < s_.tasks.size() && !live_signaller; ++u) {
          if (u == w.task) continue;
          std::optional<Reach>& r = reach(u);
          if (!r) {
            if (stuck[u]) continue;  // stuck: whatever it could run, it cannot now
            live_signaller = true;
            unread = std::string(s_.str(s_.tasks[u].id));
            break;
          }
          auto site = signal_in(*r, *row, /*wakers=*/!stuck[u]);
          if (!site) continue;
          if (stuck[u]) {
            signallers.push_back({u, *site});
          } else {
            live_signaller = true;
          }
        }
        if (live_signaller || signallers.empty()) continue;
        for (const auto& [u, site] : signallers) {
          HoldEdge h{w.resource, u, Evidence::kInferred, site.first};
          h.line = site.second;
          b_.add_hold(h);
          added = true;
        }
      }
      if (!added) return;
    }
  }

  // --- Waiters still without a holder: say why.
  void warn_unresolved() {
    std::vector<bool> held(s_.resources.size(), false);
    for (const HoldEdge& h : s_.holds) held[h.resource] = true;
    size_t count = 0;
    for (const WaitEdge& w : s_.waits) {
      ResourceKind k = s_.resources[w.resource].kind;
      if ((k == ResourceKind::kRwlock || k == ResourceKind::kOwnableSynchronizer) &&
          !held[w.resource]) {
        ++count;
      }
    }
    if (count == 0) return;
    std::string message = fmt::format(
        "{} thread{} for a lock whose holder the JVM does not record (a read lock has no owner; "
        "kill -3 lists no ownable synchronizers): holders are inferred from the program's source",
        count, count == 1 ? " waits" : "s wait");
    // The files of the waiters' own frames first: those are the ones that would tie the lock.
    std::vector<std::string> missing;
    for (const WaitEdge& w : s_.waits) {
      if (w.app_frame == kNone || !is_app(w.app_frame) || frame_facts(w.app_frame).file) continue;
      const Frame& f = s_.frames[w.app_frame];
      std::string path = java_package_path(s_.str(f.function), s_.str(f.file));
      if (std::find(missing.begin(), missing.end(), path) == missing.end()) missing.push_back(path);
    }
    for (const std::string& path : src_.missing()) {
      if (std::find(missing.begin(), missing.end(), path) == missing.end()) missing.push_back(path);
    }
    if (!missing.empty()) {
      message += fmt::format(
          "; not found: {}{} (--source-root DIR, the directory holding com/… or a Maven/Gradle "
          "project above its src/main/java, supplies it)",
          missing[0], missing.size() > 1 ? fmt::format(" and {} more", missing.size() - 1) : "");
    }
    for (const std::string& u : unkeyed_) message += "; " + u;
    b_.warn(s_.source, message);
  }

  Snapshot& s_;
  SnapshotBuilder b_;
  SourceFiles& src_;
  std::optional<Program> program_;
  std::map<uint32_t, JavaFrame> frames_;
  std::map<std::string, ResourceIndex> tie_;
  std::set<std::string> conflicting_;
  std::vector<std::string> unkeyed_;
  std::string why_;
  std::map<std::string, bool> callback_;
  std::map<std::string, bool> releases_;
  std::map<std::string, std::vector<WrapperEffect>> wrappers_;
  std::set<std::string> wrapping_;
  std::string current_class_;  // the class of the frame being read, for wrapper effects
  std::map<std::string, std::vector<LockCall>> held_cache_;
  std::set<std::string> visiting_;
};

}  // namespace

void resolve_java_holders(Snapshot& s, SourceFiles& sources) {
  JavaHolders(s, sources).run();
}

}  // namespace dla
