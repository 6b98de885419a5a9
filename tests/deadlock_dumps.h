// Every deadlock dump of testdata/, in every format, with its ground truth as the READMEs there
// give it (and the programs' HOLD/WAIT marks): the members in wait-for order, what each holds and
// waits for, where it blocks, and the pattern. The DOT and report tests check each output
// against this one table.
#pragma once

#include <string>
#include <vector>

#include "test_util.h"

namespace dla::test {

// What a dump needs besides itself to show its holders.
enum class Needs : uint8_t {
  kNothing,
  kGoSource,      // --source-root /tmp/dlanalyze-go=testdata/go/programs
  kNativeSource,  // --source-root testdata/gdb/programs
  kCore,          // a core: testdata/core/<name>.gcore.xz and .exe.xz, unpacked
  kGoCore,        // a Go core: testdata/gocore/<name>.core.xz and stuck.exe.xz, unpacked
};

struct Member {
  std::string task;   // as the report names it: `goroutine 21`, `thread "worker-a"`
  std::string holds;  // what the Holds cell says: the lock, and where it was taken when known
  std::string waits;  // the lock it waits for: its symbol, or its address
  std::string at;     // where it blocks: `main.go:48`
};

struct DeadlockDump {
  std::string file;  // under testdata/; for a core, the case name under testdata/core
  Needs needs;
  std::string pattern;  // the pattern's name, as the report prints it
  std::vector<Member> members;
};

inline const std::vector<DeadlockDump>& deadlock_dumps() {
  static const std::vector<DeadlockDump> dumps = {
      // testdata/jvm/README.md
      {"jvm/monitor_cycle.jstack-l.txt",
       Needs::kNothing,
       "lock-order inversion",
       {{"thread \"worker-a\"", "0x00000000ffd1a580", "0x00000000ffd1b078", "MonitorCycle.java:30"},
        {"thread \"worker-b\"", "0x00000000ffd1b078", "0x00000000ffd1a580",
         "MonitorCycle.java:39"}}},
      {"jvm/monitor_cycle.kill3.txt",
       Needs::kNothing,
       "lock-order inversion",
       {{"thread \"worker-a\"", "0x00000000ffd1a580", "0x00000000ffd1b078", "MonitorCycle.java:30"},
        {"thread \"worker-b\"", "0x00000000ffd1b078", "0x00000000ffd1a580",
         "MonitorCycle.java:39"}}},
      {"jvm/reentrant_lock_cycle.jstack-l.txt",
       Needs::kNothing,
       "lock-order inversion",
       {{"thread \"worker-a\"", "0x00000000ffd19ce0", "0x00000000ffd19d10",
         "ReentrantLockCycle.java:28"},
        {"thread \"worker-b\"", "0x00000000ffd19d10", "0x00000000ffd19ce0",
         "ReentrantLockCycle.java:28"}}},
      {"jvm/mixed_cycle.jcmd.txt",
       Needs::kNothing,
       "lock-order inversion",
       {{"thread \"stage-1\"", "0x00000000ffd1a6c0", "0x00000000ffd1a828", "MixedCycle.java:32"},
        {"thread \"stage-2\"", "0x00000000ffd1a828", "0x00000000ffd1b2e8", "MixedCycle.java:46"},
        {"thread \"stage-3\"", "0x00000000ffd1b2e8", "0x00000000ffd1a6c0", "MixedCycle.java:57"}}},
      // testdata/jvm-sa/README.md: the Serviceability Agent names no file, only the line.
      {"jvm-sa/monitor_cycle.jhsdb.txt",
       Needs::kNothing,
       "lock-order inversion",
       {{"thread \"worker-a\"",
         "MonitorCycle$Inventory 0x00000000ffd1a660`, taken in "
         "`MonitorCycle.transferAtoB`, now at line 30",
         "0x00000000ffd1b190", "line 30"},
        {"thread \"worker-b\"",
         "MonitorCycle$Ledger 0x00000000ffd1b190`, taken in "
         "`MonitorCycle.transferBtoA`, now at line 39",
         "0x00000000ffd1a660", "line 39"}}},
      {"jvm-sa/reentrant_lock_cycle.jhsdb-locks.txt",
       Needs::kNothing,
       "lock-order inversion",
       {{"thread \"worker-a\"", "0x00000000ffd19d60", "0x00000000ffd19d90", "line 28"},
        {"thread \"worker-b\"", "0x00000000ffd19d90", "0x00000000ffd19d60", "line 28"}}},
      {"jvm/rwlock_cycle.jstack-l.txt",
       Needs::kNothing,
       "lock-order inversion through a read/write lock",
       {{"thread \"writer-1\"", "0x00000000ffd19fe8", "0x00000000ffd1a228", "RwLockCycle.java:28"},
        {"thread \"writer-2\"", "0x00000000ffd1a228", "0x00000000ffd19fe8",
         "RwLockCycle.java:28"}}},
      {"jvm/two_cycles_same_name.jstack-l.txt",
       Needs::kNothing,
       "lock-order inversion",
       {{"thread \"worker\" (#12)", "TwoCyclesSameName.java:34", "0x00000000ffd1c348",
         "TwoCyclesSameName.java:34"},
        {"thread \"worker\" (#13)", "TwoCyclesSameName.java:43", "0x00000000ffd1b7c0",
         "TwoCyclesSameName.java:43"}}},
      {"jvm/big_cycle_3000.jstack-l.txt",
       Needs::kNothing,
       "lock-order inversion",
       {{"thread \"cycle-a\"", "0x00000000ff108338", "0x00000000ff108328", "BigCycle3000.java:53"},
        {"thread \"cycle-b\"", "0x00000000ff108328", "0x00000000ff108338",
         "BigCycle3000.java:62"}}},
      // testdata/go/README.md
      {"go/cycle2_fatal.txt",
       Needs::kGoSource,
       "lock-order inversion",
       {{"goroutine 6", "inventory.mu", "billing.mu", "main.go:42"},
        {"goroutine 7", "billing.mu", "inventory.mu", "main.go:54"}}},
      {"go/cycle3_fatal.txt",
       Needs::kGoSource,
       "lock-order inversion",
       {{"goroutine 6", "inventory.mu", "billing.mu", "main.go:48"},
        {"goroutine 7", "billing.mu", "shipping.mu", "main.go:60"},
        {"goroutine 8", "shipping.mu", "inventory.mu", "main.go:72"}}},
      {"go/deep_stack_fatal.txt",
       Needs::kGoSource,
       "lock-order inversion",
       {{"goroutine 18", "inventory.mu", "billing.mu", "main.go:46"},
        {"goroutine 19", "billing.mu", "inventory.mu", "main.go:58"}}},
      {"go/server_cycle2.debug2.txt",
       Needs::kGoSource,
       "lock-order inversion",
       {{"goroutine 21", "inventory.mu` `0x8fda70`, taken at main.go:42", "billing.mu",
         "main.go:48"},
        {"goroutine 22", "billing.mu` `0x8fda80`, taken at main.go:54", "inventory.mu",
         "main.go:60"}}},
      {"go/server_cycle2.debug1.txt",
       Needs::kGoSource,
       "lock-order inversion",
       {{"goroutine @3 \"main.reserveThenBill\"", "inventory.mu", "billing.mu", "main.go:48"},
        {"goroutine @4 \"main.billThenReserve\"", "billing.mu", "inventory.mu", "main.go:60"}}},
      {"go/server_cycle2.sigquit-late.txt",
       Needs::kGoSource,
       "lock-order inversion",
       {{"goroutine 21", "inventory.mu", "billing.mu", "main.go:48"},
        {"goroutine 22", "billing.mu", "inventory.mu", "main.go:60"}}},
      {"go/server_cycle3.debug2.txt",
       Needs::kGoSource,
       "lock-order inversion",
       {{"goroutine 19", "s.inventory.mu` `0xc000092f00`, taken at main.go:48", "s.billing.mu",
         "main.go:52"},
        {"goroutine 20", "s.billing.mu` `0xc000092f10`, taken at main.go:59", "s.shipping.mu",
         "main.go:63"},
        {"goroutine 21", "s.shipping.mu` `0xc000092f20`, taken at main.go:70", "s.inventory.mu",
         "main.go:74"}}},
      {"go/rwmutex.sigquit.txt",
       Needs::kGoSource,
       "lock-order inversion through a read/write lock",
       {{"goroutine 19", "catalog.mu` `0x8fe920` (reading), taken at main.go:44", "pricing.mu",
         "main.go:53"},
        {"goroutine 20", "pricing.mu` `0x8fe940`, taken at main.go:61", "catalog.mu",
         "main.go:66"}}},
      {"go/self_deadlock.debug2.txt",
       Needs::kGoSource,
       "self-deadlock",
       {{"goroutine 19", "s.mu` `0x8fda50`, taken at main.go:34", "s.mu", "main.go:28"}}},
      // testdata/gdb/README.md and the programs' HOLD/WAIT marks
      {"gdb/mutex_cycle2.gdb-owners.txt",
       Needs::kNothing,
       "lock-order inversion",
       {{"thread 2 \"worker-a\"", "m_alpha", "m_beta", "mutex_cycle2.c:21"},
        {"thread 3 \"worker-b\"", "m_beta", "m_alpha", "mutex_cycle2.c:32"}}},
      {"gdb/mutex_cycle2.gdb-nodebug.txt",
       Needs::kNativeSource,
       "lock-order inversion",
       {{"thread 2 \"worker-a\"", "m_alpha", "m_beta", "mutex_cycle2.c:21"},
        {"thread 3 \"worker-b\"", "m_beta", "m_alpha", "mutex_cycle2.c:32"}}},
      {"gdb/mutex_cycle3.gdb-full.txt",
       Needs::kNativeSource,
       "lock-order inversion",
       {{"thread 2 \"worker-a\"", "m_alpha` `0x56087995e0a0`, taken at mutex_cycle3.c:20", "m_beta",
         "mutex_cycle3.c:22"},
        {"thread 3 \"worker-b\"", "m_beta` `0x56087995e0e0`, taken at mutex_cycle3.c:30", "m_gamma",
         "mutex_cycle3.c:32"},
        {"thread 4 \"worker-c\"", "m_gamma` `0x56087995e120`, taken at mutex_cycle3.c:40",
         "m_alpha", "mutex_cycle3.c:42"}}},
      {"gdb/self_deadlock.gdb-full.txt",
       Needs::kNativeSource,
       "self-deadlock",
       {{"thread 2 \"worker-a\"", "m_alpha` `0x55951d1d2080`, taken at self_deadlock.c:23",
         "m_alpha", "self_deadlock.c:16"}}},
      {"gdb/rwlock.gdb-full.txt",
       Needs::kNativeSource,
       "lock-order inversion through a read/write lock",
       {{"thread 2 \"writer\"", "rw_table` `0x55ea46dd10c0`, taken at rwlock.c:21", "m_index",
         "rwlock.c:23"},
        {"thread 3 \"reader\"", "m_index` `0x55ea46dd1100`, taken at rwlock.c:32", "rw_table",
         "rwlock.c:34"}}},
      {"gdb/join_cycle.gdb-full.txt",
       Needs::kNothing,
       "circular join",
       {{"thread 2 \"joiner-a\"", "0x7f6ca7ba56c0", "0x7f6ca73a46c0", "join_cycle.c:26"},
        {"thread 3 \"joiner-b\"", "0x7f6ca73a46c0", "0x7f6ca6ba36c0", "join_cycle.c:26"},
        {"thread 4 \"joiner-c\"", "0x7f6ca6ba36c0", "0x7f6ca7ba56c0", "join_cycle.c:26"}}},
      {"gdb/cpp_mutex.gdb-full.txt",
       Needs::kNativeSource,
       "lock-order inversion",
       {{"thread 2 \"worker-a\"", "m_alpha` `0x559ebddad0e0`, taken at cpp_mutex.cpp:20", "m_beta",
         "cpp_mutex.cpp:22"},
        {"thread 3 \"worker-b\"", "m_beta` `0x559ebddad120`, taken at cpp_mutex.cpp:29", "m_alpha",
         "cpp_mutex.cpp:31"}}},
      {"gdb/cpp_shared_mutex.gdb-full.txt",
       Needs::kNativeSource,
       "lock-order inversion through a read/write lock",
       {{"thread 2 \"writer\"", "sm_table` `0x55d4f4ebf0e0`, taken at cpp_shared_mutex.cpp:24",
         "m_index", "cpp_shared_mutex.cpp:26"},
        {"thread 3 \"reader\"", "m_index` `0x55d4f4ebf120`, taken at cpp_shared_mutex.cpp:32",
         "sm_table", "cpp_shared_mutex.cpp:34"}}},
      {"gdb/big_1000.gdb-full.txt",
       Needs::kNativeSource,
       "lock-order inversion",
       {{"thread 602 \"worker-a\"", "m_alpha", "m_beta", "big_1000.c:30"},
        {"thread 603 \"worker-b\"", "m_beta", "m_alpha", "big_1000.c:41"}}},
      // testdata/gocore/<case>.truth.txt: goroutines read from a Go core's memory, holders
      // from the source (programs/stuck).
      {"mutex_cycle",
       Needs::kGoCore,
       "lock-order inversion",
       {{"goroutine 18", "inventory.mu` `0x5bccc0`, taken at mutex_cycle.go:32", "billing.mu",
         "mutex_cycle.go:38"},
        {"goroutine 19", "billing.mu` `0x5bccd0`, taken at mutex_cycle.go:45", "inventory.mu",
         "mutex_cycle.go:51"}}},
      {"rwmutex",
       Needs::kGoCore,
       "lock-order inversion through a read/write lock",
       {{"goroutine 6", "catalog.mu` `0x5bd3e0` (reading), taken at rwmutex.go:33", "pricing.mu",
         "rwmutex.go:42"},
        {"goroutine 7", "pricing.mu` `0x5bd400`, taken at rwmutex.go:51", "catalog.mu",
         "rwmutex.go:56"}}},
      // testdata/core/README.md: owners read from memory (no frame says where a lock was taken)
      {"mutex_cycle2",
       Needs::kCore,
       "lock-order inversion",
       {{"thread 4108", "m_alpha` `0x55f2e07b10a0`", "m_beta", "mutex_cycle2.c:21"},
        {"thread 4109", "m_beta` `0x55f2e07b10e0`", "m_alpha", "mutex_cycle2.c:32"}}},
      {"mutex_cycle3",
       Needs::kCore,
       "lock-order inversion",
       {{"thread 4169", "m_alpha", "m_beta", "mutex_cycle3.c:22"},
        {"thread 4170", "m_beta", "m_gamma", "mutex_cycle3.c:32"},
        {"thread 4171", "m_gamma", "m_alpha", "mutex_cycle3.c:42"}}},
      {"self_deadlock",
       Needs::kCore,
       "self-deadlock",
       {{"thread 4237", "m_alpha` `0x556d893ca080`", "m_alpha", "self_deadlock.c:16"}}},
      {"rwlock",
       Needs::kCore,
       "lock-order inversion through a read/write lock",
       {{"thread 4295", "rw_table", "m_index", "rwlock.c:23"},
        {"thread 4296", "m_index", "rw_table", "rwlock.c:34"}}},
      {"join_cycle",
       Needs::kCore,
       "circular join",
       {{"thread 4463", "0x7f91349c96c0", "0x7f91349886c0", "join_cycle.c:26"},
        {"thread 4464", "0x7f91349886c0", "0x7f91349476c0", "join_cycle.c:26"},
        {"thread 4465", "0x7f91349476c0", "0x7f91349c96c0", "join_cycle.c:26"}}},
      {"cpp_mutex",
       Needs::kCore,
       "lock-order inversion",
       {{"thread 4558", "m_alpha", "m_beta", "cpp_mutex.cpp:22"},
        {"thread 4559", "m_beta", "m_alpha", "cpp_mutex.cpp:31"}}},
      {"cpp_shared_mutex",
       Needs::kCore,
       "lock-order inversion through a read/write lock",
       {{"thread 4641", "sm_table", "m_index", "cpp_shared_mutex.cpp:26"},
        {"thread 4642", "m_index", "sm_table", "cpp_shared_mutex.cpp:34"}}},
  };
  return dumps;
}

// The command-line arguments that analyse `dump` as a user would: the file (a core unpacked
// with its executable into a scratch directory) and the options it needs.
std::vector<std::string> dump_arguments(const DeadlockDump& dump);

}  // namespace dla::test
