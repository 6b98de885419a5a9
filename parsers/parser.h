// The one interface every input format implements (bloaty's TryOpen…/Perfetto's Sniff+Reader
// split): `probe` looks at a bounded prefix and says how sure it is that the bytes are its own,
// without throwing; `parse` reads the whole input once into a Snapshot. "Not my format" is a
// probe of 0; "my format, but broken" is a dla::Error (nothing usable) or a warning (partial).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "graph/snapshot_builder.h"

namespace dla {

struct Input {
  std::string name;        // path as given, "-" for stdin: used in every message
  std::string_view bytes;  // the whole input, memory-mapped or read into one buffer
};

// Where the core reader looks for the files a core names. Empty fields mean the defaults: the
// executable and libraries at the paths the core records (NT_FILE, the dynamic linker's list),
// then by build-id under the debug directories; debug files by build-id and .gnu_debuglink under
// /usr/lib/debug. Nothing here reads the environment.
struct CoreOptions {
  std::string exe;        // the executable, used when its build-id matches the core's
  std::string sysroot;    // a copy of the crashed machine's files: libraries at SYSROOT/<path>,
                          // debug files under SYSROOT/usr/lib/debug too
  std::string debug_dir;  // colon-separated; replaces /usr/lib/debug (like gdb's
                          // debug-file-directory)
  // A JVM's core is read by running its JDK's Serviceability Agent (parsers/jvm_core.h); false
  // makes that an error naming the command instead (the fuzzers, which must start nothing).
  bool run_serviceability_agent = true;
  // Told what a slow step is doing before it starts and how long it took (the SA takes tens of
  // seconds); unset, nothing is told.
  std::function<void(const std::string&)> progress = nullptr;
};

// What a parse may be told besides the bytes; travels with each parse call.
struct ParseOptions {
  std::string format;  // --input-format: skip detection; empty = the most confident probe
  CoreOptions core;
};

// How many bytes a probe may look at.
inline constexpr size_t kProbeBytes = 64 * 1024;

class Parser {
 public:
  virtual ~Parser() = default;
  virtual std::string_view name() const = 0;         // --input-format value and JSON "format"
  virtual std::string_view description() const = 0;  // one line for --help
  // 0: not this format. 1–100: confidence. Sees at most kProbeBytes. Never throws.
  virtual int probe(std::string_view prefix) const = 0;
  // Reads `input` into `out`, calling out.next_snapshot() where another dump starts. Throws
  // dla::Error when nothing usable can be read.
  virtual void parse(const Input& input, const ParseOptions& options,
                     SnapshotBuilder& out) const = 0;
};

}  // namespace dla
