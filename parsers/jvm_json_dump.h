// jcmd PID Thread.dump_to_file -format=json (JDK 21+): the thread dump that lists virtual threads,
// which jstack does not. Written by jdk.internal.vm.ThreadDumper.dumpThreadsToJson:
//   {"threadDump": {"processId": "…", "time": "…", "runtimeVersion": "…",
//     "threadContainers": [{"container": "<root>", "parent": …, "owner": …,
//       "threads": [{"tid": "9", "name": "…", "stack": ["java.base/pkg.Cls.m(File.java:12)", …]},
//                   …], "threadCount": "…"}, …]}}
// JDK 21 prints tid, name and stack only: no lock is named, so no cycle can be proven. Later JDKs
// (ThreadDumper in JDK 25) add per thread "state", "parkBlocker", "blockedOn" (monitor enter),
// "waitingOn" (Object.wait) and "monitorsOwned": [{"depth": N, "locks": ["Cls@hash", …]}], each
// object as Objects.toIdentityString ("java.lang.Object@1b6d3586"): those give monitor cycles.
// Read with a SAX parser: a cut file gives the threads before the cut, and a warning.
#pragma once

#include <memory>

#include "parsers/parser.h"

namespace dla {

std::unique_ptr<Parser> make_jvm_json_dump_parser();

}  // namespace dla
