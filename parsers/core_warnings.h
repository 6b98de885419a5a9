// The warnings of a native core about what it lacks: the executable, libraries and debug files
// that were not found (and the option that would supply each), a stripped executable, a C library
// without debug info, threads that could not be unwound, and a truncated core (which threads,
// mappings and stacks the cut took). Read from libdwfl's modules and the core's headers.
#pragma once

#include <elfutils/libdwfl.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/snapshot_builder.h"
#include "parsers/elf_core.h"
#include "parsers/parser.h"

namespace dla {

struct CoreReport {
  std::string_view input_name;
  const CoreFile& core;
  const CoreOptions& options;
  Dwfl* dwfl = nullptr;                              // nullptr: libdwfl could not read the core
  const std::unordered_map<StrId, size_t>& unnamed;  // frames without a function, by module
  const std::vector<std::string>& unwind_failures;   // "LWP (libdwfl's error)", one per thread
};

// Warns of the files the core's modules need and were not found or lack symbols.
void report_missing_files(const CoreReport& in, SnapshotBuilder& out);
// Warns (and marks the snapshot damaged) when the core is shorter than its headers say.
void report_truncation(const CoreReport& in, SnapshotBuilder& out);

}  // namespace dla
