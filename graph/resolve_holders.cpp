// Holders from the program's source (resolve_holders.h): the entry point by runtime, and the
// passes of the Go and C/C++ inference: every waiter's lock tied to the keys of what it waits
// at (pass 1), the locks each frame holds tied through those keys (pass 2), holds a stronger
// witness refutes dropped (pass 3), and the warning for waiters still without a holder. The
// source is read in graph/holder_keys.cpp.
#include "graph/resolve_holders.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>

#include "graph/go_stuck.h"
#include "graph/holder_inference.h"
#include "graph/key_ties.h"
#include "graph/native_stuck.h"
#include "graph/resolve_glibc.h"
#include "graph/resolve_go.h"
#include "graph/resolve_java.h"
#include "graph/snapshot_builder.h"
#include "graph/source_code.h"
#include "graph/text_numbers.h"
#include "graph/text_util.h"

namespace dla {

namespace holders {

void HolderInference::run() {
  is_runtime_.assign(s_.strings.size(), false);
  for (const Frame& f : s_.frames) {
    if (f.function < is_runtime_.size()) {
      is_runtime_[f.function] = lang_ == SourceLanguage::kGo
                                    ? go::is_runtime_frame(s_.str(f.function))
                                    : glibc::is_runtime_frame(s_.str(f.function), s_.str(f.module));
    }
  }
  tie_waiters();
  infer_holds();
  drop_contradictions();
  warn_unresolved();
}

// --- Pass 1: every waiter ties the keys of what it waits for to the lock.
bool HolderInference::is_lock(ResourceKind k) {
  return k == ResourceKind::kMutex || k == ResourceKind::kRwlock;
}

// Locks found to be one (a waiter without an address and one with, at the same key) are
// merged into the one with the address; `same_` is a union-find over resources.
ResourceIndex HolderInference::find(ResourceIndex r) {
  while (same_[r] != r) r = same_[r] = same_[same_[r]];
  return r;
}

// Two locks at one key are one when at most one of them shows an address: merged into it.
void HolderInference::tie(const std::string& key, ResourceIndex r) {
  tie_key(tie_, conflicting_, key, find(r),
          [&](ResourceIndex known, ResourceIndex lock) -> std::optional<ResourceIndex> {
            known = find(known);
            if (known == lock) return known;
            if (s_.resources[lock].address == kNoString) {
              merge(lock, known);  // the same lock, now with the address another waiter showed
              return known;
            }
            if (s_.resources[known].address == kNoString) {
              merge(known, lock);
              return lock;
            }
            return std::nullopt;
          });
}

void HolderInference::merge(ResourceIndex from, ResourceIndex to) {
  same_[from] = to;
  if (s_.resources[from].writers_first) s_.resources[to].writers_first = true;
}

void HolderInference::tie_waiters() {
  same_.resize(s_.resources.size());
  for (ResourceIndex r = 0; r < same_.size(); ++r) same_[r] = r;
  // A lock's own address and, where the dump names it, its symbol are keys of it.
  std::vector<bool> seen(s_.resources.size(), false);
  for (const WaitEdge& w : s_.waits) {
    const Resource& r = s_.resources[w.resource];
    if (!is_lock(r.kind) || seen[w.resource]) continue;
    seen[w.resource] = true;
    if (r.address != kNoString && r.address_value != 0)
      tie("val:" + hex_address(r.address_value), w.resource);
    if (r.symbol != kNoString && lang_ != SourceLanguage::kGo) {
      tie("global:" + std::string(s_.str(r.symbol)), w.resource);
    }
  }
  for (size_t i = 0; i < s_.waits.size(); ++i) {
    WaitEdge& w = s_.waits[i];
    if (!is_lock(s_.resources[w.resource].kind) || w.app_frame == kNone) continue;
    const LockCall* call = waited_call(w);
    if (call == nullptr) continue;
    if (w.evidence == Evidence::kInferred) check_guessed_address(w, *call);
    std::vector<std::string> found;
    keys(w.task, w.app_frame, call->expression, s_.frames[w.app_frame].line, 0, true, true, found);
    for (const std::string& key : found) tie(key, w.resource);
    ResourceIndex r = find(w.resource);
    if (s_.resources[r].symbol == kNoString) {
      s_.resources[r].symbol = b_.intern(display_expression(call->expression));
    }
  }
  for (WaitEdge& w : s_.waits) w.resource = find(w.resource);
  for (auto& [key, r] : tie_) r = find(r);
}

// A parser may guess a lock's address from the application frame's only pointer argument
// (gdb without libc's debug info prints no lock argument). The source says whether that
// pointer is the lock ("pthread_mutex_lock(l)": yes) or an object holding it
// ("pthread_mutex_lock(&c->lock)": the lock is somewhere inside): a confirmed guess is an
// argument; a refuted one is dropped, and the lock's address is unknown.
void HolderInference::check_guessed_address(WaitEdge& w, const LockCall& call) {
  const Resource& lock = s_.resources[w.resource];
  Expression e = parse_expression(call.expression);
  LineFacts& lf = facts(w.app_frame);
  bool confirmed = false;
  if (lf.fn && (e.deref || lang_ == SourceLanguage::kGo) && e.path.empty()) {
    const RootFacts& r = root_facts(w.app_frame, lf, e.root);
    if (r.binding == Binding::kParameter) {
      auto arg = argument_of(w.app_frame, lf, r, e.root);
      confirmed = arg && arg->value == lock.address_value;
    }
  }
  if (confirmed) {
    w.evidence = Evidence::kArgument;
    return;
  }
  ResourceIndex fresh = b_.unknown_resource(lock.kind, s_.str(lock.type));
  same_.push_back(fresh);
  w.resource = fresh;
}

// The lock call a waiter stands at: the only one on its line (in the wait's mode, when the
// line has several); nullptr when it cannot be told.
const LockCall* HolderInference::waited_call(const WaitEdge& w) {
  const std::vector<LockCall>& calls = calls_at(w.app_frame);
  const LockCall* found = nullptr;
  for (const LockCall& call : calls) {
    if (calls.size() > 1 && call.shared != w.shared) continue;
    if (found != nullptr && found->expression != call.expression) return nullptr;
    found = &call;
  }
  return found;
}

// --- Pass 2: every task's application frames: the locks each holds at its line.
void HolderInference::infer_holds() {
  if (tie_.empty()) return;
  for (TaskIndex t = 0; t < s_.tasks.size(); ++t) {
    const Task& task = s_.tasks[t];
    for (uint32_t i = 0; i < task.frame_count; ++i) {
      uint32_t frame = task.first_frame + i;
      if (is_runtime_[s_.frames[frame].function]) continue;
      for (const LockCall& held : held_at(frame)) {
        std::vector<std::string> found;
        keys(t, frame, held.expression, held.line, 0, true, true, found);
        std::set<ResourceIndex> locks;
        for (const std::string& key : found) {
          if (auto it = tie_.find(key); it != tie_.end()) locks.insert(it->second);
        }
        if (locks.size() != 1) continue;  // nobody waits for it, or it is not one lock
        HoldEdge h{*locks.begin(), t, Evidence::kSource, frame};
        h.line = held.line;
        h.shared = held.shared;
        b_.add_hold(h);
      }
    }
  }
}

// --- Pass 3: what a stronger witness or the locks' own rules refute.
void HolderInference::drop_contradictions() {
  std::map<ResourceIndex, std::vector<size_t>> by_lock;
  for (size_t h = 0; h < s_.holds.size(); ++h) by_lock[s_.holds[h].resource].push_back(h);
  std::set<size_t> drop;
  for (const auto& [resource, holds] : by_lock) {
    std::vector<size_t> source, stronger;
    for (size_t h : holds) {
      (s_.holds[h].evidence == Evidence::kSource ? source : stronger).push_back(h);
    }
    if (source.empty()) continue;
    // An owner read from memory or a lock record: the lock has that one exclusive holder.
    bool exclusive_owner = std::any_of(stronger.begin(), stronger.end(),
                                       [&](size_t h) { return !s_.holds[h].shared; });
    if (exclusive_owner) {
      std::vector<size_t> refuted;
      for (size_t h : source) {
        bool same_task = std::any_of(stronger.begin(), stronger.end(), [&](size_t k) {
          return s_.holds[k].task == s_.holds[h].task;
        });
        if (!same_task) refuted.push_back(h);
      }
      if (!refuted.empty()) {
        warn_dropped(resource, refuted,
                     fmt::format("{} shows another owner ({})",
                                 evidence_name(s_.holds[stronger[0]].evidence),
                                 s_.str(s_.tasks[s_.holds[stronger[0]].task].id)));
        drop.insert(refuted.begin(), refuted.end());
      }
      continue;
    }
    // Source alone: an exclusive hold excludes every other holder.
    std::set<TaskIndex> tasks;
    bool any_exclusive = false;
    for (size_t h : source) {
      tasks.insert(s_.holds[h].task);
      any_exclusive |= !s_.holds[h].shared;
      // An aggregated record (debug=1) stands for several goroutines: they cannot all hold it.
      const Task& t = s_.tasks[s_.holds[h].task];
      if (!s_.holds[h].shared && t.count > 1) {
        warn_dropped(resource, {h},
                     fmt::format("all {} {}s of record {} would hold it", t.count, s_.task_noun,
                                 s_.str(t.id)));
        drop.insert(h);
      }
    }
    if (any_exclusive && tasks.size() > 1) {
      warn_dropped(resource, source, "one writer excludes every other holder");
      drop.insert(source.begin(), source.end());
    }
  }
  if (drop.empty()) return;
  std::vector<HoldEdge> kept;
  for (size_t h = 0; h < s_.holds.size(); ++h) {
    if (!drop.count(h)) kept.push_back(s_.holds[h]);
  }
  s_.holds = std::move(kept);
}

const char* HolderInference::evidence_name(Evidence e) {
  switch (e) {
    case Evidence::kMemory:
      return "memory";
    case Evidence::kLockRecord:
      return "a lock record";
    case Evidence::kDeclared:
      return "the runtime's report";
    default:
      return "a frame argument";
  }
}

void HolderInference::warn_dropped(ResourceIndex resource, const std::vector<size_t>& holds,
                                   const std::string& why) {
  std::string who;
  for (size_t h : holds) {
    who += fmt::format("{}{}", who.empty() ? "" : ", ", s_.str(s_.tasks[s_.holds[h].task].id));
  }
  const Resource& r = s_.resources[resource];
  b_.warn(s_.source, fmt::format("source inference finds {} {} held by {} {}, but {}: not counted",
                                 to_string(r.kind), describe(resource), s_.task_noun, who, why));
}

std::string HolderInference::describe(ResourceIndex r) const {
  const Resource& res = s_.resources[r];
  if (res.symbol != kNoString) return std::string(s_.str(res.symbol));
  return std::string(s_.str(res.address));
}

// Waiters for locks whose holder is still unknown: say why, and what would help.
void HolderInference::warn_unresolved() {
  std::vector<bool> held(s_.resources.size(), false);
  for (const HoldEdge& h : s_.holds) held[h.resource] = true;
  size_t unresolved = 0;
  for (const WaitEdge& w : s_.waits) {
    if (is_lock(s_.resources[w.resource].kind) && !held[w.resource]) ++unresolved;
  }
  if (unresolved == 0) return;
  std::string message = fmt::format(
      "{} {} for a lock whose holder is unknown: {}, and holders are inferred from the source "
      "of each frame",
      unresolved, unresolved == 1 ? s_.task_noun + " waits" : s_.task_noun + "s wait",
      lang_ == SourceLanguage::kGo ? "a Go mutex records no owner"
                                   : "the dump shows no owner and no owner output was given");
  // gdb prints a C++ reference as "...": the object it names has no address in the dump.
  if (lang_ == SourceLanguage::kC && s_.decode_arguments != nullptr) {
    bool references = false;
    for (const WaitEdge& w : s_.waits) {
      if (w.app_frame == kNone || held[w.resource]) continue;
      const Task& t = s_.tasks[w.task];
      for (uint32_t f = w.app_frame; f < t.first_frame + t.frame_count && !references; ++f) {
        for (const ArgumentValue& a : s_.decode_arguments(s_.str(s_.frames[f].args))) {
          references |= a.reference && !a.value;
        }
      }
    }
    if (references) {
      message +=
          "; frames pass objects by C++ reference, which gdb prints as '...': 'thread "
          "apply all bt -frame-arguments all' prints their addresses";
    }
  }
  // Only application frames are read, so every missing file is the application's.
  const std::vector<std::string>& missing = src_.missing();
  if (!missing.empty()) {
    std::string dir = missing[0].substr(0, missing[0].rfind('/'));
    message +=
        fmt::format("; not readable: {}{} (--source-root {}=DIR rewrites that path)", missing[0],
                    missing.size() > 1 ? fmt::format(" and {} more", missing.size() - 1) : "", dir);
  }
  b_.warn(s_.source, message);
}

}  // namespace holders

void resolve_holders(Snapshot& s, SourceFiles& sources) {
  using holders::HolderInference;
  if (s.family == RuntimeFamily::kGo) {
    HolderInference(s, sources, SourceLanguage::kGo).run();
    infer_go_stuck_waiters(s, sources);
  }
  if (s.family == RuntimeFamily::kNative) {
    HolderInference(s, sources, SourceLanguage::kC).run();
    infer_native_stuck_waiters(s);
  }
  if (s.family == RuntimeFamily::kJvm) resolve_java_holders(s, sources);
}

}  // namespace dla
