// Java holders from the program's source (resolve_java.h): the entry point and the passes'
// order, the source facts of each frame, the keys that name one object, the waiters tied to
// their locks by key (pass 1), and what calls of lock wrappers leave held. Passes 2-3 are in
// graph/java_holds.cpp, pass 4 in graph/java_signallers.cpp.
#include "graph/resolve_java.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <functional>

#include "graph/java_holders.h"
#include "graph/key_ties.h"
#include "graph/resolve_hotspot.h"
#include "graph/text_util.h"

namespace dla {

namespace java {

void JavaHolders::run() {
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

// --- Wait modes: which side of a read/write lock a parked thread asks for (its JDK frames).
void JavaHolders::set_wait_modes() {
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

bool JavaHolders::has_java_frames() const {
  for (const Task& t : s_.tasks) {
    if (t.app_frame != kNone) return true;
  }
  return false;
}

bool JavaHolders::is_app(uint32_t frame) const {
  const Frame& f = s_.frames[frame];
  return f.file != kNoString && f.line > 0 && !hotspot::is_runtime_frame(s_.str(f.function));
}

JavaFrame& JavaHolders::frame_facts(uint32_t frame) {
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

std::vector<std::string_view> JavaHolders::split(std::string_view s, char sep) {
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
std::optional<uint32_t> JavaHolders::caller_of(uint32_t frame) const {
  for (const Task& t : s_.tasks) {
    if (frame < t.first_frame || frame >= t.first_frame + t.frame_count) continue;
    if (frame + 1 < t.first_frame + t.frame_count && is_app(frame + 1)) return frame + 1;
    return std::nullopt;
  }
  return std::nullopt;
}

// The declared type of a local or parameter `name` visible at the frame's line, searched in
// the frame's function and, for a lambda, the functions around it. nullopt: not a local.
std::optional<std::string> JavaHolders::local_type(uint32_t frame, std::string_view name) {
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

int JavaHolders::param_index(const JavaFrame& jf, std::string_view name) const {
  for (size_t k = 0; k < jf.fn->params.size(); ++k) {
    if (jf.fn->params[k] == name) return static_cast<int>(k);
  }
  return -1;
}

// The call of `method` at a caller's line, when it is the only call of that name there (two
// calls of one name on a line could be either).
std::optional<CallSite> JavaHolders::only_call(const SourceText& file, int line,
                                               const std::string& method) {
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
std::optional<std::string> JavaHolders::this_key(uint32_t frame, const std::string& cls,
                                                 int depth) {
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
std::optional<Key> JavaHolders::key_of(uint32_t frame, const std::string& expression, int depth) {
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
bool JavaHolders::target_fits(IdiomTarget target, ResourceKind kind) {
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

void JavaHolders::tie_waiters() {
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

void JavaHolders::tie(const std::string& key, ResourceIndex r) {
  tie_key(tie_, conflicting_, key, r,
          [](ResourceIndex known, ResourceIndex lock) -> std::optional<ResourceIndex> {
            if (known == lock) return lock;
            return std::nullopt;
          });
}

// --- Lock wrappers: what a call of a program method leaves held or released, in the caller's
// terms ("lockForRead()" takes this.rw; "guard.acquire()" takes guard.lock). Every definition
// of the name must agree; a callee's local or parameter names nothing in the caller; a static
// field is qualified with its class, an instance field with the call's receiver (or, without
// one, only when the caller is in the same class).
CallEffects JavaHolders::java_effects() {
  return [this](std::string_view callee, const std::string& receiver,
                const std::vector<std::string>&) { return java_call_effects(callee, receiver); };
}

std::vector<LockCall> JavaHolders::java_call_effects(std::string_view callee,
                                                     const std::string& receiver) {
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
    it =
        wrappers_.emplace(name, disagree || !agreed ? std::vector<WrapperEffect>{} : *agreed).first;
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

bool JavaHolders::same_effects(const std::vector<WrapperEffect>& a,
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

}  // namespace java

void resolve_java_holders(Snapshot& s, SourceFiles& sources) {
  java::JavaHolders(s, sources).run();
}

}  // namespace dla
