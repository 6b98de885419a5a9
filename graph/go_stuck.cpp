#include "graph/go_stuck.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "graph/resolve_go.h"
#include "graph/snapshot_builder.h"
#include "graph/source_code.h"
#include "graph/text_util.h"

namespace dla {

namespace {

constexpr SourceLanguage kGo = SourceLanguage::kGo;

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// What the waiter is blocked in, and what would wake it.
enum class WaitKind : uint8_t { kSend, kReceive, kWaitGroup };

// One partner operation found in the source.
enum class OpKind : uint8_t { kSend, kReceive, kClose, kDone };

bool wakes(OpKind op, WaitKind wait) {
  switch (wait) {
    case WaitKind::kSend:
      return op == OpKind::kReceive;  // (a close would panic the sender, not let it go on)
    case WaitKind::kReceive:
      return op == OpKind::kSend || op == OpKind::kClose;
    case WaitKind::kWaitGroup:
      return op == OpKind::kDone;
  }
  return false;
}

const char* reason_for(WaitKind wait) {
  switch (wait) {
    case WaitKind::kSend:
      return "chan-send-no-receiver";
    case WaitKind::kReceive:
      return "chan-receive-no-sender";
    case WaitKind::kWaitGroup:
      return "waitgroup-never-done";
  }
  return "";
}

// The package's functions, as source.
struct Function {
  const SourceText* file;
  FunctionScope scope;
  int end_line;
};

// A variable the waited value may live in: a function's parameter or local ("fn", name), a
// package variable (fn -1), or a struct field reached from anywhere (field true).
struct Place {
  int fn = -1;
  std::string name;
  bool field = false;
  bool operator<(const Place& o) const {
    return std::tie(fn, name, field) < std::tie(o.fn, o.name, o.field);
  }
};

struct Site {
  int fn;
  int line;
  bool in_literal;
};

class StuckInference {
 public:
  StuckInference(Snapshot& s, SourceFiles& sources) : s_(s), b_(s), src_(sources) {}

  void run() {
    if (s_.damaged || s_.format != "go-debug2") return;  // every goroutine, with its state
    for (size_t i = 0; i < s_.waits.size(); ++i) {
      WaitEdge& w = s_.waits[i];
      if (w.never_wakes != kNoString || w.app_frame == kNone) continue;
      std::optional<WaitKind> kind = wait_kind(w);
      if (!kind) continue;
      if (!load_package(s_.frames[w.app_frame])) return;
      if (can_never_wake(w, *kind)) {
        w.never_wakes = b_.intern(reason_for(*kind));
        w.never_wakes_evidence = Evidence::kInferred;
      }
    }
  }

 private:
  std::optional<WaitKind> wait_kind(const WaitEdge& w) const {
    ResourceKind k = s_.resources[w.resource].kind;
    if (k == ResourceKind::kWaitgroup) return WaitKind::kWaitGroup;
    if (k != ResourceKind::kChannel) return std::nullopt;
    std::string_view state = s_.str(s_.tasks[w.task].state);
    if (state.starts_with("chan send")) return WaitKind::kSend;
    if (state.starts_with("chan receive")) return WaitKind::kReceive;
    return std::nullopt;
  }

  // The functions of the waiter's package (the directory of its source file), once.
  bool load_package(const Frame& f) {
    if (loaded_) return !functions_.empty();
    loaded_ = true;
    const SourceText* file = src_.get(s_.str(f.file));
    if (file == nullptr) return false;
    for (const SourceText* sibling : src_.siblings(*file, ".go")) {
      if (sibling->path.ends_with("_test.go")) continue;
      for (FunctionScope& fn : go_functions_in(*sibling)) {
        int end = body_end_line(*sibling, fn);
        functions_.push_back({sibling, std::move(fn), end});
      }
    }
    return !functions_.empty();
  }

  // The package function whose body holds this line of this file (a literal: the function
  // around it), or -1.
  int function_at_line(const SourceText* file, int line) const {
    for (size_t i = 0; i < functions_.size(); ++i) {
      const Function& f = functions_[i];
      if (!f.scope.literal && f.file == file && line >= f.scope.body_line && line <= f.end_line) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }

  // The function literal around a line, as a function of its own (added on first use).
  int literal_function(const SourceText* file, int line) {
    auto scope = function_at(kGo, *file, line, true);
    if (!scope || !scope->literal) return function_at_line(file, line);
    for (size_t i = 0; i < functions_.size(); ++i) {
      const Function& f = functions_[i];
      if (f.file == file && f.scope.literal && f.scope.body_line == scope->body_line &&
          f.scope.body_column == scope->body_column) {
        return static_cast<int>(i);
      }
    }
    int end = body_end_line(*file, *scope);
    functions_.push_back({file, std::move(*scope), end});
    return static_cast<int>(functions_.size()) - 1;
  }

  std::vector<int> functions_named(std::string_view name) const {
    std::vector<int> out;
    for (size_t i = 0; i < functions_.size(); ++i) {
      if (!functions_[i].scope.literal && functions_[i].scope.name == name) {
        out.push_back(static_cast<int>(i));
      }
    }
    return out;
  }

  // The expression the waiter blocks on, from its line: "out <- r", "<-in", "range in",
  // "wg.Wait()". Empty when the line has none or several.
  std::string waited_expression(const WaitEdge& w, WaitKind kind) {
    const Frame& f = s_.frames[w.app_frame];
    const SourceText* file = src_.get(s_.str(f.file));
    if (file == nullptr || f.line < 1 || f.line > static_cast<int>(file->code.size())) return {};
    std::string_view code = file->code[static_cast<size_t>(f.line - 1)];
    static const RE2 kSend(R"re(([A-Za-z_][\w.]*)\s*<-)re");
    static const RE2 kReceive(R"re((?:<-|\brange)\s*([A-Za-z_][\w.]*))re");
    static const RE2 kWait(R"re(([A-Za-z_][\w.]*)\.Wait\(\))re");
    const RE2& re = kind == WaitKind::kSend ? kSend : kind == WaitKind::kReceive ? kReceive : kWait;
    re2::StringPiece input(code.data(), code.size());
    std::string found, one;
    int count = 0;
    while (RE2::FindAndConsume(&input, re, &one)) {
      found = one;
      ++count;
    }
    return count == 1 ? found : std::string();
  }

  bool can_never_wake(const WaitEdge& w, WaitKind kind) {
    // 6,000 goroutines parked at one send share its partner sites: followed once per (kind,
    // file, line) of the waiter's frame, which is all the following reads.
    const Frame& f = s_.frames[w.app_frame];
    auto [it, inserted] = sites_by_place_.try_emplace(std::make_tuple(kind, f.file, f.line));
    if (inserted) it->second = partner_sites(w, kind);
    if (!it->second) return false;
    for (const Site& site : *it->second) {
      if (can_still_run(site, w.task)) return false;
    }
    return true;
  }

  // The places where the partner operation of the wait at `w`'s frame can happen; nullopt when
  // the waited value cannot be followed.
  std::optional<std::vector<Site>> partner_sites(const WaitEdge& w, WaitKind kind) {
    std::string expression = waited_expression(w, kind);
    if (expression.empty()) return std::nullopt;
    const Frame& f = s_.frames[w.app_frame];
    const SourceText* file = src_.get(s_.str(f.file));
    int fn = function_at_line(file, f.line);
    if (fn < 0) return std::nullopt;
    // Where the value may be: follow it through the package until nothing new is found.
    std::set<Place> seen;
    std::vector<Place> work;
    auto add = [&](Place p) {
      if (seen.insert(p).second) work.push_back(std::move(p));
    };
    size_t dot = expression.rfind('.');
    if (dot != std::string::npos) {
      add({-1, expression.substr(dot + 1), true});  // a struct field: anywhere it is reached
    } else {
      add(place_of(fn, expression));
    }
    std::vector<Site> sites;
    bool escapes = false;
    while (!work.empty() && !escapes && seen.size() < 64) {
      Place p = work.back();
      work.pop_back();
      escapes = !follow(p, kind, sites, add);
    }
    if (escapes || seen.size() >= 64) return std::nullopt;
    return sites;
  }

  // A name as seen from a function: its parameter or local, or the package variable.
  Place place_of(int fn, const std::string& name) const {
    const Function& f = functions_[static_cast<size_t>(fn)];
    const FunctionScope& sc = f.scope;
    bool param = name == sc.receiver ||
                 std::find(sc.params.begin(), sc.params.end(), name) != sc.params.end();
    if (param || declares_local(kGo, *f.file, sc, f.end_line + 1, name)) return {fn, name, false};
    return {-1, name, false};
  }

  // Reads every mention of place `p`: partner operations become sites; passing it to a package
  // function or naming it in another variable adds places. False when a mention is not
  // understood (the value escapes where the source cannot follow).
  template <typename Add>
  bool follow(const Place& p, WaitKind kind, std::vector<Site>& sites, Add add) {
    std::vector<int> scope;
    if (p.fn >= 0) {
      scope.push_back(p.fn);
    } else {
      for (size_t i = 0; i < functions_.size(); ++i) {
        if (!functions_[i].scope.literal) scope.push_back(static_cast<int>(i));
      }
    }
    for (int fn : scope) {
      const Function& f = functions_[static_cast<size_t>(fn)];
      for (int line = f.scope.header_line; line <= f.end_line; ++line) {
        std::string_view code = f.file->code[static_cast<size_t>(line - 1)];
        for (size_t pos = code.find(p.name); pos != std::string_view::npos;
             pos = code.find(p.name, pos + 1)) {
          if (!is_mention(code, pos, p)) continue;
          if (!read_mention(fn, line, code, pos, p, kind, sites, add)) return false;
        }
      }
      // A parameter is whatever the callers pass.
      if (p.fn >= 0 && !p.field) {
        if (!follow_callers(fn, p.name, add)) return false;
      }
    }
    return true;
  }

  bool is_mention(std::string_view code, size_t pos, const Place& p) const {
    size_t end = pos + p.name.size();
    if (end < code.size() && is_ident(code[end])) return false;
    if (p.field) return pos > 0 && code[pos - 1] == '.';
    if (pos > 0 && (is_ident(code[pos - 1]) || code[pos - 1] == '.')) return false;
    return true;
  }

  // One mention of a place: what it does with the value.
  template <typename Add>
  bool read_mention(int fn, int line, std::string_view code, size_t pos, const Place& p,
                    WaitKind kind, std::vector<Site>& sites, Add add) {
    const Function& f = functions_[static_cast<size_t>(fn)];
    if (line == f.scope.header_line && !p.field) return true;  // the parameter's declaration
    // The whole operand: "a.done" for a field mention, "ch" otherwise.
    size_t start = pos;
    if (p.field) {
      while (start > 0 && (is_ident(code[start - 1]) || code[start - 1] == '.')) --start;
    }
    size_t end = pos + p.name.size();
    std::string_view before = trim_blanks(code.substr(0, start));
    std::string_view after = trim_blanks(code.substr(end));
    bool in_literal = inside_literal(fn, line);
    auto site = [&](OpKind op) {
      if (wakes(op, kind)) sites.push_back({fn, line, in_literal});
      return true;
    };
    if (after.starts_with("<-")) return site(OpKind::kSend);
    if (before.ends_with("<-")) return site(OpKind::kReceive);
    if (before.ends_with("range")) return site(OpKind::kReceive);
    if (before.ends_with("close(") && after.starts_with(")")) return site(OpKind::kClose);
    if (after.starts_with(".Done(") || after.starts_with(".Add(")) return site(OpKind::kDone);
    if (after.starts_with(".Wait(")) return true;
    if (before.ends_with("len(") || before.ends_with("cap(")) return true;
    if (p.field) return is_field_definition(before, after);
    // Its own declaration: "ch := make(…)", "var wg sync.WaitGroup".
    if (after.starts_with(":=") || (before.ends_with("var") && !after.starts_with("="))) {
      return true;
    }
    // Another variable takes it: "x := ch" / "x = ch".
    if (before.ends_with(":=") || (before.ends_with("=") && !before.ends_with("=="))) {
      std::string_view lhs =
          trim_blanks(before.substr(0, before.size() - (before.ends_with(":=") ? 2 : 1)));
      if (lhs.find_first_of(".[,()") != std::string_view::npos || lhs.empty() || !after.empty()) {
        return false;  // stored in a field, a map or several names: not followed
      }
      add(place_of(fn, std::string(lhs)));
      return true;
    }
    // An argument or a receiver of a call.
    return read_call_argument(fn, code, start, end, add);
  }

  static bool is_field_definition(std::string_view before, std::string_view after) {
    (void)before;
    // "log.done" read into something else: only operations were understood above.
    return after.starts_with(":") && !after.starts_with(":=");
  }

  // "f(a, ch)" → f's second parameter; "ch.m()" on a value of the package's own method →
  // m's receiver; "&wg" as an argument likewise. A call into another package: not followed.
  template <typename Add>
  bool read_call_argument(int fn, std::string_view code, size_t start, size_t end, Add add) {
    (void)fn;
    size_t arg_start = start;
    if (arg_start > 0 && code[arg_start - 1] == '&') --arg_start;
    // The enclosing call: walk left to the unmatched '('.
    int depth = 0;
    size_t open = std::string_view::npos;
    size_t index = 0;
    for (size_t i = arg_start; i-- > 0;) {
      char c = code[i];
      if (c == ')' || c == ']' || c == '}') ++depth;
      if (c == '(' || c == '[' || c == '{') {
        if (depth == 0) {
          open = i;
          break;
        }
        --depth;
      }
      if (c == ',' && depth == 0) ++index;
    }
    if (open == std::string_view::npos || code[open] != '(') return false;
    // The argument must be the value itself, not part of an expression.
    size_t close = open + 1;
    int d = 0;
    for (; close < code.size(); ++close) {
      if (code[close] == '(') ++d;
      if (code[close] == ')' && d-- == 0) break;
    }
    std::vector<std::string_view> args = split_top_level(code.substr(open + 1, close - open - 1));
    if (index >= args.size()) return false;
    std::string_view arg = args[index];
    std::string_view value = code.substr(arg_start, end - arg_start);
    if (trim_blanks(arg) != trim_blanks(value)) return false;
    size_t name_end = open;
    while (name_end > 0 && code[name_end - 1] == ' ') --name_end;
    size_t name_start = name_end;
    while (name_start > 0 && (is_ident(code[name_start - 1]) || code[name_start - 1] == '.')) {
      --name_start;
    }
    std::string_view chain = code.substr(name_start, name_end - name_start);
    std::string_view callee = chain.substr(chain.rfind('.') + 1);
    std::vector<int> defs = functions_named(callee);
    if (defs.empty()) return false;  // another package's function, or a builtin: not followed
    for (int def : defs) {
      const FunctionScope& sc = functions_[static_cast<size_t>(def)].scope;
      if (index >= sc.params.size()) return false;
      add(Place{def, sc.params[index], false});
    }
    return true;
  }

  // Every call of function `fn` in the package passes its parameter `name`: the passed value is
  // a place too.
  template <typename Add>
  bool follow_callers(int fn, const std::string& name, Add add) {
    const FunctionScope& target = functions_[static_cast<size_t>(fn)].scope;
    bool receiver = name == target.receiver;
    auto it = std::find(target.params.begin(), target.params.end(), name);
    if (!receiver && it == target.params.end()) return true;  // a local: no callers to follow
    size_t index = static_cast<size_t>(it - target.params.begin());
    for (size_t caller = 0; caller < functions_.size(); ++caller) {
      const Function& f = functions_[caller];
      if (f.scope.literal) continue;  // its lines are its function's
      for (int line = f.scope.body_line; line <= f.end_line; ++line) {
        auto call = call_on_exact_line(f, line, target.name);
        if (!call) continue;
        std::string passed = receiver                    ? call->receiver
                             : index < call->args.size() ? call->args[index]
                                                         : std::string();
        if (passed.starts_with("&")) passed.erase(0, 1);
        if (passed.empty()) return false;
        if (passed.starts_with("make(")) continue;  // a new value: nobody else has it
        if (passed.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") !=
            std::string::npos) {
          return false;
        }
        size_t dot = passed.rfind('.');
        if (dot != std::string::npos) {
          add(Place{-1, passed.substr(dot + 1), true});
        } else {
          add(place_of(static_cast<int>(caller), passed));
        }
      }
    }
    // Used as a value (a method value, a callback), its callers cannot be listed.
    return !used_as_value(fn);
  }

  std::optional<CallSite> call_on_exact_line(const Function& f, int line, std::string_view name) {
    std::string_view code = f.file->code[static_cast<size_t>(line - 1)];
    size_t pos = code.find(name);
    if (pos == std::string_view::npos) return std::nullopt;
    if (pos > 0 && is_ident(code[pos - 1])) return std::nullopt;
    size_t open = pos + name.size();
    if (open >= code.size() || code[open] != '(') return std::nullopt;
    if (line == f.scope.header_line) return std::nullopt;
    return call_on(kGo, *f.file, line, name);
  }

  // Whether function `fn`'s name appears anywhere but in a call or its own header.
  bool used_as_value(int fn) {
    auto [it, inserted] = used_as_value_.try_emplace(fn, false);
    if (!inserted) return it->second;
    const FunctionScope& target = functions_[static_cast<size_t>(fn)].scope;
    for (const Function& f : functions_) {
      if (f.scope.literal) continue;  // its lines are its function's
      for (int line = f.scope.header_line; line <= f.end_line; ++line) {
        std::string_view code = f.file->code[static_cast<size_t>(line - 1)];
        for (size_t pos = code.find(target.name); pos != std::string_view::npos;
             pos = code.find(target.name, pos + 1)) {
          size_t end = pos + target.name.size();
          if ((pos > 0 && is_ident(code[pos - 1])) || (end < code.size() && is_ident(code[end]))) {
            continue;
          }
          if (end < code.size() && code[end] == '(') continue;
          if (&f == &functions_[static_cast<size_t>(fn)] && line == f.scope.header_line) continue;
          it->second = true;
          return true;
        }
      }
    }
    return false;
  }

  // Whether `line` of function `fn` is inside a function literal (a closure: it may run later,
  // from a timer, a callback or a goroutine).
  bool inside_literal(int fn, int line) {
    const Function& f = functions_[static_cast<size_t>(fn)];
    auto scope = function_at(kGo, *f.file, line, true);  // a one-line literal counts too
    return scope && scope->literal;
  }

  // --- Can the partner operation at `site` still run?

  // Where the goroutines stand in the package's functions: (function, line) → how many frames.
  // 100k goroutines stand at a few hundred places.
  using Position = std::pair<int, int>;
  const std::map<Position, size_t>& positions() {
    if (positions_known_) return positions_;
    positions_known_ = true;
    for (const Task& t : s_.tasks) {
      for (const Frame& f : s_.frames_of(t)) {
        if (is_go_statement_wrapper(t, f)) continue;
        if (auto p = position_of(f)) ++positions_[*p];
      }
    }
    return positions_;
  }

  // A frame stands in a package function, or in a function literal: a goroutine running a
  // closure can only go on with the closure's own body, not the function around it.
  std::optional<Position> position_of(const Frame& f) {
    uint64_t key = (static_cast<uint64_t>(f.file) << 32) | static_cast<uint32_t>(f.line);
    auto [it, inserted] = position_cache_.try_emplace(key, -1);
    if (inserted && f.file != kNoString) {
      const SourceText* file = src_.get(s_.str(f.file));
      std::string_view name = s_.str(f.function);
      std::string_view last = name.substr(name.rfind('.') + 1);
      bool closure = last.starts_with("func") && last.size() > 4 &&
                     std::isdigit(static_cast<unsigned char>(last[4])) != 0;
      if (file != nullptr && closure) {
        it->second = literal_function(file, f.line);
      } else if (file != nullptr) {
        it->second = function_at_line(file, f.line);
      }
    }
    if (it->second < 0) return std::nullopt;
    return Position{it->second, f.line};
  }

  // GOTRACEBACK=system shows the wrapper the compiler makes for a go statement, located at the
  // statement: it runs nothing of the function around it.
  bool is_go_statement_wrapper(const Task& t, const Frame& f) {
    if (t.created_file == kNoString || f.file != t.created_file || f.line < t.created_line) {
      return false;
    }
    const SourceText* file = src_.get(s_.str(f.file));
    return file != nullptr && f.line <= statement_end_line(*file, t.created_line);
  }

  // What the goroutines other than one waiter can still do: where they stand, and the functions
  // they can still call.
  struct Others {
    std::vector<Position> standing;
    std::set<int> callable_later;
  };

  // The same for every waiter whose own frames stand at the same places (the thousands of
  // goroutines of one kind): computed once per set of places.
  const Others& others(TaskIndex waiter) {
    std::map<Position, size_t> own;
    for (const Frame& f : s_.frames_of(s_.tasks[waiter])) {
      if (is_go_statement_wrapper(s_.tasks[waiter], f)) continue;
      if (auto p = position_of(f)) ++own[*p];
    }
    auto [it, inserted] = others_by_own_.try_emplace(own);
    if (inserted) {
      for (const auto& [p, n] : positions()) {
        auto mine = own.find(p);
        if (n > (mine == own.end() ? 0 : mine->second)) it->second.standing.push_back(p);
      }
      it->second.callable_later = functions_callable_later(it->second.standing);
    }
    return it->second;
  }

  bool can_still_run(const Site& site, TaskIndex waiter) {
    if (site.in_literal || used_as_value(site.fn)) return true;
    const Others& other = others(waiter);
    const std::vector<Position>& standing = other.standing;
    if (other.callable_later.count(site.fn)) return true;
    // A goroutine standing in the function before the site, or in a loop around both.
    for (const auto& [fn, line] : standing) {
      if (fn == site.fn && (site.line > line || same_loop(fn, line, site.line))) return true;
    }
    return false;
  }

  // Functions the goroutines standing at `standing` can still call: calls after each place (or
  // in a loop around it), and everything those call, transitively.
  std::set<int> functions_callable_later(const std::vector<Position>& standing) {
    std::set<int> future;
    std::vector<int> work;
    auto reach = [&](int fn) {
      if (future.insert(fn).second) work.push_back(fn);
    };
    for (const auto& [fn, at] : standing) {
      const Function& func = functions_[static_cast<size_t>(fn)];
      for (int line = func.scope.body_line; line <= func.end_line; ++line) {
        if (line <= at && !same_loop(fn, at, line)) continue;
        for (int callee : callees_on(func, line)) reach(callee);
      }
    }
    while (!work.empty()) {
      int fn = work.back();
      work.pop_back();
      const Function& func = functions_[static_cast<size_t>(fn)];
      for (int line = func.scope.body_line; line <= func.end_line; ++line) {
        for (int callee : callees_on(func, line)) reach(callee);
      }
    }
    return future;
  }

  std::vector<int> callees_on(const Function& f, int line) {
    std::vector<int> out;
    std::string_view code = f.file->code[static_cast<size_t>(line - 1)];
    for (size_t i = 0; i < code.size(); ++i) {
      if (code[i] != '(' || i == 0 || !is_ident(code[i - 1])) continue;
      size_t start = i;
      while (start > 0 && is_ident(code[start - 1])) --start;
      for (int def : functions_named(code.substr(start, i - start))) out.push_back(def);
    }
    return out;
  }

  // Whether two lines of a function share a `for` loop that encloses both.
  bool same_loop(int fn, int a, int b) {
    const Function& f = functions_[static_cast<size_t>(fn)];
    int depth = 0;
    std::vector<std::pair<int, bool>> open;  // (line, is a loop) per open brace
    std::vector<std::pair<int, int>> loops;  // closed loops: [first, last]
    for (int line = f.scope.body_line; line <= f.end_line; ++line) {
      std::string_view code = f.file->code[static_cast<size_t>(line - 1)];
      for (size_t c = 0; c < code.size(); ++c) {
        if (code[c] == '{') {
          std::string_view head = trim_blanks(code.substr(0, c));
          bool loop = head.starts_with("for ") || head == "for";
          open.emplace_back(line, loop);
          ++depth;
        } else if (code[c] == '}' && !open.empty()) {
          if (open.back().second) loops.emplace_back(open.back().first, line);
          open.pop_back();
        }
      }
    }
    for (const auto& [first, last] : loops) {
      if (a >= first && a <= last && b >= first && b <= last) return true;
    }
    return false;
  }

  Snapshot& s_;
  SnapshotBuilder b_;
  SourceFiles& src_;
  bool loaded_ = false;
  std::vector<Function> functions_;
  std::map<int, bool> used_as_value_;
  bool positions_known_ = false;
  std::map<Position, size_t> positions_;
  std::unordered_map<uint64_t, int> position_cache_;
  std::map<std::tuple<WaitKind, StrId, int32_t>, std::optional<std::vector<Site>>> sites_by_place_;
  std::map<std::map<Position, size_t>, Others> others_by_own_;
};

}  // namespace

void infer_go_stuck_waiters(Snapshot& s, SourceFiles& sources) {
  StuckInference(s, sources).run();
}

}  // namespace dla
