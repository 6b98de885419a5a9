// HotSpot thread dumps: `jstack [-l] PID`, `jcmd PID Thread.print [-l]` and the JVM's own SIGQUIT
// (kill -3) output, JDK 5 to 25, whole or in part: the deadlock report alone (the most pasted
// Java deadlock), a thread list cut from its header. The tokenizer (tokenize_jvm_line,
// jvm_tokenizer.cpp) turns one line into a JvmLine; the reader (jvm_thread_dump.cpp) is a small
// state machine over those tokens that writes the model; the deadlock report is read apart
// (jvm_deadlock_report.h). What each lock line means lives in graph/resolve_hotspot.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "parsers/parser.h"

namespace dla {

// The fields of a thread header line, e.g.
// "worker-a" #13 prio=5 os_prio=0 cpu=1.2ms elapsed=5.06s tid=0x… nid=0x5f2 waiting for monitor
// entry  [0x…]
struct JvmThreadHeader {
  std::string_view name;       // between the quotes
  std::string_view number;     // "13" from "#13"; empty for VM-internal threads
  std::optional<int64_t> nid;  // OS thread id: hex before JDK 18, decimal after; [tid] in JDK 21
  std::optional<double> elapsed_seconds;
  std::string_view os_state;  // "waiting for monitor entry", "runnable", …
  bool daemon = false;
};

struct JvmLine {
  enum class Kind : uint8_t {
    kOther,  // anything else: preamble, SMR info, program output, heap summary
    kBlank,
    kDumpHeader,         // "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6… mixed mode):"
    kThreadHeader,       // see JvmThreadHeader
    kThreadState,        // "   java.lang.Thread.State: BLOCKED (on object monitor)" → text
    kFrame,              // "\tat pkg.Cls.m(java.base@17/File.java:12)" → text = function,
                         // detail = location ("File.java:12", "Native Method"), module
    kPlainThreadHeader,  // jcmd Thread.dump_to_file (JDK 21+): "#18 \"worker-a\"" [" virtual"]
                         // → text = name, detail = number, address = "virtual" or empty
    kLockLine,           // "\t- <verb> <0x…> (a Class)" → text = verb, address, detail = class
    kOwnableHeader,      // "   Locked ownable synchronizers:"
    kEndOfThreads,       // "JNI global refs: 15, weak refs: 0" (JDK 8: "JNI global references: 4")
    kDeadlockStart,      // "Found one Java-level deadlock:" (also under a markdown "# ")
    kDeadlockThread,     // "\"worker-a\":" inside the deadlock section → text = name
    kDeadlockMonitor,    // "  waiting to lock monitor 0x… (object 0x…, a java.lang.Object),"
                       // (jstack -F: "waiting to lock Monitor@0x… (Object@0x…, a java/lang/X),")
                       // → address = the object, detail = its class
    kDeadlockSynchronizer,  // "  waiting for ownable synchronizer 0x…, (a
                            // …ReentrantLock$NonfairSync)," → address, detail = class
    kDeadlockHeldBy,        // "  which is held by \"worker-b\"" (also "in JNI, which is held by")
                            // → text = the holder's name
    kDeadlockStacks,        // "Java stack information for the threads listed above:"
    kDeadlockEnd,           // "Found 1 deadlock." / "Found 2 deadlocks."
    kHistogram,  // "num   #instances    #bytes  class name": a class histogram (kill -3 with
                 // -XX:+PrintClassHistogram) follows the dump: the dump is over, not cut
  };
  Kind kind = Kind::kOther;
  std::string_view text;
  std::string_view address;
  std::string_view detail;
  std::string_view module;  // frames: "java.base@17.0.15", "java.base", "app/"
  JvmThreadHeader header;
};

// Tokenizes one line (without its line ending).
JvmLine tokenize_jvm_line(std::string_view line);

std::unique_ptr<Parser> make_jvm_thread_dump_parser();

}  // namespace dla
