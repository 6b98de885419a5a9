#include "render/report_advice.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "render/escape.h"

namespace dla {

const char* to_string(Language language) {
  switch (language) {
    case Language::kGo:
      return "Go";
    case Language::kJava:
      return "Java";
    case Language::kC:
      return "C";
    case Language::kCpp:
      return "C++";
    case Language::kUnknown:
      break;
  }
  return "the program's language";
}

Language language_of_file(std::string_view path) {
  size_t dot = path.find_last_of('.');
  if (dot == std::string_view::npos) return Language::kUnknown;
  std::string_view ext = path.substr(dot + 1);
  if (ext == "go") return Language::kGo;
  if (ext == "java" || ext == "kt") return Language::kJava;
  if (ext == "c") return Language::kC;
  if (ext == "cpp" || ext == "cc" || ext == "cxx" || ext == "hpp" || ext == "hh" || ext == "h") {
    return ext == "h" ? Language::kC : Language::kCpp;
  }
  return Language::kUnknown;
}

namespace {

std::string code(std::string_view s) {
  return md_code(s);
}

// The info string of a fenced block in this language.
const char* fence_language(Language l) {
  switch (l) {
    case Language::kGo:
      return "go";
    case Language::kJava:
      return "java";
    case Language::kC:
      return "c";
    case Language::kCpp:
      return "cpp";
    case Language::kUnknown:
      break;
  }
  return "text";
}

std::string block(Language l, const std::string& body) {
  return md_fence(body, fence_language(l));
}

// "main.(*SessionStore).Len" → {"SessionStore", "Len"}; "main.keepAlive" → {"", "keepAlive"};
// "audit_ledger" → {"", "audit_ledger"}; "MonitorCycle.transferBtoA" → {"", "transferBtoA"}.
struct FunctionName {
  std::string type, name;
};
FunctionName split_function(std::string_view f) {
  size_t open = f.find("(*");
  size_t close = f.find(").", open == std::string_view::npos ? 0 : open);
  if (open != std::string_view::npos && close != std::string_view::npos) {
    return {std::string(f.substr(open + 2, close - open - 2)), std::string(f.substr(close + 2))};
  }
  size_t dot = f.find_last_of('.');
  size_t colons = f.rfind("::");
  size_t cut = dot == std::string_view::npos ? colons : dot;
  if (colons != std::string_view::npos && (dot == std::string_view::npos || colons > dot)) {
    return {"", std::string(f.substr(colons + 2))};
  }
  return {"", std::string(cut == std::string_view::npos ? f : f.substr(cut + 1))};
}

// The helper that does `function`'s work with the lock already held.
std::string locked_helper(Language l, const std::string& function) {
  std::string name = split_function(function).name;
  if (name.empty()) name = "work";
  if (l == Language::kGo || l == Language::kJava) {
    name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
    return name + "Locked";
  }
  return name + "_locked";
}

// --- cycles -------------------------------------------------------------------------------------

// One order for the locks of a cycle: the order the first member takes them in, extended along
// the cycle. Every member but the last already agrees with it; the last one is the call site to
// change (it holds the last-but-one lock and waits for the first).
std::vector<std::string> canonical_order(const std::vector<CycleStep>& steps) {
  std::vector<std::string> order{steps[0].held};
  for (size_t i = 0; i + 1 < steps.size(); ++i) order.push_back(steps[i].wanted);
  return order;
}

std::string lock_order_sketch(Language l, const CycleStep& change,
                              const std::vector<std::string>& order, bool read_write) {
  bool symbols = change.held_is_symbol && change.wanted_is_symbol;
  std::string first = change.wanted, second = change.held;
  std::string function = change.function.empty() ? "this thread" : change.function;
  switch (l) {
    case Language::kGo:
      if (!symbols) return "";
      return block(l, fmt::format("// {}: take {} before {}, as the other goroutines do{}\n"
                                  "{}.Lock()\ndefer {}.Unlock()\n{}.Lock()\ndefer {}.Unlock()\n",
                                  function, first, second,
                                  read_write ? " (RLock/RUnlock where it only reads)" : "", first,
                                  first, second, second));
    case Language::kC:
      if (!symbols) return "";
      return block(l, fmt::format("/* {}: take {} before {}, as the other threads do */\n"
                                  "pthread_mutex_lock(&{});\npthread_mutex_lock(&{});\n/* … */\n"
                                  "pthread_mutex_unlock(&{});\npthread_mutex_unlock(&{});\n",
                                  function, first, second, first, second, second, first));
    case Language::kCpp:
      if (!symbols) return "";
      return block(l, fmt::format("// {}: take {} before {}, as the other threads do\n"
                                  "std::lock_guard<std::mutex> first({});\n"
                                  "std::lock_guard<std::mutex> second({});\n"
                                  "// or, where both are taken together, deadlock-free in any "
                                  "order:\n// std::scoped_lock both({}, {});\n",
                                  function, first, second, first, second, first, second));
    case Language::kJava: {
      bool locks = first.find("Lock") != std::string::npos;
      if (locks) {
        return block(l, fmt::format("// {}: lock {} before {}, as the other threads do\n"
                                    "first.lock();   // {}\ntry {{\n  second.lock();   // {}\n"
                                    "  try {{ /* … */ }} finally {{ second.unlock(); }}\n"
                                    "}} finally {{\n  first.unlock();\n}}\n",
                                    function, first, second, first, second));
      }
      return block(l, fmt::format("// {}: lock {} before {}, as the other threads do\n"
                                  "synchronized (first) {{        // {}\n"
                                  "  synchronized (second) {{     // {}\n    // …\n  }}\n}}\n",
                                  function, first, second, first, second));
    }
    case Language::kUnknown:
      break;
  }
  (void)order;
  return "";
}

std::string patch_lock_order(const AdviceInput& in) {
  const auto& steps = in.cycle;
  if (steps.size() < 2) return "";
  std::vector<std::string> order = canonical_order(steps);
  std::string chain;
  for (size_t i = 0; i < order.size(); ++i) chain += (i ? " → " : "") + code(order[i]);
  const CycleStep& change = steps.back();
  std::string others;
  // A step whose frame the dump does not show is named by its task.
  auto where = [](const CycleStep& step) {
    return step.function.empty() ? step.task : code(step.function);
  };
  for (size_t i = 0; i + 1 < steps.size(); ++i) {
    others += fmt::format("{}{}", i ? ", " : "", where(steps[i]));
  }
  bool read_write = in.pattern == Pattern::kReadWriteInversion;
  std::string out = fmt::format(
      "Take these locks in one order everywhere: {}. {} already {} them in this order. Change "
      "{}: it holds {}{} and then waits for {}{}; take {} first.{}\n\n",
      chain, others, steps.size() == 2 ? "takes" : "take", where(change), code(change.held),
      change.held_where.empty() ? "" : " (" + change.held_where + ")", code(change.wanted),
      change.wanted_at.empty() ? "" : " at " + change.wanted_at, code(change.wanted),
      read_write ? " A read lock is part of the order too: a writer waits for every reader, and "
                   "new readers queue behind a waiting writer."
                 : "");
  out += lock_order_sketch(in.language, change, order, read_write);
  if (in.language == Language::kJava) {
    out +=
        "\nWhere one order cannot be kept, `ReentrantLock.tryLock(timeout, unit)` lets a "
        "thread back off instead of waiting forever.\n";
  }
  return out;
}

std::string patch_self_deadlock(const AdviceInput& in) {
  if (in.cycle.empty()) return "";
  // The member that asks again for what it holds (a recursive read's cycle also has the writer
  // queued in between, which holds nothing).
  const CycleStep* again = &in.cycle[0];
  for (const CycleStep& step : in.cycle) {
    if (!step.held.empty() && step.held == step.wanted) {
      again = &step;
      break;
    }
  }
  const CycleStep& s = *again;
  std::string helper = locked_helper(in.language, s.function);
  bool read = in.pattern == Pattern::kRecursiveRead;
  // Who took the lock first: the frame the evidence names, else one of the callers on the stack.
  // In prose and in the sketch's comment: who holds the lock when the call is made.
  std::string holder = code(s.held_in);
  std::string in_holder = fmt::format("In {}, which holds {}", s.held_in, s.held);
  std::string first;
  if (!s.held_in.empty()) {
    first = fmt::format(
        "{} holds {}{} and, still holding it, calls into {}, which asks for {} "
        "again{}.",
        code(s.held_in), code(s.held), s.held_where.empty() ? "" : " (" + s.held_where + ")",
        code(s.function), code(s.wanted), s.wanted_at.empty() ? "" : " at " + s.wanted_at);
  } else {
    std::string callers;
    for (size_t i = 0; i < s.callers.size(); ++i) {
      callers += (i ? ", " : "") + code(s.callers[i]);
    }
    first = fmt::format(
        "{} asks for {}{} while its own thread already holds it: it was taken "
        "earlier on the same stack{}, and the dump does not say where.",
        code(s.function), code(s.wanted), s.wanted_at.empty() ? "" : " at " + s.wanted_at,
        callers.empty() ? "" : " (by one of its callers: " + callers + ")");
    holder = "the caller that took it";
    in_holder = fmt::format("In the caller that took {}", s.held);
  }
  std::string out = fmt::format(
      "{} {} Move the work of {} into {}, which expects the lock to be held, and call that from "
      "{}; or release {} before the call.\n\n",
      first,
      read ? "A second read lock waits behind any writer that queued in between, and that writer "
             "waits for the first read lock."
           : "The lock is not reentrant.",
      code(s.function), code(helper), holder, code(s.held));
  if (!s.held_is_symbol) return out;
  std::string lock = read ? "RLock" : "Lock", unlock = read ? "RUnlock" : "Unlock";
  FunctionName f = split_function(s.function);
  switch (in.language) {
    case Language::kGo: {
      std::string root = s.held.substr(0, s.held.find('.'));
      std::string receiver = f.type.empty() ? "" : fmt::format("({} *{}) ", root, f.type);
      std::string call = f.type.empty() ? helper + "()" : root + "." + helper + "()";
      out +=
          block(in.language,
                fmt::format(
                    "// {} does the work of {}; the caller holds {}.\nfunc {}{}() /* results */ {{ "
                    "/* … */ }}\n\nfunc {}{}() /* results */ {{\n\t{}.{}()\n\tdefer "
                    "{}.{}()\n\treturn {}\n}}\n\n// {}: call {}.\n",
                    helper, f.name, s.held, receiver, helper, receiver, f.name, s.held, lock,
                    s.held, unlock, call, in_holder, call));
      break;
    }
    case Language::kC:
    case Language::kCpp:
      out += block(in.language,
                   fmt::format("/* {}: the work of {}; the caller holds {}. */\nstatic void "
                               "{}(void) {{ /* … */ }}\n\nvoid {}(void) {{\n  "
                               "pthread_mutex_lock(&{});\n  {}();\n  "
                               "pthread_mutex_unlock(&{});\n}}\n/* {}: call {}(). */\n",
                               helper, f.name, s.held, helper, f.name, s.held, helper, s.held,
                               in_holder, helper));
      break;
    case Language::kJava:
    case Language::kUnknown:
      break;
  }
  return out;
}

// A read lock kept while asking for the write lock of the same lock: no lock upgrades in place
// (sync.RWMutex, pthread_rwlock_t, std::shared_mutex, ReentrantReadWriteLock).
std::string patch_read_upgrade(const AdviceInput& in) {
  if (in.cycle.empty()) return "";
  const CycleStep* upgrading = &in.cycle[0];
  for (const CycleStep& step : in.cycle) {
    if (!step.held.empty() && step.held == step.wanted) {
      upgrading = &step;
      break;
    }
  }
  const CycleStep& s = *upgrading;
  std::string out = fmt::format(
      "{} holds the read lock of {}{} and asks for its write lock{}: the write lock waits until "
      "every reader has left, {} included{}. Release the read lock before taking the write lock "
      "and check again what was read under it (another writer may have changed it in between), "
      "or take the write lock from the start.\n\n",
      code(s.function), code(s.held), s.held_where.empty() ? "" : " (" + s.held_where + ")",
      s.wanted_at.empty() ? "" : " at " + s.wanted_at, s.task,
      in.cycle.size() > 1 ? ", and every other member waits the same way" : "");
  if (in.language == Language::kGo && s.held_is_symbol) {
    out += block(in.language,
                 fmt::format("{0}.RLock()\nok := /* read */\n{0}.RUnlock()\nif !ok {{\n\t{0}."
                             "Lock()\n\t// check again: another writer may have been first\n\t"
                             "/* write */\n\t{0}.Unlock()\n}}\n",
                             s.held));
  }
  return out;
}

std::string patch_join_cycle(const AdviceInput& in) {
  std::string who;
  for (const CycleStep& s : in.cycle) {
    who += fmt::format("{}{} waits for {} to end{}", who.empty() ? "" : "; ", s.task,
                       s.wanted.empty() ? "the next thread" : code(s.wanted),
                       s.wanted_at.empty() ? "" : " (" + s.wanted_at + ")");
  }
  std::string out = fmt::format(
      "{}. No thread of the ring can end first. Join only the threads a thread created, and "
      "never one that may join it back: let one owner (the thread that started them, usually "
      "`main`) join all of them.\n\n",
      who);
  if (in.language == Language::kC || in.language == Language::kCpp) {
    out += block(in.language,
                 "/* in the owner only, after starting the workers: */\nfor (size_t i = 0; i < "
                 "n_workers; i++)\n  pthread_join(workers[i], NULL);\n");
  }
  return out;
}

// --- waits --------------------------------------------------------------------------------------

std::string where(const WaitSite& w) {
  return fmt::format("{}{}", code(w.function), w.place.empty() ? "" : " (" + w.place + ")");
}

std::string patch_lost_wakeup(const AdviceInput& in) {
  std::string out = fmt::format(
      "{} waits on a condition in {}. Wait in a loop on a predicate that is checked and set under "
      "the same lock, signal after setting it (Broadcast/notifyAll when several wait), and "
      "bound the wait so that a lost signal is a timeout, not a hang.\n\n",
      in.wait.who, where(in.wait));
  switch (in.language) {
    case Language::kGo:
      out += block(in.language,
                   "c.L.Lock()\nfor !ready { // the predicate, read under c.L\n\tc.Wait()\n}\n"
                   "c.L.Unlock()\n\n// the signaller\nc.L.Lock()\nready = true\nc.L.Unlock()\n"
                   "c.Broadcast()\n");
      break;
    case Language::kJava:
      out += block(in.language,
                   "synchronized (lock) {\n  while (!ready) {   // the predicate, read under the "
                   "lock\n    lock.wait(timeoutMillis);\n  }\n}\n// the signaller\n"
                   "synchronized (lock) {\n  ready = true;\n  lock.notifyAll();\n}\n");
      break;
    case Language::kC:
    case Language::kCpp:
      out += block(in.language,
                   "pthread_mutex_lock(&m);\nwhile (!ready)   /* the predicate, read under m */\n"
                   "  pthread_cond_timedwait(&c, &m, &deadline);\npthread_mutex_unlock(&m);\n"
                   "/* the signaller */\npthread_mutex_lock(&m);\nready = 1;\n"
                   "pthread_cond_broadcast(&c);\npthread_mutex_unlock(&m);\n");
      break;
    case Language::kUnknown:
      break;
  }
  return out;
}

std::string patch_channel(const AdviceInput& in) {
  std::string out = fmt::format(
      "{} waits for a partner on a {} in {}. Give every blocking channel operation a way out: a "
      "`select` with `<-ctx.Done()` (or a timeout) beside the send or receive; close a channel "
      "when its producer is done, so that `range` loops end; never block on a nil channel (set a "
      "channel to nil only to disable a `select` case).\n\n",
      in.wait.who, in.wait.waits_on.empty() ? "channel" : code(in.wait.waits_on), where(in.wait));
  if (in.language == Language::kGo) {
    out +=
        block(in.language, fmt::format("// {}\nselect {{\ncase ch <- v: // or: v, ok := <-ch\ncase "
                                       "<-ctx.Done():\n\treturn ctx.Err()\n}}\n",
                                       in.wait.function));
  }
  return out;
}

std::string patch_empty_select(const AdviceInput& in) {
  std::string out = fmt::format(
      "{} blocks in `select {{}}` in {}, which can never return. Wait for something that can end "
      "instead: the context of the server, or a signal.\n\n",
      in.wait.who, where(in.wait));
  if (in.language == Language::kGo) {
    out += block(in.language,
                 fmt::format("// {}\nctx, stop := signal.NotifyContext(context.Background(), "
                             "os.Interrupt, syscall.SIGTERM)\ndefer stop()\n<-ctx.Done()\n",
                             in.wait.function));
  }
  return out;
}

std::string patch_waitgroup(const AdviceInput& in) {
  std::string out = fmt::format(
      "{} waits in `WaitGroup.Wait` in {} for `Done()` calls that do not come. Call `Done` with "
      "`defer` as the first statement of each worker, so that every return path counts; call "
      "`Add` before starting each worker; and when workers can block, cancel them with a "
      "context and wait with a deadline.\n\n",
      in.wait.who, where(in.wait));
  if (in.language == Language::kGo) {
    out += block(in.language,
                 "wg.Add(1)\ngo func() {\n\tdefer wg.Done() // first: every return path counts\n"
                 "\t// …\n}()\n\ndone := make(chan struct{})\ngo func() { wg.Wait(); close(done) "
                 "}()\nselect {\ncase <-done:\ncase <-ctx.Done():\n\treturn ctx.Err()\n}\n");
  }
  return out;
}

std::string patch_leak(const AdviceInput& in) {
  std::string started =
      in.wait.created_by.empty() ? "" : fmt::format(", started by {}", code(in.wait.created_by));
  std::string out = fmt::format(
      "{} are parked in {}{}. Bound the lifetime of each: pass the request's context and return "
      "on `ctx.Done()`, or give the channel a buffer for every sender that may outlive its "
      "receiver.\n\n",
      in.wait.who, where(in.wait), started);
  if (in.language == Language::kGo) {
    out += block(in.language,
                 fmt::format("// {}\nselect {{\ncase ch <- v:\ncase <-ctx.Done(): // the receiver "
                             "gave up: do not wait for it\n}}\n",
                             in.wait.function));
  }
  return out;
}

// --- guards --------------------------------------------------------------------------------------

// What would have caught the pattern before production, per language. C and C++ share a row.
struct AdviceRow {
  Pattern pattern;
  std::string (*patch)(const AdviceInput&);
  std::string_view go, java, native;
};

constexpr std::string_view kTsan =
    "ThreadSanitizer (`-fsanitize=thread`) reports a lock-order inversion as `lock-order-"
    "inversion (potential deadlock)` as soon as both orders have run once, even when the run did "
    "not hang; so does Valgrind's Helgrind (`valgrind --tool=helgrind`)";

constexpr std::array kAdvice = {
    AdviceRow{Pattern::kLockOrderInversion, patch_lock_order,
              "a documented lock order (a comment at each mutex: \"acquire after X\"), checked in "
              "tests by a lock-ranking wrapper, as the Go runtime ranks its own locks; `go test "
              "-race` does not report deadlocks",
              "one global lock order, and `tryLock(timeout)` where it cannot be kept", kTsan},
    AdviceRow{Pattern::kReadWriteInversion, patch_lock_order,
              "the same lock order for read and write locks (RLock is a lock), checked by a "
              "lock-ranking wrapper in tests",
              "one global lock order for read and write locks alike", kTsan},
    AdviceRow{Pattern::kSelfDeadlock, patch_self_deadlock,
              "locking only at the API boundary: exported methods lock, unexported `…Locked` "
              "helpers never do (the convention of the standard library)",
              "`synchronized` or `ReentrantLock` (both reentrant) rather than a non-reentrant "
              "lock",
              "`PTHREAD_MUTEX_ERRORCHECK` mutexes in debug builds (a relock returns `EDEADLK` "
              "instead of hanging), and clang's `-Wthread-safety` annotations (`REQUIRES(m)` on "
              "the `_locked` helpers)"},
    AdviceRow{Pattern::kRecursiveRead, patch_self_deadlock,
              "never `RLock` twice on one call path (the `sync.RWMutex` documentation forbids "
              "recursive read locking); take the read lock once at the outermost call",
              "never re-acquire a read lock that a writer may be queued behind",
              "writer-preferring rwlocks in tests, so that a recursive read hangs there first"},
    AdviceRow{Pattern::kReadUpgrade, patch_read_upgrade,
              "never `Lock` while holding `RLock` of the same `sync.RWMutex` (it has no upgrade): "
              "release the read lock first, then lock and check again",
              "never `writeLock()` while holding the `readLock()` of a `ReentrantReadWriteLock` "
              "(it has no upgrade; `StampedLock.tryConvertToWriteLock` has one)",
              "never `pthread_rwlock_wrlock` (or `std::shared_mutex::lock`) while holding the "
              "read side: release it first, or use `boost::upgrade_mutex`"},
    AdviceRow{Pattern::kJoinCycle, patch_join_cycle, "", "one owner that joins its workers",
              "one owner that joins its workers; `pthread_timedjoin_np` where a join may wait "
              "long"},
    AdviceRow{Pattern::kLostWakeup, patch_lost_wakeup,
              "`sync.Cond` only with a predicate loop, or a channel close instead of a broadcast",
              "`Condition.await(timeout)` or `wait(timeout)` in a predicate loop",
              "`pthread_cond_timedwait` in a predicate loop"},
    AdviceRow{Pattern::kChannelNoPartner, patch_channel,
              "a context on every blocking send and receive, `go vet` (its `lostcancel` check "
              "finds contexts that are never cancelled), and `goleak.VerifyNone(t)` "
              "(go.uber.org/goleak) in tests, which fails a test that leaves a goroutine blocked",
              "", ""},
    AdviceRow{Pattern::kEmptySelect, patch_empty_select,
              "`signal.NotifyContext` for the lifetime of a server, and `goleak` in tests", "", ""},
    AdviceRow{Pattern::kWaitGroupNeverDone, patch_waitgroup,
              "`defer wg.Done()` as a rule, `errgroup.WithContext` (golang.org/x/sync) to cancel "
              "the other workers when one fails, and `goleak` in tests",
              "", ""},
    AdviceRow{Pattern::kLeak, patch_leak,
              "`goleak.VerifyNone(t)` in every test that starts goroutines, and the number of "
              "goroutines (`runtime.NumGoroutine`) as a metric with an alert; `dlanalyze diff` of "
              "two dumps shows which group grows",
              "", ""},
};
// The table is indexed by the pattern.
static_assert([] {
  for (size_t i = 0; i < kAdvice.size(); ++i) {
    if (static_cast<size_t>(kAdvice[i].pattern) != i) return false;
  }
  return true;
}());

}  // namespace

std::string patch_markdown(const AdviceInput& in) {
  return kAdvice[static_cast<size_t>(in.pattern)].patch(in);
}

std::string guard_markdown(Pattern pattern, Language language) {
  const AdviceRow& row = kAdvice[static_cast<size_t>(pattern)];
  std::string out;
  switch (language) {
    case Language::kGo:
      if (!row.go.empty()) out += fmt::format("- Go: {}.\n", row.go);
      out +=
          "- In production: a watchdog that saves `/debug/pprof/goroutine?debug=2` (or sends "
          "SIGQUIT) when requests stall, and `dlanalyze` on the dump.\n";
      break;
    case Language::kJava:
      if (!row.java.empty()) out += fmt::format("- Java: {}.\n", row.java);
      out +=
          "- In production: `ThreadMXBean.findDeadlockedThreads()` in a health check, and "
          "`jstack -l PID` (or `jcmd PID Thread.print -l`) when requests stall: HotSpot finds "
          "monitor and ownable-synchronizer cycles itself; `dlanalyze` reads the same dump.\n";
      break;
    case Language::kC:
    case Language::kCpp:
      if (!row.native.empty()) out += fmt::format("- {}: {}.\n", to_string(language), row.native);
      out +=
          "- In production: a watchdog that takes a core (`gcore PID`) or runs `gdb -p PID "
          "-batch -x owners.gdb` (from `dlanalyze gdb-commands`) when there is no progress, "
          "and `dlanalyze` on it.\n";
      break;
    case Language::kUnknown:
      out +=
          "- Timeouts on every blocking wait, and a thread dump taken by a watchdog when "
          "requests stall.\n";
      break;
  }
  return out;
}

std::string test_markdown(const AdviceInput& in) {
  // The functions the test runs concurrently: the cycle's members, or the waiter.
  std::vector<std::string> functions;
  for (const CycleStep& s : in.cycle) {
    if (std::find(functions.begin(), functions.end(), s.function) == functions.end()) {
      functions.push_back(s.function);
    }
  }
  if (functions.empty() && !in.wait.function.empty()) functions.push_back(in.wait.function);
  std::string calls;
  switch (in.language) {
    case Language::kGo: {
      for (const std::string& f : functions) {
        calls +=
            fmt::format("\tgo func() {{ defer wg.Done(); /* call {} as in the dump */ }}()\n", f);
      }
      return block(in.language,
                   fmt::format("func TestNoDeadlock(t *testing.T) {{\n\tdefer goleak.VerifyNone(t) "
                               "// go.uber.org/goleak: fails on goroutines left blocked\n\tvar wg "
                               "sync.WaitGroup\n\twg.Add({})\n{}\tdone := make(chan struct{{}})\n"
                               "\tgo func() {{ wg.Wait(); close(done) }}()\n\tselect {{\n\tcase "
                               "<-done:\n\tcase <-time.After(5 * time.Second):\n\t\tbuf := "
                               "make([]byte, 1<<20)\n\t\tt.Fatalf(\"no progress after 5s; "
                               "goroutines:\\n%s\", buf[:runtime.Stack(buf, true)])\n\t}}\n}}\n",
                               functions.size(), calls));
    }
    case Language::kJava: {
      for (size_t i = 0; i < functions.size(); ++i) {
        calls +=
            fmt::format("    Thread t{} = new Thread(() -> {{ /* call {} as in the dump */ }});\n",
                        i, functions[i]);
      }
      std::string starts, joins;
      for (size_t i = 0; i < functions.size(); ++i) {
        starts += fmt::format("    t{}.start();\n", i);
        joins += fmt::format("    t{}.join(5_000);\n", i);
      }
      return block(in.language,
                   fmt::format("@Test\n@Timeout(10) // JUnit 5: fail instead of hanging the "
                               "build\nvoid noDeadlock() throws Exception {{\n{}{}{}    long[] "
                               "ids = ManagementFactory.getThreadMXBean()"
                               ".findDeadlockedThreads();\n    assertNull(ids, () -> \"deadlocked "
                               "threads: \" + Arrays.toString(ids));\n}}\n",
                               calls, starts, joins));
    }
    case Language::kC:
    case Language::kCpp: {
      for (size_t i = 0; i < functions.size(); ++i) {
        calls += fmt::format("  /* thread {}: call {} as in the dump */\n", i, functions[i]);
      }
      return block(in.language,
                   fmt::format("/* A watchdog: the test aborts (with a core to run dlanalyze on) "
                               "instead of hanging. */\nstatic void *watchdog(void *arg) {{\n  "
                               "(void)arg;\n  sleep(5);\n  fprintf(stderr, \"no progress after "
                               "5 s: deadlock?\\n\");\n  abort();\n}}\n\nint main(void) {{\n  "
                               "pthread_t w;\n  pthread_create(&w, NULL, watchdog, NULL);\n  "
                               "pthread_detach(w);\n{}  /* start those threads, then join them "
                               "*/\n  return 0;\n}}\n",
                               calls));
    }
    case Language::kUnknown:
      break;
  }
  return "Run the tasks above concurrently under a timeout that fails the test and takes a "
         "thread dump.\n";
}

}  // namespace dla
