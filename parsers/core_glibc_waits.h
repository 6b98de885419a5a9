// The glibc waits of a native core: each thread sleeping in futex(2) is matched to what it waits
// for — its frames say which kind of wait (graph/resolve_glibc), its registers which futex word,
// the C library's lock layout (parsers/glibc_layouts) where the lock starts and where its owner's
// LWP is — and handed to the shared native wait/owner model (graph/native_waits), which writes the
// resources, wait and hold edges. Evidence "memory" where a frame names the wait, "inferred"
// where only the memory's shape does.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/snapshot_builder.h"
#include "parsers/elf_core.h"
#include "parsers/glibc_layouts.h"

namespace dla {

struct CoreWaitsInput {
  std::string_view input_name;
  const CoreFile& core;
  const glibc::LockLayout* layout = nullptr;     // nullptr: none for this architecture
  bool layout_version_known = false;             // false: the layout of the newest glibc is assumed
  const std::vector<TaskIndex>& task_of_thread;  // by index into core.threads
  // The data symbol an address falls in ("m_alpha", "table+16"), or empty.
  std::function<std::string(uint64_t)> data_symbol;
};

// Adds the wait of every thread blocked in futex(2), with the lock's owner read from memory.
void read_core_waits(const CoreWaitsInput& in, SnapshotBuilder& out);

// Index (within the task) of the first frame at or after `from` that is not the C/C++ runtime's,
// or kNone.
uint32_t first_app_frame(const Snapshot& s, const Task& t, uint32_t from);

}  // namespace dla
