// Java holders, pass 4 (see graph/java_holders.h): a waiter on a latch, a Condition or a
// monitor's wait() whose every possible signaller is stuck, read from what each thread may still
// run; with the runtime's tables of signals and of the threads HotSpot starts for itself.
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "graph/analysis.h"
#include "graph/java_holders.h"
#include "graph/resolve_hotspot.h"
#include "graph/text_util.h"

namespace dla::java {

namespace {

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

}  // namespace

std::optional<JavaHolders::Reach> JavaHolders::reach_of(TaskIndex t) {
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
    int from = line_in_loop(*jf.file, *jf.fn, line) ? jf.fn->body_line : line;
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

// The first line of the reach that calls one of `signals` (any receiver: a superset), and the
// frame whose code leads there; nullopt when none does.
bool JavaHolders::wakes_anyone(const std::string& code) {
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
std::optional<std::pair<uint32_t, int>> JavaHolders::signal_in(const Reach& reach,
                                                               const SignalRow& row, bool wakers) {
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
bool JavaHolders::signal_in_callback(const SignalRow& row) {
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
bool JavaHolders::anonymous_around(const SourceText& f, int line) {
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

void JavaHolders::infer_signallers() {
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
        for (std::string_view fn : kVmNotified) vm_notified |= s_.str(s_.frames[k].function) == fn;
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

}  // namespace dla::java
