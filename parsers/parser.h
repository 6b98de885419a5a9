// The one interface every input format implements (bloaty's TryOpen…/Perfetto's Sniff+Reader
// split): `probe` looks at a bounded prefix and says how sure it is that the bytes are its own,
// without throwing; `parse` reads the whole input once into a Snapshot. "Not my format" is a
// probe of 0; "my format, but broken" is a dla::Error (nothing usable) or a warning (partial).
#pragma once

#include <string>
#include <string_view>

#include "graph/snapshot_builder.h"

namespace dla {

struct Input {
  std::string name;        // path as given, "-" for stdin: used in every message
  std::string_view bytes;  // the whole input, memory-mapped or read into one buffer
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
  // Reads `input` into `out`. Throws dla::Error when nothing usable can be read.
  virtual void parse(const Input& input, SnapshotBuilder& out) const = 0;
};

}  // namespace dla
