// The advice table of render/report_advice, row by row: each pattern's patch uses the finding's
// real names (one lock order and the call site to change, the helper that expects the lock, the
// context to select on), and each language gets its guards and a reproducer that fails instead of
// hanging. The names below are those of the captured dumps (testdata/*/README.md).
#include <catch2/catch.hpp>

#include "render/report_advice.h"

using namespace dla;

namespace {

bool has(const std::string& text, const std::string& what) {
  INFO(text);
  return text.find(what) != std::string::npos;
}

CycleStep step(std::string task, std::string function, std::string held, std::string held_where,
               std::string wanted, std::string wanted_at, bool symbols = true) {
  CycleStep s;
  s.task = std::move(task);
  s.function = std::move(function);
  s.held = std::move(held);
  s.held_where = std::move(held_where);
  s.wanted = std::move(wanted);
  s.wanted_at = std::move(wanted_at);
  s.held_is_symbol = s.wanted_is_symbol = symbols;
  return s;
}

AdviceInput cycle(Pattern p, Language l, std::vector<CycleStep> steps) {
  AdviceInput in;
  in.pattern = p;
  in.language = l;
  in.cycle = std::move(steps);
  return in;
}

AdviceInput waiting(Pattern p, std::string who, std::string function, std::string place,
                    std::string on, std::string created_by = "") {
  AdviceInput in;
  in.pattern = p;
  in.language = Language::kGo;
  in.wait = {std::move(who), std::move(function), std::move(place), std::move(on),
             std::move(created_by)};
  return in;
}

// server_cycle2: 21 holds inventory.mu (main.go:42), waits billing.mu (main.go:48); 22 the reverse.
AdviceInput server_cycle2() {
  return cycle(Pattern::kLockOrderInversion, Language::kGo,
               {step("goroutine 21", "main.reserveThenBill", "inventory.mu", "taken at main.go:42",
                     "billing.mu", "main.go:48"),
                step("goroutine 22", "main.billThenReserve", "billing.mu", "taken at main.go:54",
                     "inventory.mu", "main.go:60")});
}

}  // namespace

TEST_CASE("AdviceLockOrderInversionNamesOneOrderAndTheCallSiteToChange") {
  std::string go = patch_markdown(server_cycle2());
  CHECK(has(go,
            "Take these locks in one order everywhere: `inventory.mu` → `billing.mu`. "
            "`main.reserveThenBill` already takes them in this order. Change "
            "`main.billThenReserve`: it holds `billing.mu` (taken at main.go:54) and then "
            "waits for `inventory.mu` at main.go:60; take `inventory.mu` first."));
  CHECK(has(go,
            "```go\n// main.billThenReserve: take inventory.mu before billing.mu, as the other "
            "goroutines do\ninventory.mu.Lock()\ndefer inventory.mu.Unlock()\nbilling.mu.Lock()"
            "\ndefer billing.mu.Unlock()\n```"));
  // cycle3_fatal: the order the first two already keep, and the third is the one to change.
  std::string three = patch_markdown(cycle(
      Pattern::kLockOrderInversion, Language::kGo,
      {step("goroutine 6", "main.reserveThenBill", "inventory.mu", "", "billing.mu", "main.go:48"),
       step("goroutine 7", "main.billThenShip", "billing.mu", "", "shipping.mu", "main.go:60"),
       step("goroutine 8", "main.shipThenReserve", "shipping.mu", "", "inventory.mu",
            "main.go:72")}));
  CHECK(has(three,
            "`inventory.mu` → `billing.mu` → `shipping.mu`. `main.reserveThenBill`, "
            "`main.billThenShip` already take them in this order. Change "
            "`main.shipThenReserve`"));
  // C (mutex_cycle2), C++ (cpp_mutex), Java (monitor_cycle: no variable names, types only).
  auto native = server_cycle2();
  native.language = Language::kC;
  native.cycle = {step("thread 2", "transfer_alpha_beta", "m_alpha", "", "m_beta", ""),
                  step("thread 3", "transfer_beta_alpha", "m_beta", "", "m_alpha", "")};
  CHECK(has(patch_markdown(native), "pthread_mutex_lock(&m_alpha);\npthread_mutex_lock(&m_beta);"));
  native.language = Language::kCpp;
  CHECK(has(patch_markdown(native), "// std::scoped_lock both(m_alpha, m_beta);"));
  native.language = Language::kJava;
  native.cycle = {
      step("thread \"worker-a\"", "MonitorCycle.transferAtoB",
           "MonitorCycle$Inventory 0x00000000ffd1a580", "", "MonitorCycle$Ledger", "", false),
      step("thread \"worker-b\"", "MonitorCycle.transferBtoA", "MonitorCycle$Ledger", "",
           "MonitorCycle$Inventory 0x00000000ffd1a580", "", false)};
  std::string java = patch_markdown(native);
  CHECK(has(java, "synchronized (first) {        // MonitorCycle$Inventory 0x00000000ffd1a580"));
  CHECK(has(java, "`ReentrantLock.tryLock(timeout, unit)`"));
  // Without source names (a stripped program), prose only: no code with invented names.
  native.language = Language::kC;
  native.cycle[0].held_is_symbol = native.cycle[1].wanted_is_symbol = false;
  native.cycle[1].held_is_symbol = native.cycle[1].wanted_is_symbol = false;
  CHECK(!has(patch_markdown(native), "```"));
}

TEST_CASE("AdviceReadWriteInversionCountsReadLocksInTheOrder") {
  auto in = server_cycle2();
  in.pattern = Pattern::kReadWriteInversion;
  std::string out = patch_markdown(in);
  CHECK(has(out, "A read lock is part of the order too"));
  CHECK(has(out, "(RLock/RUnlock where it only reads)"));
  CHECK(has(guard_markdown(Pattern::kReadWriteInversion, Language::kGo), "RLock is a lock"));
}

TEST_CASE("AdviceSelfDeadlockSplitsTheWorkFromTheLocking") {
  // self_deadlock (Go): ExpireOlderThan took s.mu at main.go:34 and calls Len (main.go:28).
  auto go = cycle(Pattern::kSelfDeadlock, Language::kGo,
                  {step("goroutine 19", "main.(*SessionStore).Len", "s.mu", "taken at main.go:34",
                        "s.mu", "main.go:28")});
  go.cycle[0].held_in = "main.(*SessionStore).ExpireOlderThan";
  std::string out = patch_markdown(go);
  CHECK(has(out,
            "`main.(*SessionStore).ExpireOlderThan` holds `s.mu` (taken at main.go:34) and, "
            "still holding it, calls into `main.(*SessionStore).Len`, which asks for `s.mu` "
            "again at main.go:28. The lock is not reentrant."));
  CHECK(has(out, "func (s *SessionStore) lenLocked() /* results */ { /* … */ }"));
  CHECK(has(out, "\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\treturn s.lenLocked()\n"));
  // A core (C): the first lock's frame is unknown; the callers are named, none is guessed.
  auto c =
      cycle(Pattern::kSelfDeadlock, Language::kC,
            {step("thread 4237", "audit_ledger", "m_alpha", "", "m_alpha", "self_deadlock.c:16")});
  c.cycle[0].callers = {"update_ledger", "worker_a_main"};
  std::string core = patch_markdown(c);
  CHECK(has(core,
            "(by one of its callers: `update_ledger`, `worker_a_main`), and the dump does "
            "not say where"));
  CHECK(has(core, "/* In the caller that took m_alpha: call audit_ledger_locked(). */"));
  CHECK(has(guard_markdown(Pattern::kSelfDeadlock, Language::kC), "PTHREAD_MUTEX_ERRORCHECK"));
}

TEST_CASE("AdviceRecursiveReadTakesTheReadLockOnce") {
  auto in = cycle(Pattern::kRecursiveRead, Language::kGo,
                  {step("goroutine 1", "main.(*Catalog).Price", "c.mu", "taken at main.go:18",
                        "c.mu", "main.go:20")});
  in.cycle[0].held_in = "main.(*Catalog).List";
  std::string out = patch_markdown(in);
  CHECK(has(out, "A second read lock waits behind any writer that queued in between"));
  CHECK(has(out, "\tc.mu.RLock()\n\tdefer c.mu.RUnlock()\n"));
  CHECK(has(guard_markdown(Pattern::kRecursiveRead, Language::kGo), "never `RLock` twice"));
}

TEST_CASE("AdviceReadLockUpgradeReleasesTheReadLockFirst") {
  auto in = cycle(Pattern::kReadUpgrade, Language::kGo,
                  {step("goroutine 19", "main.(*Cache).getOrFill", "c.mu", "taken at main.go:23",
                        "c.mu", "main.go:34")});
  std::string out = patch_markdown(in);
  CHECK(has(out,
            "`main.(*Cache).getOrFill` holds the read lock of `c.mu` (taken at main.go:23) "
            "and asks for its write lock at main.go:34"));
  CHECK(has(out, "c.mu.RUnlock()\nif !ok {\n\tc.mu.Lock()"));
  CHECK(has(guard_markdown(Pattern::kReadUpgrade, Language::kGo), "it has no upgrade"));
  CHECK(has(guard_markdown(Pattern::kReadUpgrade, Language::kJava), "tryConvertToWriteLock"));
}

TEST_CASE("AdviceJoinCycleHasOneOwnerJoin") {
  auto in = cycle(Pattern::kJoinCycle, Language::kC,
                  {step("thread 2 \"joiner-a\"", "wait_for", "pthread_t 0x7f6ca7ba56c0", "",
                        "pthread_t 0x7f6ca73a46c0", "join_cycle.c:26", false)});
  std::string out = patch_markdown(in);
  CHECK(has(out,
            "thread 2 \"joiner-a\" waits for `pthread_t 0x7f6ca73a46c0` to end "
            "(join_cycle.c:26)"));
  CHECK(has(out, "let one owner"));
  CHECK(has(out, "pthread_join(workers[i], NULL);"));
}

TEST_CASE("AdviceForWaitsThatNoPartnerEnds") {
  // Lost wakeup (gen_big's Batcher.waitForBatch), in each language.
  auto cond = waiting(Pattern::kLostWakeup, "goroutine 50009", "main.(*Batcher).waitForBatch",
                      "main.go:90", "sync.Cond");
  CHECK(has(patch_markdown(cond), "for !ready { // the predicate, read under c.L\n\tc.Wait()\n}"));
  cond.language = Language::kJava;
  CHECK(has(patch_markdown(cond), "lock.wait(timeoutMillis);"));
  cond.language = Language::kC;
  CHECK(has(patch_markdown(cond), "pthread_cond_timedwait(&c, &m, &deadline);"));
  // channels: nil channel (19), select {} (20), WaitGroup (24); leak: 500 senders.
  std::string nil = patch_markdown(waiting(Pattern::kChannelNoPartner, "goroutine 19",
                                           "main.(*Watcher).run", "main.go:33", "channel"));
  CHECK(has(nil,
            "goroutine 19 waits for a partner on a `channel` in `main.(*Watcher).run` "
            "(main.go:33)."));
  CHECK(has(nil, "case <-ctx.Done():\n\treturn ctx.Err()"));
  CHECK(has(patch_markdown(waiting(Pattern::kEmptySelect, "goroutine 20", "main.keepAlive",
                                   "main.go:41", "select")),
            "signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)"));
  CHECK(has(patch_markdown(waiting(Pattern::kWaitGroupNeverDone, "goroutine 24", "main.awaitShards",
                                   "main.go:84", "sync.WaitGroup")),
            "defer wg.Done() // first: every return path counts"));
  std::string leak = patch_markdown(waiting(Pattern::kLeak, "500 goroutines (19, 20, 21, …)",
                                            "main.(*Notifier).notify", "main.go:30", "channel",
                                            "main.handleSignups"));
  CHECK(has(leak,
            "500 goroutines (19, 20, 21, …) are parked in `main.(*Notifier).notify` "
            "(main.go:30), started by `main.handleSignups`."));
  for (Pattern p : {Pattern::kChannelNoPartner, Pattern::kEmptySelect, Pattern::kWaitGroupNeverDone,
                    Pattern::kLeak}) {
    CHECK(has(guard_markdown(p, Language::kGo), "goleak"));
  }
}

TEST_CASE("AdviceGuardsAndTestsPerLanguage") {
  CHECK(has(guard_markdown(Pattern::kLockOrderInversion, Language::kGo), "lock-ranking wrapper"));
  CHECK(has(guard_markdown(Pattern::kLockOrderInversion, Language::kJava),
            "ThreadMXBean.findDeadlockedThreads()"));
  CHECK(has(guard_markdown(Pattern::kLockOrderInversion, Language::kC),
            "ThreadSanitizer (`-fsanitize=thread`)"));
  CHECK(has(guard_markdown(Pattern::kLockOrderInversion, Language::kCpp), "Helgrind"));
  auto in = server_cycle2();
  std::string go = test_markdown(in);
  CHECK(has(go, "defer goleak.VerifyNone(t)"));
  CHECK(has(go, "/* call main.reserveThenBill as in the dump */"));
  CHECK(has(go, "/* call main.billThenReserve as in the dump */"));
  CHECK(has(go, "case <-time.After(5 * time.Second):"));
  in.language = Language::kJava;
  std::string java = test_markdown(in);
  CHECK(has(java, "@Timeout(10)"));
  CHECK(has(java, ".findDeadlockedThreads();\n    assertNull(ids"));
  in.language = Language::kC;
  std::string c = test_markdown(in);
  CHECK(has(c, "static void *watchdog(void *arg) {"));
  CHECK(has(c, "abort();"));
}

TEST_CASE("AdviceLanguageComesFromTheSourceFile") {
  CHECK(language_of_file("/tmp/dlanalyze-go/leak/main.go") == Language::kGo);
  CHECK(language_of_file("MonitorCycle.java") == Language::kJava);
  CHECK(language_of_file("mutex_cycle2.c") == Language::kC);
  CHECK(language_of_file("cpp_mutex.cpp") == Language::kCpp);
  CHECK(language_of_file("clone3.S") == Language::kUnknown);
  CHECK(language_of_file("noext") == Language::kUnknown);
}
