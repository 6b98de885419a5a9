// IBM / Eclipse OpenJ9 javacore (kill -3, -Xdump:java, com.ibm.jvm.Dump.javaDump): every line
// starts with a tag ("3XMTHREADINFO", "4XESTACKTRACE", "1LKDEADLOCK", "NULL"). Written by
// OpenJ9's runtime/rasdump/javadump.cpp (JavaCoreDumpWriter: writeThreadsSection,
// writeThreadBlockers, writeDeadLocks); the layout as documented at
// https://eclipse.dev/openj9/docs/dump_javadump/ (the THREADS and LOCKS examples, from which
// testdata/wild/openj9/docs-*.txt are transcribed). What is read:
//   3XMTHREADINFO   "name" J9VMThread:0x…, omrthread_t:0x…, java/lang/Thread:0x…, state:B, prio=5
//                   (or "Anonymous native thread"); one task each: the "1XMCURTHDINFO Current
//                   thread" (the one that wrote the dump) and every thread of "1XMTHDINFO Thread
//                   Details" (which does not list the current thread again)
//   3XMTHREADINFO1  (native thread ID:0x52CF, …)                                  → lwp
//   3XMTHREADBLOCK  Blocked on: <class>@0x… Owned by: "name" (J9VMThread:0x…, …)  → waits for a
//                   monitor held by "name"; "Parked on:" the same for a j.u.c. synchronizer;
//                   "Waiting on:" is Object.wait (the monitor is released): no lock edge
//   4XESTACKTRACE   at pkg/Cls.m(File.java:35)                                    → frame
//   5XESTACKTRACE   (entered lock: <class>@0x…, entry count: 1)                   → holds it
//   1LKDEADLOCK     the VM's own deadlock report (LOCKS section, before THREADS): chains of
//                   2LKDEADLOCKTHR Thread "name" (0x…) / 3LKDEADLOCKWTR / [4LKDEADLOCKMON] /
//                   4LKDEADLOCKOBJ <class>@0x… / 3LKDEADLOCKOWN, closed by the first thread
//                   again → a declared cycle.
#pragma once

#include <memory>

#include "parsers/parser.h"

namespace dla {

std::unique_ptr<Parser> make_openj9_javacore_parser();

}  // namespace dla
