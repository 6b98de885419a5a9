#include "parsers/jvm_thread_dump.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "graph/resolve_hotspot.h"
#include "graph/text_numbers.h"
#include "parsers/line_reader.h"

namespace dla {

namespace {

using Kind = JvmLine::Kind;

// "5.06s" or, in locales with a decimal comma (JDK 21 prints with the VM's locale), "29,56s".
std::optional<double> parse_seconds(std::string_view text) {
  if (text.empty() || text.back() != 's') return std::nullopt;
  std::string number(text.substr(0, text.size() - 1));
  for (char& c : number) {
    if (c == ',') c = '.';
  }
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size()) return std::nullopt;
  return value;
}

// Tokens that may follow the closing quote of a thread name in a header line.
bool starts_header_fields(std::string_view rest) {
  constexpr std::array<std::string_view, 6> kFirstFields = {
      " #", " daemon", " prio=", " os_prio=", " tid=", " ["};
  for (std::string_view field : kFirstFields) {
    if (starts_with(rest, field)) return true;
  }
  return false;
}

std::optional<JvmThreadHeader> tokenize_thread_header(std::string_view line) {
  if (line.size() < 3 || line[0] != '"') return std::nullopt;
  // A thread header always carries tid= or nid= (VM-internal threads too); the quoted lines of
  // the deadlock section carry neither.
  if (line.find(" tid=") == std::string_view::npos &&
      line.find(" nid=") == std::string_view::npos) {
    return std::nullopt;
  }
  // The name may itself contain quotes and spaces: it ends at the last quote that is followed by
  // header fields.
  size_t close = std::string_view::npos;
  for (size_t i = line.size() - 1; i > 0; --i) {
    if (line[i] == '"' && starts_header_fields(line.substr(i + 1))) {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos) return std::nullopt;

  JvmThreadHeader h;
  h.name = line.substr(1, close - 1);
  std::string_view rest = line.substr(close + 1);
  while (!rest.empty()) {
    rest = trim(rest);
    size_t space = rest.find(' ');
    std::string_view field = rest.substr(0, space);
    if (starts_with(field, "nid=")) {
      std::string_view value = field.substr(4);
      if (starts_with(value, "0x")) {
        if (auto hex = parse_hex(value)) h.nid = static_cast<int64_t>(*hex);
      } else {
        h.nid = parse_decimal(value);  // JDK 18+ print the nid in decimal
      }
      // Everything after nid= up to the stack address "[0x…]" is the OS-level state.
      std::string_view state = space == std::string_view::npos ? "" : rest.substr(space + 1);
      if (size_t bracket = state.rfind(" ["); bracket != std::string_view::npos) {
        state = state.substr(0, bracket);
      } else if (starts_with(trim(state), "[")) {
        state = "";
      }
      h.os_state = trim(state);
      break;
    }
    if (field.size() > 1 && field[0] == '#') {
      h.number = field.substr(1);
    } else if (field.size() > 2 && field.front() == '[' && field.back() == ']') {
      h.nid = parse_decimal(field.substr(1, field.size() - 2));  // JDK 21: "[9074]" is the OS tid
    } else if (field == "daemon") {
      h.daemon = true;
    } else if (starts_with(field, "elapsed=")) {
      h.elapsed_seconds = parse_seconds(field.substr(8));
    }
    if (space == std::string_view::npos) break;
    rest = rest.substr(space + 1);
  }
  return h;
}

// "\t- waiting to lock <0x…> (a java.lang.Object)" → verb, address, class.
// "\t- parking to wait for  <0x…> (a …)" has two spaces; ownable synchronizers print "\t- <0x…> (a
// …)" and "\t- None"; some lines carry no address at all ("\t- waiting on <no object reference
// available>",
// "\t- waiting on the Class initialization monitor for Foo").
JvmLine tokenize_lock_line(std::string_view body) {
  JvmLine out;
  out.kind = Kind::kLockLine;
  size_t open = body.find('<');
  if (open == std::string_view::npos) {
    // No object: the tail after a known verb is the object's description.
    constexpr std::string_view kClassInit = "waiting on the Class initialization monitor for";
    if (starts_with(body, kClassInit)) {
      out.text = kClassInit;
      out.address = trim(body.substr(kClassInit.size()));
      out.detail = out.address;
    } else {
      out.text = trim(body);
    }
    return out;
  }
  out.text = trim(body.substr(0, open));
  size_t close = body.find('>', open);
  if (close == std::string_view::npos) return out;
  std::string_view object = body.substr(open + 1, close - open - 1);
  if (starts_with(object, "0x")) out.address = object;
  std::string_view tail = trim(body.substr(close + 1));
  if (starts_with(tail, "(a ") && tail.back() == ')') out.detail = tail.substr(3, tail.size() - 4);
  return out;
}

// "pkg.Cls.m(java.base@17.0.15/Cls.java:12)" (jstack: the module is inside the parentheses) or
// "java.base/pkg.Cls.m(Cls.java:12)" (StackTraceElement.toString: module and class loader before
// the class). Hidden classes carry "/0x…" in their name ("Foo$$Lambda/0x0000…run"), which is no
// module separator.
JvmLine tokenize_frame(std::string_view body, bool module_before_class) {
  JvmLine out;
  out.kind = Kind::kFrame;
  size_t paren = body.rfind('(');
  out.text = body.substr(0, paren);
  if (paren != std::string_view::npos && body.back() == ')') {
    out.detail = body.substr(paren + 1, body.size() - paren - 2);
  }
  std::string_view& holder = module_before_class ? out.text : out.detail;
  for (size_t slash = holder.rfind('/'); slash != std::string_view::npos && slash > 0;
       slash = holder.rfind('/', slash - 1)) {
    if (!starts_with(holder.substr(slash + 1), "0x")) {
      out.module = holder.substr(0, slash);
      while (!out.module.empty() && out.module.back() == '/') out.module.remove_suffix(1);
      holder = holder.substr(slash + 1);
      break;
    }
  }
  return out;
}

}  // namespace

JvmLine tokenize_jvm_line(std::string_view line) {
  JvmLine out;
  if (trim(line).empty()) {
    out.kind = Kind::kBlank;
    return out;
  }
  if (line[0] == '\t') {
    std::string_view body = line.substr(1);
    if (starts_with(body, "at ")) return tokenize_frame(body.substr(3), false);
    if (starts_with(body, "- ")) return tokenize_lock_line(body.substr(2));
    return out;
  }
  // jcmd Thread.dump_to_file: frames are StackTraceElement.toString() indented by six spaces.
  if (starts_with(line, "      ") && line[6] != ' ') return tokenize_frame(line.substr(6), true);
  if (line[0] == '#') {
    // "#18 \"worker-a\"", "#31 \"\" virtual"
    size_t space = line.find(" \"");
    std::string_view number = line.substr(1, space == std::string_view::npos ? 0 : space - 1);
    size_t close = line.rfind('"');
    if (!number.empty() && number.find_first_not_of("0123456789") == std::string_view::npos &&
        close > space + 1) {
      out.kind = Kind::kPlainThreadHeader;
      out.detail = number;
      out.text = line.substr(space + 2, close - space - 2);
      out.address = trim(line.substr(close + 1));
    }
    return out;
  }
  if (line[0] == '"') {
    if (auto header = tokenize_thread_header(line)) {
      out.kind = Kind::kThreadHeader;
      out.header = *header;
      return out;
    }
    if (line.size() > 3 && line.substr(line.size() - 2) == "\":") {
      out.kind = Kind::kDeadlockThread;
      out.text = line.substr(1, line.size() - 3);
    }
    return out;
  }
  std::string_view trimmed = trim(line);
  if (starts_with(trimmed, "java.lang.Thread.State: ")) {
    out.kind = Kind::kThreadState;
    out.text = trimmed.substr(24);
  } else if (trimmed == "Locked ownable synchronizers:") {
    out.kind = Kind::kOwnableHeader;
  } else if (starts_with(line, "Full thread dump ")) {
    out.kind = Kind::kDumpHeader;
    out.text = line.substr(17);
  } else if (starts_with(line, "JNI global ref")) {
    out.kind = Kind::kEndOfThreads;
  } else if (trimmed == "Found one Java-level deadlock:") {
    out.kind = Kind::kDeadlockStart;
  } else if (trimmed == "Java stack information for the threads listed above:") {
    out.kind = Kind::kDeadlockStacks;
  } else if (starts_with(trimmed, "Found ") &&
             (trimmed.ends_with(" deadlock.") || trimmed.ends_with(" deadlocks."))) {
    out.kind = Kind::kDeadlockEnd;
  }
  return out;
}

namespace {

// Builds the model from the token stream. One instance per parse.
class JvmDumpReader {
 public:
  JvmDumpReader(const Input& input, SnapshotBuilder& out) : in_(input), out_(out) {}

  void run() {
    out_.snapshot().task_noun = "thread";
    out_.snapshot().family = RuntimeFamily::kJvm;
    LineReader lines(in_.bytes);
    std::string_view line;
    while (lines.next(line)) {
      line_ = lines.line_number();
      if (line_ <= first_lines_.size()) first_lines_[line_ - 1] = line;
      JvmLine tok = tokenize_jvm_line(line);
      if (in_deadlock_section_) {
        read_deadlock_section(tok, line);
      } else {
        read_thread_line(tok);
      }
      previous_line_ = line;
    }
    finish(lines.line_number());
  }

 private:
  std::string where() const { return fmt::format("{}:{}", in_.name, line_); }
  std::string_view s_str(StrId id) { return out_.snapshot().str(id); }

  // Another "Full thread dump" (kill -3 sent twice into one log): the dump read so far is
  // complete; the next one is a snapshot of its own. jstack prints the time on the line before.
  void next_dump() {
    bool timed = is_timestamp(previous_line_);
    uint32_t starts = timed ? line_ - 1 : line_;
    uint32_t here = line_;
    line_ = starts - 1;
    finish_dump(/*last=*/false);
    line_ = here;
    out_.next_snapshot(starts);
    reset();
    if (timed) set_time(previous_line_);
  }

  // jstack and kill -3 print "2026-12-01 00:50:46" before "Full thread dump".
  static bool is_timestamp(std::string_view line) {
    static const RE2 kTimestamp(R"re(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)re");
    return RE2::FullMatch(trim(line), kTimestamp);
  }

  void set_time(std::string_view line) {
    Snapshot& s = out_.snapshot();
    s.taken_at_text = std::string(trim(line));
    std::tm tm{};
    if (strptime(s.taken_at_text.c_str(), "%Y-%m-%d %H:%M:%S", &tm) != nullptr) {
      s.taken_at = static_cast<int64_t>(timegm(&tm));  // the dump's own clock; no zone is printed
    }
  }

  void read_thread_line(const JvmLine& tok) {
    switch (tok.kind) {
      case Kind::kDumpHeader:
        if (saw_dump_header_ || !out_.snapshot().tasks.empty()) {
          next_dump();
        }
        saw_dump_header_ = true;
        if (is_timestamp(previous_line_)) set_time(previous_line_);
        set_runtime(tok.text);
        break;
      case Kind::kThreadHeader:
        begin_task(tok.header);
        break;
      case Kind::kPlainThreadHeader:
        begin_plain_task(tok);
        break;
      case Kind::kThreadState:
        if (task_ != kNone) out_.task(task_).state = out_.intern(tok.text);
        break;
      case Kind::kFrame:
        add_frame(tok);
        break;
      case Kind::kLockLine:
        add_lock_line(tok);
        break;
      case Kind::kOwnableHeader:
        in_ownable_list_ = true;
        break;
      case Kind::kEndOfThreads:
        finish_task();
        saw_end_of_threads_ = true;
        // HotSpot runs its deadlock detection right after this line in every dump kind.
        out_.snapshot().runtime_checked_deadlocks = true;
        break;
      case Kind::kDeadlockStart:
        finish_task();
        in_deadlock_section_ = true;
        start_declared_cycle();
        break;
      default:
        break;
    }
  }

  void set_runtime(std::string_view text) {
    // "OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):"
    std::string_view vm = trim(text.substr(0, text.find('(')));
    std::string_view version;
    if (size_t open = text.find('('); open != std::string_view::npos) {
      version = text.substr(open + 1);
      version = version.substr(0, version.find_first_of(" )"));
    }
    out_.snapshot().runtime = version.empty() ? std::string(vm) : fmt::format("{} {}", vm, version);
  }

  void begin_task(const JvmThreadHeader& h) {
    finish_task();
    // Thread names need not be unique; the id must be. A repeated name gets the thread number.
    std::string id(h.name);
    if (++name_uses_[id] > 1) {
      id = h.number.empty() ? fmt::format("{} ({})", h.name, name_uses_[id])
                            : fmt::format("{} (#{})", h.name, h.number);
    }
    task_ = out_.begin_task(id, line_);
    if (name_uses_[std::string(h.name)] == 1)
      first_of_name_.push_back({task_, std::string(h.number)});
    Task& t = out_.task(task_);
    t.name = out_.intern(h.name);
    t.lwp = h.nid;
    t.elapsed_seconds = h.elapsed_seconds;
    t.state = out_.intern(h.os_state);  // replaced by java.lang.Thread.State when printed
    in_ownable_list_ = false;
  }

  // jcmd Thread.dump_to_file (JDK 21+): "<pid>", "<timestamp>", "<version>", then one
  // "#<tid> \"<name>\"" line per thread with its frames, and nothing about locks.
  void begin_plain_task(const JvmLine& tok) {
    if (!saw_plain_header_) {
      saw_plain_header_ = true;
      out_.snapshot().records_locks = false;
      if (!first_lines_[0].empty() &&
          first_lines_[0].find_first_not_of("0123456789") == std::string_view::npos) {
        out_.snapshot().runtime = fmt::format("Java {}", trim(first_lines_[2]));
      }
      out_.warn(in_.name,
                "jcmd Thread.dump_to_file output records no locks: no cycle can be found "
                "in it; take 'jcmd PID Thread.print -l' or 'jstack -l PID' as well");
    }
    JvmThreadHeader h;
    h.name = tok.text;
    h.number = tok.detail;
    begin_task(h);
    Task& t = out_.task(task_);
    if (tok.text.empty()) t.id = out_.intern(fmt::format("#{}", tok.detail));  // unnamed virtual
    if (tok.address == "virtual") t.state = out_.intern("virtual");
  }

  void add_frame(const JvmLine& tok) {
    if (task_ == kNone || in_ownable_list_) return;
    Frame f;
    f.function = out_.intern(tok.text);
    f.module = out_.intern(tok.module);
    std::string_view location = tok.detail;  // "Thread.java:833", "Native Method", "Unknown Source"
    if (location == "Native Method") {
      f.native = true;
    } else if (location != "Unknown Source") {
      size_t colon = location.rfind(':');
      if (colon != std::string_view::npos) {
        if (auto line = parse_decimal(location.substr(colon + 1))) {
          f.line = static_cast<int32_t>(*line);
          location = location.substr(0, colon);
        }
      }
      f.file = out_.intern(location);
    }
    last_frame_ = out_.add_frame(f);
  }

  void add_lock_line(const JvmLine& tok) {
    if (task_ == kNone) return;
    if (in_ownable_list_) {
      // "\t- <0x…> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)" or "\t- None".
      if (tok.address.empty()) return;
      ResourceIndex r =
          out_.resource(hotspot::kind_of_park_blocker(tok.detail), tok.address, tok.detail);
      out_.add_hold({r, task_, Evidence::kLockRecord, kNone});
      return;
    }
    const hotspot::LockLineRule* rule = hotspot::find_lock_line_rule(tok.text);
    if (rule == nullptr) {
      out_.warn(where(), fmt::format("unknown lock line '- {}' ignored", tok.text));
      return;
    }
    if (rule->role == hotspot::LockRole::kWaitsNotify && tok.address.empty()) {
      // "waiting on <no object reference available>" (a JIT-compiled wait): the object is not
      // printed, but it is the monitor the caller entered, the next "- locked" line.
      release_next_lock_ = true;
      return;
    }
    if (rule->role == hotspot::LockRole::kNothing || tok.address.empty()) return;
    if (last_frame_ == kNone || last_frame_ < out_.task(task_).first_frame) return;
    ResourceKind kind = rule->kind == ResourceKind::kUnknown
                            ? hotspot::kind_of_park_blocker(tok.detail)
                            : rule->kind;
    ResourceIndex r = out_.resource(kind, tok.address, tok.detail);
    switch (rule->role) {
      case hotspot::LockRole::kHolds:
        if (release_next_lock_) {
          release_next_lock_ = false;
          break;
        }
        pending_holds_.push_back({r, task_, Evidence::kLockRecord, last_frame_});
        break;
      case hotspot::LockRole::kRelocks:
        released_.push_back(out_.snapshot().resources[r].address_value);
        if (starts_with(s_str(out_.task(task_).state), "BLOCKED")) {
          pending_waits_.push_back(
              {task_, r, Evidence::kLockRecord, last_frame_, kNone, kNoString});
        }
        break;
      case hotspot::LockRole::kWaitsNotify:
        released_.push_back(out_.snapshot().resources[r].address_value);
        [[fallthrough]];
      case hotspot::LockRole::kWaits:
        pending_waits_.push_back({task_, r, Evidence::kLockRecord, last_frame_, kNone, kNoString});
        break;
      case hotspot::LockRole::kNothing:
        break;
    }
  }

  // Ends the current task: its waits get their application frame now that all frames are known.
  void finish_task() {
    if (task_ == kNone) return;
    Task& t = out_.task(task_);
    const Snapshot& s = out_.snapshot();
    for (uint32_t f = 0; f < t.frame_count; ++f) {
      if (!hotspot::is_runtime_frame(s.str(s.frames[t.first_frame + f].function))) {
        t.app_frame = f;
        break;
      }
    }
    for (WaitEdge& w : pending_waits_) {
      for (uint32_t f = w.frame; f < t.first_frame + t.frame_count; ++f) {
        if (!hotspot::is_runtime_frame(s.str(s.frames[f].function))) {
          w.app_frame = f;
          break;
        }
      }
      out_.add_wait(w);
    }
    // Object.wait() released its monitor, but HotSpot still prints "- locked" for it under the
    // frame that entered it (Thread.join → wait): that line is not a hold.
    for (const HoldEdge& h : pending_holds_) {
      uint64_t address = s.resources[h.resource].address_value;
      if (std::find(released_.begin(), released_.end(), address) == released_.end()) {
        out_.add_hold(h);
      }
    }
    pending_waits_.clear();
    pending_holds_.clear();
    released_.clear();
    release_next_lock_ = false;
    task_ = kNone;
    last_frame_ = kNone;
    in_ownable_list_ = false;
  }

  // --- HotSpot's own deadlock report ------------------------------------------------------------
  //
  // DeadlockCycle::print_on_with (threadService.cpp) prints each member of a cycle as
  //   "worker-a":
  //     waiting to lock monitor 0x00007f… (object 0x000000062a81bf28, a java.lang.Object),
  //     which is held by "worker-b"
  // where the holder is always the next member printed (the last member's holder is the first).
  // Members are named only by thread name, which need not be unique, so a member is identified by
  // the lock it waits for and a holder by its position; names are the fallback.

  struct DeclaredMember {
    std::string name;
    std::string holder_name;
    TaskIndex task = kNone;
    ResourceIndex resource = kNone;
    uint32_t line = 0;
  };

  void start_declared_cycle() {
    finish_declared_cycle();
    out_.snapshot().declared_cycles.push_back({{}, where()});
    in_deadlock_stacks_ = false;
  }

  void finish_declared_cycle() {
    if (declared_.empty()) return;
    DeclaredCycle& cycle = out_.snapshot().declared_cycles.back();
    for (DeclaredMember& m : declared_) {
      if (m.task == kNone) m.task = find_thread_by_name(m.name, m.line);
      if (m.task != kNone) cycle.members.push_back(m.task);
    }
    for (size_t i = 0; i < declared_.size(); ++i) {
      const DeclaredMember& m = declared_[i];
      const DeclaredMember& next = declared_[(i + 1) % declared_.size()];
      if (m.resource == kNone || m.holder_name.empty()) continue;
      TaskIndex holder = next.name == m.holder_name && next.task != kNone
                             ? next.task
                             : find_thread_by_name(m.holder_name, m.line);
      if (holder != kNone) out_.add_hold({m.resource, holder, Evidence::kDeclared, kNone});
    }
    declared_.clear();
  }

  void read_deadlock_section(const JvmLine& tok, std::string_view line) {
    switch (tok.kind) {
      case Kind::kDeadlockStart:
        start_declared_cycle();
        return;
      case Kind::kDeadlockStacks:
        finish_declared_cycle();
        in_deadlock_stacks_ = true;
        return;
      case Kind::kDeadlockEnd:
        finish_declared_cycle();
        in_deadlock_section_ = false;
        out_.snapshot().runtime_checked_deadlocks = true;
        return;
      case Kind::kDumpHeader:
        // A SIGQUIT output with several dumps: the section ended without its closing line.
        finish_declared_cycle();
        in_deadlock_section_ = false;
        next_dump();
        saw_dump_header_ = true;
        set_runtime(tok.text);
        return;
      case Kind::kDeadlockThread:
        if (in_deadlock_stacks_) return;  // the repeated stacks carry nothing new
        declared_.push_back({std::string(tok.text), {}, kNone, kNone, line_});
        return;
      default:
        break;
    }
    if (in_deadlock_stacks_ || declared_.empty()) return;
    read_declared_edge(line);
  }

  // The lines under each member. They are rare and vary across JDKs ("in JNI, which is held by",
  // "UNKNOWN_owner_addr="), so a regex reads them more clearly than a scanner.
  void read_declared_edge(std::string_view line) {
    static const RE2 kMonitor(
        R"re(waiting to lock monitor 0x[0-9a-fA-F]+ \(object (0x[0-9a-fA-F]+), a (.*)\),?$)re");
    static const RE2 kSynchronizer(
        R"re(waiting for ownable synchronizer (0x[0-9a-fA-F]+), \(a (.*)\),?$)re");
    static const RE2 kHeldBy(R"re(which is held by "(.*)"$)re");
    DeclaredMember& m = declared_.back();
    std::string address, cls, holder;
    if (RE2::PartialMatch(line, kMonitor, &address, &cls)) {
      m.resource = out_.resource(ResourceKind::kMonitor, address, cls);
    } else if (RE2::PartialMatch(line, kSynchronizer, &address, &cls)) {
      m.resource = out_.resource(hotspot::kind_of_park_blocker(cls), address, cls);
    } else if (RE2::PartialMatch(line, kHeldBy, &holder)) {
      m.holder_name = holder;
      return;
    } else {
      return;
    }
    m.task = find_waiter(m.name, m.resource);
  }

  // The thread called `name` whose stack waits for `resource`; kNone if none does.
  TaskIndex find_waiter(const std::string& name, ResourceIndex resource) const {
    const Snapshot& s = out_.snapshot();
    for (const WaitEdge& w : s.waits) {
      if (w.resource == resource && s.str(s.tasks[w.task].name) == name) return w.task;
    }
    return kNone;
  }

  TaskIndex find_thread_by_name(const std::string& name, uint32_t line) {
    std::string at = fmt::format("{}:{}", in_.name, line);
    auto it = name_uses_.find(name);
    if (it == name_uses_.end()) {
      out_.warn(at, fmt::format("the JVM's deadlock report names thread \"{}\", which is not in "
                                "the dump",
                                name));
      return kNone;
    }
    if (it->second > 1) {
      out_.warn(at, fmt::format("the JVM's deadlock report names \"{}\", a name {} threads share, "
                                "and its lock does not tell which; the first was taken",
                                name, it->second));
    }
    return out_.find_task(name);
  }

  void finish(uint32_t last_line) {
    line_ = last_line;
    finish_dump(/*last=*/true);
  }

  // The state of one dump, reset where the next begins.
  void reset() {
    task_ = kNone;
    last_frame_ = kNone;
    pending_waits_.clear();
    pending_holds_.clear();
    released_.clear();
    release_next_lock_ = false;
    name_uses_.clear();
    saw_dump_header_ = false;
    saw_plain_header_ = false;
    saw_end_of_threads_ = false;
    in_ownable_list_ = false;
    in_deadlock_section_ = false;
    in_deadlock_stacks_ = false;
    first_of_name_.clear();
    declared_.clear();
  }

  // Ends the dump read so far at line_ (the end of the input, or the line before the next dump).
  void finish_dump(bool last) {
    Snapshot& s = out_.snapshot();
    if (in_deadlock_section_) {
      out_.warn(where(), fmt::format("{} ends inside the JVM's deadlock report: truncated; results "
                                     "are partial",
                                     last ? "input" : "dump"));
      out_.set_damaged();
    } else if (!saw_end_of_threads_ && !saw_plain_header_ && task_ != kNone) {
      out_.warn(where(), fmt::format("{} ends inside thread \"{}\" (started at line {}): "
                                     "truncated; results are partial",
                                     last ? "input" : "dump", s.str(out_.task(task_).name),
                                     out_.task(task_).input_line));
      out_.set_damaged();
    }
    finish_task();
    // The first thread of a repeated name was named before the repeat was seen: give it its
    // number too, so that no id reads as if it were the only thread of that name.
    for (const auto& [task, number] : first_of_name_) {
      std::string name(s.str(s.tasks[task].name));
      if (!name.empty() && name_uses_[name] > 1 && !number.empty()) {
        s.tasks[task].id = out_.intern(fmt::format("{} (#{})", name, number));
      }
    }
    if (!s.tasks.empty()) {
      ++dumps_with_threads_;
    } else if (last && dumps_with_threads_ == 0) {
      throw Error(
          saw_dump_header_
              ? fmt::format("{}:{}: thread dump ends before its first thread", in_.name, line_)
              : fmt::format("{}: no thread found: not a JVM thread dump", in_.name));
    } else {
      out_.warn(where(), "thread dump ends before its first thread");
      out_.set_damaged();
    }
  }

  const Input& in_;
  SnapshotBuilder& out_;
  uint32_t line_ = 0;
  TaskIndex task_ = kNone;
  uint32_t last_frame_ = kNone;
  std::vector<WaitEdge> pending_waits_;
  std::vector<HoldEdge> pending_holds_;
  std::vector<uint64_t> released_;  // monitors this task released by Object.wait()
  bool release_next_lock_ = false;  // Object.wait() on an object HotSpot could not print
  std::unordered_map<std::string, int> name_uses_;
  bool saw_dump_header_ = false;
  bool saw_plain_header_ = false;
  std::array<std::string_view, 3> first_lines_{};
  bool saw_end_of_threads_ = false;
  bool in_ownable_list_ = false;
  bool in_deadlock_section_ = false;
  bool in_deadlock_stacks_ = false;
  std::vector<std::pair<TaskIndex, std::string>> first_of_name_;  // and its thread number
  std::vector<DeclaredMember> declared_;                          // members of the cycle being read
  std::string_view previous_line_;
  int dumps_with_threads_ = 0;
};

class JvmThreadDumpParser : public Parser {
 public:
  std::string_view name() const override { return "jvm"; }
  std::string_view description() const override {
    return "HotSpot thread dump: jstack [-l], jcmd Thread.print [-l], kill -3 (JDK 8-21)";
  }

  int probe(std::string_view prefix) const override {
    if (prefix.find("\nFull thread dump ") != std::string_view::npos ||
        starts_with(prefix, "Full thread dump ")) {
      return 100;
    }
    // jcmd Thread.dump_to_file: "<pid>" on the first line, then "#<tid> \"name\"" headers.
    if (!prefix.empty() && prefix[0] >= '0' && prefix[0] <= '9') {
      LineReader lines(prefix);
      std::string_view line;
      lines.next(line);
      if (line.find_first_not_of("0123456789") == std::string_view::npos) {
        while (lines.next(line)) {
          if (tokenize_jvm_line(line).kind == Kind::kPlainThreadHeader) return 90;
        }
      }
    }
    // A dump cut from its header: thread headers followed by their state lines.
    LineReader lines(prefix);
    std::string_view line;
    int headers = 0;
    while (lines.next(line)) {
      JvmLine tok = tokenize_jvm_line(line);
      if (tok.kind == Kind::kThreadHeader) ++headers;
      if (tok.kind == Kind::kThreadState && headers > 0) return 80;
    }
    return headers > 0 ? 40 : 0;
  }

  void parse(const Input& input, const ParseOptions& /*options*/,
             SnapshotBuilder& out) const override {
    JvmDumpReader(input, out).run();
  }
};

}  // namespace

std::unique_ptr<Parser> make_jvm_thread_dump_parser() {
  return std::make_unique<JvmThreadDumpParser>();
}

}  // namespace dla
