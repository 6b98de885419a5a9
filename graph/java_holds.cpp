// Java holders, passes 2 and 3 (see graph/java_holders.h): what each program frame holds at its
// line, tied to a waiter's lock by key; the source holds that the lock records or the lock's rules
// refute, dropped; and the warning for waiters still without a holder.
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "graph/java_holders.h"
#include "graph/resolve_hotspot.h"
#include "graph/text_util.h"

namespace dla::java {

// --- Pass 2: what each frame holds at its line, tied by key.
void JavaHolders::infer_holds() {
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
bool JavaHolders::only_permit_with(TaskIndex holder, ResourceIndex r, const Key& k) {
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
bool JavaHolders::may_have_released(const Task& task, uint32_t index, const LockCall& held) {
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
bool JavaHolders::releases(const std::string& name, int depth) {
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
void JavaHolders::drop_contradictions() {
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
          warn_dropped(
              resource, h,
              fmt::format("the JVM lists {} as its owner", s_.str(s_.tasks[s_.holds[k].task].id)));
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

void JavaHolders::warn_dropped(ResourceIndex r, size_t h, const std::string& why) {
  b_.warn(s_.source,
          fmt::format("source inference finds {} {} held by thread {}, but {}: not counted",
                      to_string(s_.resources[r].kind), describe(r),
                      s_.str(s_.tasks[s_.holds[h].task].id), why));
}

std::string JavaHolders::describe(ResourceIndex r) const {
  const Resource& res = s_.resources[r];
  std::string a(s_.str(res.address));
  if (res.symbol != kNoString) return fmt::format("{} <{}>", s_.str(res.symbol), a);
  return "<" + a + ">";
}

// --- Waiters still without a holder: say why.
void JavaHolders::warn_unresolved() {
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

}  // namespace dla::java
