#include "render/describe.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

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

namespace {
std::string_view base_name(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}
}  // namespace

std::string short_place(const Snapshot& s, uint32_t index, int32_t line) {
  if (index == kNone) return "";
  const Frame& f = s.frames[index];
  if (line == 0) line = f.line;
  if (f.file == kNoString) return line > 0 ? fmt::format("line {}", line) : "";  // the SA's
  std::string_view file = base_name(s.str(f.file));
  return line > 0 ? fmt::format("{}:{}", file, line) : std::string(file);
}

std::string short_frame_label(const Snapshot& s, uint32_t index, int32_t line) {
  if (index == kNone) return "(no frame)";
  std::string place = short_place(s, index, line);
  std::string_view function = s.str(s.frames[index].function);
  return place.empty() ? std::string(function) : fmt::format("{} {}", function, place);
}

std::string lock_name(const Snapshot& s, ResourceIndex index) {
  const Resource& r = s.resources[index];
  if (r.symbol != kNoString) return std::string(s.str(r.symbol));
  std::string address = r.address == kNoString ? "" : std::string(s.str(r.address));
  // A type is no identity (two accounts are two monitors of one class): its address goes along.
  if (r.type != kNoString) {
    std::string type = type_without_package(s.str(r.type));
    return address.empty() ? type : fmt::format("{} {}", type, address);
  }
  std::string kind = to_string(r.kind);
  std::replace(kind.begin(), kind.end(), '_', ' ');
  return address.empty() ? kind : fmt::format("{} {}", kind, address);
}

std::string type_without_package(std::string_view type) {
  size_t start = 0;
  for (size_t dot = type.find('.'); dot != std::string_view::npos; dot = type.find('.', start)) {
    if (!std::islower(static_cast<unsigned char>(type[start]))) break;
    start = dot + 1;
  }
  return std::string(type.substr(start));
}

size_t task_total(const Snapshot& s) {
  size_t n = 0;
  for (const Task& t : s.tasks) n += t.count;
  return n;
}

std::string abbreviated_ids(const Snapshot& s, const std::vector<TaskIndex>& tasks, size_t shown) {
  std::string out;
  for (size_t k = 0; k < tasks.size() && k < shown; ++k) {
    out += fmt::format("{}{}", k ? ", " : "", s.str(s.tasks[tasks[k]].id));
  }
  return tasks.size() > shown ? out + ", …" : out;
}

PlaceKey place_key(const Snapshot& s, const WaitEdge& w) {
  uint32_t f = w.app_frame != kNone ? w.app_frame : w.frame;
  if (f == kNone) return {kNoString, kNoString, 0};
  return {s.frames[f].function, s.frames[f].file, s.frames[f].line};
}

std::vector<std::vector<size_t>> stuck_bunches(const Snapshot& s, const Findings& f) {
  std::vector<size_t> all(f.stuck.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return bunch_by(all, [&](size_t i) {
    const StuckWaiter& w = f.stuck[i];
    return std::tuple(s.resources[w.resource].kind, w.reason, w.evidence,
                      place_key(s, s.waits[w.wait]));
  });
}

VerdictWords verdict_words(const Snapshot& /*s*/, const Findings& f) {
  switch (f.verdict()) {
    case Findings::Verdict::kDeadlock:
      return {Role::kCycle, "DEADLOCK"};
    case Findings::Verdict::kStuck:
      return {Role::kStuck, "STUCK"};
    case Findings::Verdict::kUnproven:
      break;
    case Findings::Verdict::kClean:
      return {Role::kClean, "no deadlock"};
  }
  switch (f.unproven) {
    case Findings::Unproven::kNoLockRecords:
      return {Role::kUncertain, "no deadlock visible (this dump records no locks)"};
    case Findings::Unproven::kHoldersUnknown:
      return {Role::kUncertain, "no deadlock proven (lock holders unknown)"};
    case Findings::Unproven::kDamagedInput:
    case Findings::Unproven::kNo:
      break;
  }
  return {Role::kUncertain, "no deadlock in what could be read (the input is damaged)"};
}

}  // namespace dla
