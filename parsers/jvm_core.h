// Cores of a JVM. HotSpot keeps its Java threads, their frames and their locks in its own
// structures: the native view of such a core (threads parked in ObjectMonitor::enter or
// Parker::park, Java frames as ??) says nothing about Java locks, and "no deadlock" from it would
// be a false claim. Only the Serviceability Agent of the same JDK build reads those structures,
// so for a core that maps libjvm.so the core reader hands over to this path: find the JDK the
// core needs (libjvm.so's path and build-id), run its SA on the core, read its output as an SA
// dump (parsers/jvm_sa_dump) and tie each Java thread's nid to one of the core's threads. Without
// that JDK, the result is a one-line error naming the JDK and the command to run, never the native
// view.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/resolve_hotspot.h"
#include "parsers/elf_core.h"

namespace dla {

struct JvmInCore {
  std::string libjvm;    // libjvm.so's path as the core maps it
  std::string build_id;  // hex, read from the core's memory; empty when the core lacks it
  std::string home;      // the JDK's home, from the path
  const hotspot::JdkLayout* layout = nullptr;
};

// The JVM a core maps (libjvm.so among its NT_FILE mappings), or nullopt for any other process.
std::optional<JvmInCore> find_jvm_in_core(const CoreFile& core);

// The SA command for `core_path`, its JDK's home under `sysroot` (empty: the local file system).
std::vector<std::string> sa_command(const JvmInCore& jvm, const std::string& sysroot,
                                    const std::string& java, const std::string& core_path);

// Reads the Java threads of a JVM core through its JDK's Serviceability Agent into `out`. Throws
// dla::Error, naming the JDK and the command to run, when the matching SA is not installed or
// fails.
void read_jvm_core(const Input& input, const CoreFile& core, const JvmInCore& jvm,
                   const CoreOptions& options, SnapshotBuilder& out);

}  // namespace dla
