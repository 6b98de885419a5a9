// Which entries of HotSpot's deadlock report form the cycle (parsers/jvm_deadlock_report.h).
// Each row is the shape of a report in testdata/wild/jvm or testdata/jvm, named in the row.
#include <catch2/catch.hpp>

#include "parsers/jvm_deadlock_report.h"

using dla::DeadlockEntry;
using dla::proven_cycle;

namespace {

// name, object waited for, holder named ("" = the entry was cut before "which is held by").
DeadlockEntry entry(const char* name, const char* object, const char* holder) {
  DeadlockEntry e;
  e.name = name;
  e.address = object;
  e.holder = holder;
  e.held_by_read = *holder != '\0';
  return e;
}

struct Row {
  const char* shape;
  std::vector<DeadlockEntry> entries;
  std::vector<size_t> cycle;
};

const Row kRows[] = {
    {"two threads (hotspot-deadlock-section-32bit-no-stacks.aprof-3)",
     {entry("Dispose", "0x1af6bc50", "AWT-EventQueue-0"),
      entry("AWT-EventQueue-0", "0x1f7db2c8", "Dispose")},
     {0, 1}},
    {"three listed, the first only waits behind the cycle (…cosmic-194)",
     {entry("Worker-1", "0x7a769c200", "Mobis-11-2"),
      entry("Mobis-11-2", "0x7a769c720", "Worker-3"),
      entry("Worker-3", "0x7a769d5e8", "Mobis-11-2")},
     {1, 2}},
    {"four listed, two behind (…markdown-headings-4-space.threaddump-analyzer-12)",
     {entry("exec-1189", "0x765282180", "exec-1021"), entry("exec-1021", "0x7502c73d0", "exec-377"),
      entry("exec-377", "0x7500be800", "exec-386"), entry("exec-386", "0x7502c73d0", "exec-377")},
     {2, 3}},
    {"the cycle's last entry cut before its holder: another entry names the object's holder "
     "(…mixed-monitor-custom-aqs-cut.caffeine-203)",
     {entry("128", "0x508b1d908", "78"), entry("78", "0x32a600bb8", "36"),
      entry("36", "0x48855c020", "59"), entry("59", "0x32a600bb8", "")},
     {2, 3}},
    {"cut before the second entry's holder, nobody else names it: no cycle proven "
     "(partial-jstack-tail-deadlock-names-missing-threads.jadx-726)",
     {entry("pool-1-thread-4", "0x407e3b578", "pool-1-thread-3"),
      entry("pool-1-thread-3", "0x407f76398", "")},
     {}},
    {"every thread named alike: the holder is the entry printed next "
     "(testdata/jvm/two_cycles_same_name)",
     {entry("worker", "0xffd1c348", "worker"), entry("worker", "0xffd1b7c0", "worker")},
     {0, 1}},
    {"one entry alone (hotspot-deadlock-entry-markdown-bold.jetty-11447)",
     {entry("qtp1272883899-10442", "0x10047c3cd8", "")},
     {}},
};

}  // namespace

TEST_CASE("JvmDeadlockReportProvesTheCycleNotTheListedThreads") {
  for (const Row& row : kRows) {
    INFO(row.shape);
    CHECK(proven_cycle(row.entries) == row.cycle);
  }
}
