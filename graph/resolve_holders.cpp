#include "graph/resolve_holders.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "graph/resolve_glibc.h"
#include "graph/resolve_go.h"
#include "graph/text_util.h"
#include "graph/snapshot_builder.h"

namespace dla {

void resolve_holders(Snapshot& s, SourceFiles& sources) {
  if (s.family == RuntimeFamily::kGo) infer_go_holders_from_source(s, sources);
  if (s.family == RuntimeFamily::kNative) infer_native_holders_from_source(s, sources);
}

namespace {

bool is_selector_chain(std::string_view e) {
  if (e.empty()) return false;
  for (char c : e) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  }
  return !std::isdigit(static_cast<unsigned char>(e[0]));
}

// "main.(*SessionStore).Len" → "Len"; closures ("main.main.func1") have no name to call by.
std::string_view callee_name(std::string_view function) {
  std::string_view name = function.substr(function.rfind('.') + 1);
  if (name.rfind("func", 0) == 0 && name.size() > 4 &&
      std::isdigit(static_cast<unsigned char>(name[4]))) {
    return {};
  }
  return name;
}

// The value gdb printed for the argument `name` ("from=0x5592675d80a0 <acct>"), when exact.
std::optional<uint64_t> gdb_argument(std::string_view args, std::string_view name) {
  for (std::string_view item : split_top_level(args)) {
    if (item.substr(0, name.size()) != name || item.size() <= name.size() ||
        item[name.size()] != '=') {
      continue;
    }
    std::string_view value = item.substr(name.size() + 1);
    value = value.substr(0, value.find(' '));
    if (value.rfind("0x", 0) != 0) return std::nullopt;
    return parse_hex(value);
  }
  return std::nullopt;
}

enum class Language : uint8_t { kGo, kC };

// Holders from source, one engine for Go and C/C++: see resolve_holders.h.
class SourceHolderInference {
 public:
  SourceHolderInference(Snapshot& s, SourceFiles& sources, Language lang)
      : s_(s), b_(s), src_(sources), lang_(lang) {}

  void run() {
    is_runtime_.assign(s_.strings.size(), false);
    for (const Frame& f : s_.frames) {
      if (f.function < is_runtime_.size()) {
        is_runtime_[f.function] = lang_ == Language::kGo
                                      ? go::is_runtime_frame(s_.str(f.function))
                                      : glibc::is_runtime_frame(s_.str(f.function), s_.str(f.module));
      }
    }
    tie_waiters();
    infer_holds();
    drop_contradictions();
    warn_unresolved();
  }

 private:
  // What the source says at one line of one file: computed once, however many goroutines stand
  // there (100k goroutines share a few hundred lines).
  // The function around a line, whichever the language.
  struct Function {
    int header_line = 0;
    std::string receiver;  // Go methods only
    std::vector<std::string> params;
  };
  struct LineFacts {
    const std::vector<std::string_view>* lines = nullptr;
    std::optional<Function> fn;
    bool held_known = false;
    std::vector<LockCall> held;  // locks held at the line
    bool call_known = false;
    std::optional<LockCall> call;  // the lock call on the line itself
  };

  // Where the root of a lock expression lives, as seen from one line.
  enum class Binding : uint8_t { kArgument, kLocal, kPackage };
  struct RootFacts {
    Binding binding = Binding::kPackage;
    int index = -1;  // position among the frame's printed arguments (kArgument)
    int param = -1;  // parameter number, -1 for the receiver (kArgument)
    std::string name;     // C: the argument's name as gdb prints it ("this" for members)
    bool member = false;  // C++: the root is a member of *this
  };

  LineFacts& facts(uint32_t frame) {
    const Frame& f = s_.frames[frame];
    uint64_t key = (static_cast<uint64_t>(f.file) << 32) | static_cast<uint32_t>(f.line);
    auto [it, inserted] = facts_.try_emplace(key);
    if (inserted && f.file != kNoString && f.line > 0) {
      LineFacts& lf = it->second;
      lf.lines = src_.lines(s_.str(f.file));
      if (lf.lines == nullptr) return lf;
      if (lang_ == Language::kGo) {
        if (auto fn = go_function_at(*lf.lines, f.line)) {
          lf.fn = Function{fn->header_line, fn->receiver, fn->params};
        }
      } else if (auto fn = c_function_at(*lf.lines, f.line)) {
        lf.fn = Function{fn->header_line, {}, fn->params};
      }
    }
    return it->second;
  }

  const std::vector<LockCall>& held_at(uint32_t frame) {
    LineFacts& lf = facts(frame);
    if (!lf.held_known) {
      lf.held_known = true;
      int line = s_.frames[frame].line;
      if (lf.fn && lang_ == Language::kGo) {
        lf.held = go_locks_held_at(*lf.lines, {lf.fn->header_line, lf.fn->receiver, lf.fn->params},
                                   line);
      } else if (lf.fn) {
        lf.held = c_locks_held_at(*lf.lines, {lf.fn->header_line, lf.fn->params}, line);
      }
    }
    return lf.held;
  }

  const std::optional<LockCall>& call_at(uint32_t frame) {
    LineFacts& lf = facts(frame);
    if (!lf.call_known) {
      lf.call_known = true;
      int line = s_.frames[frame].line;
      if (lf.lines != nullptr) {
        lf.call = lang_ == Language::kGo ? go_lock_call_on(*lf.lines, line)
                                         : c_lock_call_on(*lf.lines, line);
      }
    }
    return lf.call;
  }

  const RootFacts& root_facts(uint32_t frame, const LineFacts& lf, const std::string& root) {
    const Frame& f = s_.frames[frame];
    std::string key = fmt::format("{}:{}:{}", f.file, f.line, root);
    auto [it, inserted] = roots_.try_emplace(std::move(key));
    if (!inserted) return it->second;
    RootFacts& r = it->second;
    const Function& fn = *lf.fn;
    if (!fn.receiver.empty() && root == fn.receiver) {
      r = {Binding::kArgument, 0, -1, {}, false};
      return r;
    }
    for (size_t p = 0; p < fn.params.size(); ++p) {
      if (fn.params[p] == root) {
        r = {Binding::kArgument, static_cast<int>(p) + (fn.receiver.empty() ? 0 : 1),
             static_cast<int>(p), {}, false};
        return r;
      }
    }
    if (lang_ == Language::kC) return c_root_facts(f, lf, root, r);
    if (go_declares_local(*lf.lines, {fn.header_line, fn.receiver, fn.params}, f.line, root)) {
      r.binding = Binding::kLocal;
      return r;
    }
    // A closure sees its enclosing functions' variables: those are locals too.
    for (auto outer = go_function_at(*lf.lines, fn.header_line - 1); outer;
         outer = go_function_at(*lf.lines, outer->header_line - 1)) {
      if (root == outer->receiver ||
          std::find(outer->params.begin(), outer->params.end(), root) != outer->params.end() ||
          go_declares_local(*lf.lines, *outer, fn.header_line, root)) {
        r.binding = Binding::kLocal;
        return r;
      }
      if (outer->header_line <= 1) break;
    }
    return r;
  }

  // C and C++: parameters are found by name (gdb prints "name=value"); a name that is neither a
  // parameter, a local nor a global of the file, in a C++ method, is a member of *this.
  const RootFacts& c_root_facts(const Frame& f, const LineFacts& lf, const std::string& root,
                                RootFacts& r) {
    const Function& fn = *lf.fn;
    r.name = root;
    if (std::find(fn.params.begin(), fn.params.end(), root) != fn.params.end()) {
      r.binding = Binding::kArgument;
      return r;
    }
    if (c_declares_local(*lf.lines, {fn.header_line, fn.params}, f.line, root)) {
      r.binding = Binding::kLocal;
      return r;
    }
    if (s_.str(f.function).find("::") != std::string_view::npos &&
        !c_declares_global(*lf.lines, root)) {
      r.binding = Binding::kArgument;
      r.name = "this";
      r.member = true;
      return r;
    }
    r.binding = Binding::kPackage;
    return r;
  }

  // A key naming the lock `expr` as seen from frame `frame` of `task`, comparable across
  // frames and goroutines; nullopt when the root is a local (or cannot be placed).
  std::optional<std::string> canonical(const Task& task, uint32_t frame, const std::string& expr,
                                       int depth = 0) {
    const LineFacts& lf = facts(frame);
    if (!lf.fn) return std::nullopt;
    const Frame& f = s_.frames[frame];
    std::string root = expr.substr(0, expr.find('.'));
    std::string rest = expr.substr(root.size());
    const RootFacts& r = root_facts(frame, lf, root);
    if (r.binding == Binding::kLocal) return std::nullopt;
    if (r.binding == Binding::kPackage) {
      if (lang_ == Language::kC) return fmt::format("c:{}", expr);
      return fmt::format("pkg:{}.{}", go::package_of(s_.str(f.function)), expr);
    }
    if (lang_ == Language::kC) {
      std::string path = r.member ? "." + expr : rest;
      if (auto value = gdb_argument(s_.str(f.args), r.name)) {
        return fmt::format("val:{:#x}{}", *value, path);
      }
      return fmt::format("frame:{}:{}{}", frame, r.name, path);
    }
    auto args = go::split_args(s_.str(f.args));
    if (r.index < static_cast<int>(args.size())) {
      if (auto word = go::exact_word(args[r.index])) return fmt::format("val:{:#x}{}", *word, rest);
    }
    // What the caller passed: "s.Len()" makes Len's receiver the caller's s.
    uint32_t caller = frame + 1;
    std::string_view callee = callee_name(s_.str(f.function));
    if (depth < 8 && caller < task.first_frame + task.frame_count && !callee.empty()) {
      const LineFacts& caller_facts = facts(caller);
      if (caller_facts.lines != nullptr) {
        if (auto call = go_call_on(*caller_facts.lines, s_.frames[caller].line, callee)) {
          std::string passed = r.param < 0                                     ? call->receiver
                               : r.param < static_cast<int>(call->args.size()) ? call->args[r.param]
                                                                               : "";
          while (!passed.empty() && (passed[0] == '&' || passed[0] == '*')) passed.erase(0, 1);
          if (is_selector_chain(passed)) return canonical(task, caller, passed + rest, depth + 1);
        }
      }
    }
    // Its value is not known, but within this one call it is one variable: a key that only
    // references reaching this very frame share (a method that re-locks its own receiver).
    return fmt::format("frame:{}:{}{}", frame, root, rest);
  }

  // Pass 1: every goroutine blocked on X.Lock() at its own line ties X's key to the lock it
  // waits for; a wait whose address the dump does not show is re-pointed at the key's lock.
  void tie_waiters() {
    for (WaitEdge& w : s_.waits) {
      Resource& r = s_.resources[w.resource];
      if (r.kind != ResourceKind::kMutex && r.kind != ResourceKind::kRwlock) continue;
      if (w.app_frame == kNone) continue;
      const std::optional<LockCall>& call = call_at(w.app_frame);
      if (!call) continue;
      if (r.symbol == kNoString) r.symbol = b_.intern(call->expression);
      const Task& task = s_.tasks[w.task];
      auto key = canonical(task, w.app_frame, call->expression);
      if (!key) continue;
      auto [it, inserted] = tie_.try_emplace(*key, w.resource);
      if (inserted) continue;
      if (it->second == w.resource) continue;
      Resource& known = s_.resources[it->second];
      if (r.address == kNoString) {
        w.resource = it->second;  // the same lock, now with the address another waiter showed
      } else if (known.address == kNoString) {
        // The first waiter had no address, this one has: move the first waiters over.
        ResourceIndex old = it->second;
        it->second = w.resource;
        for (WaitEdge& other : s_.waits) {
          if (other.resource == old) other.resource = w.resource;
        }
      } else {
        conflicting_.insert(*key);  // one expression, two addresses: the key is not an identity
      }
    }
    for (const std::string& key : conflicting_) tie_.erase(key);
  }

  // Pass 2: every goroutine's application frames: the locks each holds at its line.
  void infer_holds() {
    for (TaskIndex t = 0; t < s_.tasks.size(); ++t) {
      const Task& task = s_.tasks[t];
      for (uint32_t i = 0; i < task.frame_count; ++i) {
        uint32_t frame = task.first_frame + i;
        if (is_runtime_[s_.frames[frame].function]) continue;
        for (const LockCall& held : held_at(frame)) {
          auto key = canonical(task, frame, held.expression);
          if (!key) continue;
          auto it = tie_.find(*key);
          if (it == tie_.end()) continue;  // nobody waits for it: irrelevant to any cycle
          HoldEdge h{it->second, t, Evidence::kSource, frame};
          h.line = held.line;
          h.shared = held.shared;
          b_.add_hold(h);
        }
      }
    }
  }

  // A mutex, or an RWMutex held for writing, has one owner at a time. Source inference that
  // finds two (a lock released on a path we cannot follow) is wrong for all of them: drop them.
  void drop_contradictions() {
    std::map<ResourceIndex, std::vector<size_t>> exclusive;
    for (size_t h = 0; h < s_.holds.size(); ++h) {
      const HoldEdge& hold = s_.holds[h];
      if (hold.evidence == Evidence::kSource && !hold.shared) exclusive[hold.resource].push_back(h);
    }
    std::set<size_t> drop;
    // An aggregated record (debug=1) stands for several goroutines: they cannot all hold it.
    for (const auto& [resource, holds] : exclusive) {
      for (size_t h : holds) {
        const Task& t = s_.tasks[s_.holds[h].task];
        if (t.count < 2) continue;
        drop.insert(h);
        b_.warn(s_.source, fmt::format("source inference finds {} held by all {} {}s of record "
                                       "{}; that hold was dropped",
                                       describe(resource), t.count, s_.task_noun, s_.str(t.id)));
      }
    }
    for (const auto& [resource, holds] : exclusive) {
      if (holds.size() < 2) continue;
      std::string who;
      for (size_t h : holds) {
        who += fmt::format("{}{}", who.empty() ? "" : ", ", s_.str(s_.tasks[s_.holds[h].task].id));
        drop.insert(h);
      }
      const Resource& r = s_.resources[resource];
      b_.warn(s_.source, fmt::format("source inference finds {} {} held by several {}s at once "
                                     "({}); those holds were dropped",
                                     to_string(r.kind), describe(resource), s_.task_noun, who));
    }
    if (drop.empty()) return;
    std::vector<HoldEdge> kept;
    for (size_t h = 0; h < s_.holds.size(); ++h) {
      if (!drop.count(h)) kept.push_back(s_.holds[h]);
    }
    s_.holds = std::move(kept);
  }

  std::string describe(ResourceIndex r) const {
    const Resource& res = s_.resources[r];
    if (res.symbol != kNoString) return std::string(s_.str(res.symbol));
    return std::string(s_.str(res.address));
  }

  // Waiters for locks whose holder is still unknown: say why, and what would help.
  void warn_unresolved() {
    std::vector<bool> held(s_.resources.size(), false);
    for (const HoldEdge& h : s_.holds) held[h.resource] = true;
    size_t unresolved = 0;
    for (const WaitEdge& w : s_.waits) {
      ResourceKind k = s_.resources[w.resource].kind;
      if ((k == ResourceKind::kMutex || k == ResourceKind::kRwlock) && !held[w.resource]) {
        ++unresolved;
      }
    }
    if (unresolved == 0) return;
    std::string message = fmt::format(
        "{} {} for a lock whose holder is unknown: {}, and holders are inferred from the source "
        "of each frame",
        unresolved, unresolved == 1 ? s_.task_noun + " waits" : s_.task_noun + "s wait",
        lang_ == Language::kGo ? "a Go mutex records no owner"
                               : "the dump shows no owner and no owner output was given");
    // Only application frames are read, so every missing file is the application's.
    const std::vector<std::string>& missing = src_.missing();
    if (!missing.empty()) {
      std::string dir = missing[0].substr(0, missing[0].rfind('/'));
      message += fmt::format(
          "; not readable: {}{} (--source-root {}=DIR rewrites that path)", missing[0],
          missing.size() > 1 ? fmt::format(" and {} more", missing.size() - 1) : "", dir);
    }
    b_.warn(s_.source, message);
  }

  Snapshot& s_;
  SnapshotBuilder b_;
  SourceFiles& src_;
  Language lang_;
  std::unordered_map<std::string, ResourceIndex> tie_;
  std::unordered_map<uint64_t, LineFacts> facts_;
  std::unordered_map<std::string, RootFacts> roots_;
  std::vector<bool> is_runtime_;  // per interned function name
  std::set<std::string> conflicting_;
};

}  // namespace

void infer_go_holders_from_source(Snapshot& s, SourceFiles& sources) {
  SourceHolderInference(s, sources, Language::kGo).run();
}

void infer_native_holders_from_source(Snapshot& s, SourceFiles& sources) {
  SourceHolderInference(s, sources, Language::kC).run();
}

}  // namespace dla
