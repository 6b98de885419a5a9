// HotSpot's own deadlock report, "Found one Java-level deadlock:" (DeadlockCycle::print_on_with
// in threadService.cpp), as a list of entries:
//   "worker-a":
//     waiting to lock monitor 0x00007f… (object 0x000000062a81bf28, a java.lang.Object),
//     which is held by "worker-b"
// HotSpot finds a deadlock by walking from a thread to the owner of what it waits for until the
// walk comes back to a thread it has met; it prints the whole walk. A report can therefore list a
// thread that only waits behind the cycle (three listed, two in the cycle), and its last entry's
// holder is not always its first entry. Which entries form the cycle is decided here, from the
// entries alone; the reader (jvm_thread_dump.cpp) ties them to threads. Names need not be unique
// (four threads called "worker" in two cycles): a holder is the entry printed next when that one
// has the holder's name, as HotSpot prints a cycle in wait-for order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dla {

struct DeadlockEntry {
  std::string name;           // the waiting thread, as the report names it
  uint32_t line = 0;          // where its entry starts in the input (1-based)
  std::string address;        // the object it waits for, as printed; empty when not printed
  std::string type;           // that object's class, as printed
  bool synchronizer = false;  // an ownable synchronizer (a java.util.concurrent lock)
  std::string holder;         // the thread "which is held by" names; empty when not named
  bool held_by_read = false;  // the entry's "which is held by" line was read (a cut paste lacks it)
};

// The entries that form the cycle the report proves, in wait-for order (each waits for what the
// next holds), as indices into `entries`, starting with the earliest entry of the cycle; empty
// when the entries do not close a cycle (a report cut short). An entry's holder is the thread it
// names or, for an entry cut before its "which is held by" line, the holder another entry names
// for the same object.
std::vector<size_t> proven_cycle(const std::vector<DeadlockEntry>& entries);

}  // namespace dla
