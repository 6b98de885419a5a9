// The terminal text's economy: waiters behind a cycle and suspects parked at one place print as
// one line with their count and abbreviated ids, and each finding names its pattern.
#include <catch2/catch.hpp>

#include <regex>

#include "cli_run.h"
#include "test_util.h"

using namespace dla::test;

namespace {

const std::string kGoRoot = "/tmp/dlanalyze-go=" + testdata("go/programs");

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("TextGroupsWaitersBehindACycleByLockAndFrame") {
  // big_cycle_3000: blocked-behind-0..4 all wait at BigCycle3000.java:69 for cycle-a's monitor.
  CliRun r = cli_run({testdata("jvm/big_cycle_3000.jstack-l.txt")});
  CHECK(r.out.find("\nBlocked behind cycle 1: 5 threads\n"
                   "  5 threads (blocked-behind-0, blocked-behind-1, blocked-behind-2, …) wait for "
                   "monitor 0x00000000ff108338 (BigCycle3000$Inventory) held by thread "
                   "\"cycle-a\", at BigCycle3000.checkStock (BigCycle3000.java:69)\n") !=
        std::string::npos);
  // deep_stack_fatal with goroutine 20 (walkCategory, main.go:68, behind the cycle) 500 times:
  // one line, not twenty.
  std::string dump = read_file(testdata("go/deep_stack_fatal.txt"));
  size_t start = dump.find("goroutine 20 [semacquire]:");
  size_t end = dump.find("\n\n", start);
  if (end == std::string::npos) end = dump.find_last_not_of('\n') + 1;  // the last record
  std::string record = dump.substr(start, end - start);
  std::string more;
  for (int id = 1000; id < 1499; ++id) {
    more += "\n\n" + std::regex_replace(record, std::regex("^goroutine 20 "),
                                        "goroutine " + std::to_string(id) + " ");
  }
  dump.insert(end, more);
  CliRun big = cli_run({write_scratch("deep500.txt", dump), "--source-root", kGoRoot});
  CHECK(big.code == 1);
  CHECK(big.out.find("\nBlocked behind cycle 1: 500 goroutines\n"
                     "  500 goroutines (20, 1000, 1001, …) wait for mutex 0x52b2f0 inventory.mu "
                     "(sync.Mutex) held by goroutine 18, at main.walkCategory "
                     "(/tmp/dlanalyze-go/deep_stack_fatal/main.go:68), in sync.(*Mutex).Lock\n") !=
        std::string::npos);
  CHECK(count(big.out, "main.walkCategory") == 1);
}

TEST_CASE("TextGroupsWaitersThatCanNeverWakeByFrame") {
  // channels with goroutine 19 (a receive from a nil channel, main.go:33) 50 times.
  std::string dump = read_file(testdata("go/channels.debug2.txt"));
  size_t start = dump.find("goroutine 19 [chan receive (nil chan)]:");
  std::string record = dump.substr(start, dump.find("\n\n", start) - start);
  std::string more;
  for (int id = 1000; id < 1049; ++id) {
    more += std::regex_replace(record, std::regex("^goroutine 19 "),
                               "goroutine " + std::to_string(id) + " ") +
            "\n\n";
  }
  dump.insert(start, more);
  CliRun r = cli_run({write_scratch("nil50.txt", dump)});
  CHECK(r.code == 1);
  CHECK(r.out.find(
            "\nStuck: 51 waiters that can never wake\n"
            "  50 goroutines (1000, 1001, 1002, …) wait for channel (nil-channel; channel with "
            "no partner) at main.(*Watcher).run (/tmp/dlanalyze-go/channels/main.go:33)\n"
            "  goroutine 20 waits for select (address not in the dump) (no-cases; select {} "
            "(blocks forever)) at main.keepAlive") != std::string::npos);
}

TEST_CASE("TextNamesThePatternOfEachFinding") {
  CliRun cycle = cli_run({testdata("jvm/monitor_cycle.jstack-l.txt")});
  CHECK(cycle.out.find("Cycle 1: 2 threads, certain (lock record); the runtime's own deadlock "
                       "report agrees — lock-order inversion\n") != std::string::npos);
  CliRun stuck = cli_run({testdata("go/channels.debug2.txt")});
  CHECK(stuck.out.find("goroutine 19 waits for channel (address not in the dump) (nil-channel; "
                       "channel with no partner) at main.(*Watcher).run") != std::string::npos);
  // leak, as if five minutes later: 500 suspects at one place are one line, a suspected leak.
  static const std::regex header(R"(^(goroutine \d+ \[[^\]]*)\]:)", std::regex::multiline);
  std::string leak =
      std::regex_replace(read_file(testdata("go/leak.debug2.txt")), header, "$1, 5 minutes]:");
  CliRun parked = cli_run({write_scratch("leak5.txt", leak)});
  CHECK(parked.out.find("\nParked for minutes (suspects, not certain): 500 goroutines\n"
                        "  500 goroutines (19, 20, 21, …) for 5 min on channel, at "
                        "main.(*Notifier).notify (/tmp/dlanalyze-go/leak/main.go:30) — goroutine "
                        "leak\n") != std::string::npos);
}

TEST_CASE("JsonNamesEachFindingsPatternByItsId") {
  // Additive fields of dlanalyze/1: cycles[].pattern, stuck[].pattern, suspects[].pattern.
  CliRun cycle = cli_run({testdata("jvm/rwlock_cycle.jstack-l.txt"), "--output-format", "json"});
  CHECK(cycle.out.find("\"pattern\": \"read-write-lock-order-inversion\"") != std::string::npos);
  CliRun stuck = cli_run({testdata("go/channels.debug2.txt"), "--output-format", "json"});
  CHECK(stuck.out.find("\"reason\": \"nil-channel\",\n      \"evidence\": \"declared\",\n      "
                       "\"pattern\": \"channel-no-partner\"") != std::string::npos);
  CHECK(stuck.out.find("\"reason\": \"no-cases\",\n      \"evidence\": \"declared\",\n      "
                       "\"pattern\": \"empty-select\"") != std::string::npos);
}
