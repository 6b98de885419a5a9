// HotSpot's Serviceability Agent thread dumps: `jhsdb jstack [--locks] --pid PID` and
// `jhsdb jstack [--locks] --exe JAVA --core CORE` (JDK 9+), and JDK 8's `jstack -F [-l] PID` (or
// `jstack [-l] JAVA CORE`). The SA reads the process from outside, so it works when the JVM is too
// hung to answer jstack, and on cores; it prints a format of its own
// (jdk.hotspot.agent: tools/StackTrace.java, runtime/DeadlockDetector.java,
// runtime/ConcurrentLocksPrinter.java, runtime/JavaVFrame.java, runtime/JavaThread.java):
//
//   Attaching to process ID 2662, please wait...         (or "Attaching to core X from …")
//   Debugger attached successfully.
//   Server compiler detected.
//   JVM version is 17.0.15+6-Debian-1deb12u1
//   Deadlock Detection:                                   (always first, before the threads)
//
//   Found one Java-level deadlock:                        (or "No deadlocks found.")
//   …
//   Found a total of 1 deadlock.
//
//   "worker-a" #12 prio=5 tid=0x… nid=0xa7a waiting for monitor entry [0x…]   (JDK 9+)
//      java.lang.Thread.State: BLOCKED (on object monitor)
//      JavaThread state: _thread_blocked
//    - MonitorCycle.transferAtoB() @bci=15, line=30 (Interpreted frame)
//   \t- locked <0x…> (a MonitorCycle$Inventory)
//
//   Locked ownable synchronizers:                         (--locks only)
//       - None
//
// JDK 8 prints "Thread 4233: (state = BLOCKED)" (the LWP and the VM's own thread state, no name)
// and no lock lines under the frames. No trailer ends the dump.
//
// The tokenizer (tokenize_sa_line, jvm_sa_line.cpp) turns one line into an SaLine; the reader
// (jvm_sa_dump.cpp) writes the model.
// Header and lock lines are HotSpot's own and are read by the jstack tokenizer; what each lock
// line means is graph/resolve_hotspot's table.
#pragma once

#include <memory>
#include <string_view>

#include "parsers/jvm_thread_dump.h"
#include "parsers/parser.h"

namespace dla {

struct SaLine {
  enum class Kind : uint8_t {
    kOther,
    kBlank,
    kAttaching,          // "Attaching to process ID 2662, please wait..." → text = what
    kAttachError,        // "Error attaching to core file: Can't attach …" (stderr) → text
    kJvmVersion,         // "JVM version is 17.0.15+6-Debian-1deb12u1" → text = version
    kDeadlockDetection,  // "Deadlock Detection:"
    kDeadlockStart,      // "Found one Java-level deadlock:"
    kDeadlockThread,     // "\"worker-a\":" → text = name
    kDeadlockMonitor,  // "  waiting to lock Monitor@0x… (Object@0x…, a Cls)," → text = monitor,
                       // address = object ("" for "(raw monitor)"), detail = class
    kDeadlockSynchronizer,  // " waiting for ownable synchronizer 0x…, (a Cls)," → address, detail
    kDeadlockHeldBy,        // "  which is held by \"worker-b\"" → text = name
    kDeadlockTotal,         // "Found a total of 2 deadlocks." / "No deadlocks found."
    kDeadlockUnavailable,  // "Can't print deadlocks: …", "This version of HotSpot VM doesn't …"
    kThreadHeader,         // JDK 9+: as jstack's, see JvmThreadHeader
    kJdk8ThreadHeader,     // "Thread 4233: (state = BLOCKED)" → number = LWP, text = state
    kThreadState,          // "   java.lang.Thread.State: BLOCKED (on object monitor)" → text
    kFrame,                // " - Cls.m(int) @bci=15, line=30 (Interpreted frame)" → see below
    kLockLine,             // "\t- locked <0x…> (a Cls)" → text = verb, address, detail = class
    kOwnableHeader,        // "Locked ownable synchronizers:"
    kOwnable,          // "    - <0x…>, (a Cls)" → address, detail; "    - None" → no address
    kStackWalkError,   // "Error occurred during stack walking:", "Could not print lock info: …"
    kMixedModeThread,  // jhsdb jstack --mixed: "----------------- 23578 -----------------",
                       // number = LWP; a Java header may follow, then native frames
  };
  Kind kind = Kind::kOther;
  std::string_view text;     // frames: the method, "MonitorCycle.transferAtoB"
  std::string_view address;  // hex as printed
  std::string_view detail;   // a class as printed (the SA spells some with '/': java/lang/Object)
  int64_t number = 0;        // frames: the source line (0 when not printed); JDK 8 headers: LWP
  bool interpreted = false;  // frames: "(Interpreted frame)"
  JvmThreadHeader header;
};

// Tokenizes one line (without its line ending).
SaLine tokenize_sa_line(std::string_view line);

// Reads SA output into `out` (the core reader uses it on jhsdb's output). Throws dla::Error when
// no thread can be read.
void read_sa_dump(const Input& input, SnapshotBuilder& out);

std::unique_ptr<Parser> make_jvm_sa_dump_parser();

}  // namespace dla
