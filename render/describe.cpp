#include "render/describe.h"

#include <fmt/format.h>

#include <algorithm>

namespace dla {

std::string task_label(const Snapshot& s, TaskIndex index) {
  const Task& t = s.tasks[index];
  std::string_view id = s.str(t.id);
  std::string_view name = s.str(t.name);
  if (name == id) return fmt::format("{} \"{}\"", s.task_noun, id);
  // A repeated name made unique by its number: 'thread "worker" (#13)'.
  if (!name.empty() && id.substr(0, name.size() + 2) == std::string(name) + " (") {
    return fmt::format("{} \"{}\"{}", s.task_noun, name, id.substr(name.size()));
  }
  if (name.empty()) return fmt::format("{} {}", s.task_noun, id);
  return fmt::format("{} {} \"{}\"", s.task_noun, id, name);
}

std::string resource_label(const Snapshot& s, ResourceIndex index) {
  const Resource& r = s.resources[index];
  std::string kind = to_string(r.kind);
  std::replace(kind.begin(), kind.end(), '_', ' ');  // "ownable synchronizer", as HotSpot says it
  std::string out = fmt::format(
      "{} {}", kind, r.address == kNoString ? "(address not in the dump)" : s.str(r.address));
  if (r.symbol != kNoString) out += fmt::format(" {}", s.str(r.symbol));
  if (r.type != kNoString) out += fmt::format(" ({})", s.str(r.type));
  return out;
}

std::string frame_label(const Snapshot& s, uint32_t index, int32_t line) {
  if (index == kNone) return "(no frame)";
  const Frame& f = s.frames[index];
  std::string out(s.str(f.function));
  if (line == 0) line = f.line;
  if (f.file != kNoString && line > 0) {
    out += fmt::format(" ({}:{})", s.str(f.file), line);
  } else if (f.file != kNoString) {
    out += fmt::format(" ({})", s.str(f.file));
  } else if (f.native) {
    out += " (native)";
  } else if (line > 0) {
    out += fmt::format(" (line {})", line);  // a dump that names no file (the SA's)
  }
  return out;
}

const char* evidence_words(Evidence e) {
  switch (e) {
    case Evidence::kDeclared:
      return "the runtime's deadlock report";
    case Evidence::kLockRecord:
      return "lock record";
    case Evidence::kMemory:
      return "read from memory";
    case Evidence::kArgument:
      return "frame argument";
    case Evidence::kSource:
      return "inferred from source";
    case Evidence::kInferred:
      return "heuristic";
  }
  return "heuristic";
}

std::string count_of(size_t n, const std::string& noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

}  // namespace dla
