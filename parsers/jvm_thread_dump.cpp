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
#include "parsers/jvm_deadlock_report.h"
#include "parsers/line_reader.h"

namespace dla {

namespace {

using Kind = JvmLine::Kind;

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
        read_deadlock_section(tok);
      } else {
        read_thread_line(tok);
      }
      previous_line_ = line;
      previous_blank_ = tok.kind == Kind::kBlank;
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
    if (tok.kind != Kind::kDeadlockThread && tok.kind != Kind::kDeadlockMonitor &&
        tok.kind != Kind::kDeadlockSynchronizer) {
      pending_entry_line_ = 0;
    }
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
      case Kind::kHistogram:
        finish_task();
        saw_end_of_threads_ = true;  // what follows is the heap's classes, not threads
        break;
      case Kind::kDeadlockStart:
        in_deadlock_section_ = true;
        read_deadlock_section(tok);
        break;
      case Kind::kDeadlockThread:
        pending_entry_ = tok.text;
        pending_entry_line_ = line_;
        break;
      case Kind::kDeadlockMonitor:
      case Kind::kDeadlockSynchronizer:
        if (pending_entry_line_ != 0) {
          // A report entry without the report's heading: read it as a report of its own.
          finish_task();
          in_deadlock_section_ = true;
          reports_.push_back({pending_entry_line_, {}});
          reports_.back().entries.push_back(
              {std::string(pending_entry_), pending_entry_line_, {}, {}, false, {}, false});
          pending_entry_line_ = 0;
          read_deadlock_section(tok);
        }
        break;
      default:
        break;
    }
  }

  void set_runtime(std::string_view text) {
    // "OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):"
    // The version is the parenthesis that starts with a digit: "Java HotSpot(TM) Client VM
    // (1.5.0_13-b05 mixed mode):" has another before it.
    size_t version_open = text.find('(');
    for (size_t p = version_open; p != std::string_view::npos; p = text.find('(', p + 1)) {
      if (p + 1 < text.size() && text[p + 1] >= '0' && text[p + 1] <= '9') {
        version_open = p;
        break;
      }
    }
    std::string_view vm = trim(text.substr(0, version_open));
    std::string_view version;
    if (size_t open = version_open; open != std::string_view::npos) {
      version = text.substr(open + 1);
      version = version.substr(0, version.find_first_of(" )"));
    }
    out_.snapshot().runtime = version.empty() ? std::string(vm) : fmt::format("{} {}", vm, version);
    // "Java HotSpot(TM) 64-Bit Server VM (1.5.0_13-b05 mixed mode)", "… VM 1.5.0.11 …" (HP-UX)
    static const RE2 kBeforeJdk6(R"re(\b1\.[2-5]\.\d)re");
    pre_jdk6_ = RE2::PartialMatch(text, kBeforeJdk6);
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
    uint32_t end = t.first_frame + t.frame_count;
    if (uint32_t f = hotspot::first_program_frame(s, t.first_frame, end); f != end) {
      t.app_frame = f - t.first_frame;
    }
    for (WaitEdge& w : pending_waits_) {
      if (uint32_t f = hotspot::first_program_frame(s, w.frame, end); f != end) w.app_frame = f;
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
  // Read into DeadlockEntry lists (jvm_deadlock_report.h) and tied to threads when the dump ends:
  // a member is identified by the lock it waits for (names need not be unique), a holder by name.
  // A report pasted without its thread list, or naming threads a partial dump lacks, gives those
  // threads from the report itself, with the report's stack part as their frames.

  struct Report {
    uint32_t line = 0;
    std::vector<DeadlockEntry> entries;
  };

  void read_deadlock_section(const JvmLine& tok) {
    if (tok.kind != Kind::kDeadlockStart && reports_.empty()) return;  // not reachable: a start
    switch (tok.kind) {
      case Kind::kDeadlockStart:
        finish_task();
        reports_.push_back({line_, {}});
        in_deadlock_stacks_ = false;
        return;
      case Kind::kDeadlockStacks:
        finish_task();
        in_deadlock_stacks_ = true;
        return;
      case Kind::kDeadlockEnd:
        finish_task();
        in_deadlock_section_ = false;
        out_.snapshot().runtime_checked_deadlocks = true;
        return;
      case Kind::kDumpHeader:
      case Kind::kThreadHeader:
      case Kind::kPlainThreadHeader:
      case Kind::kEndOfThreads:
      case Kind::kHistogram:
        // The section ended without its closing line (a SIGQUIT output with several dumps, a
        // paste that put the report first).
        finish_task();
        in_deadlock_section_ = false;
        read_thread_line(tok);
        return;
      case Kind::kDeadlockThread:
        if (in_deadlock_stacks_) {
          begin_report_stack(tok.text);
        } else {
          reports_.back().entries.push_back(
              {std::string(tok.text), line_, {}, {}, false, {}, false});
        }
        return;
      case Kind::kDeadlockMonitor:
      case Kind::kDeadlockSynchronizer:
        if (!in_deadlock_stacks_ && !reports_.back().entries.empty()) {
          DeadlockEntry& e = reports_.back().entries.back();
          e.address = std::string(tok.address);
          e.type = std::string(tok.detail);
          e.synchronizer = tok.kind == Kind::kDeadlockSynchronizer;
        }
        return;
      case Kind::kDeadlockHeldBy:
        if (!in_deadlock_stacks_ && !reports_.back().entries.empty()) {
          reports_.back().entries.back().holder = std::string(tok.text);
          reports_.back().entries.back().held_by_read = true;
        }
        return;
      case Kind::kFrame:
        if (in_deadlock_stacks_) add_frame(tok);
        return;
      case Kind::kLockLine:
        if (in_deadlock_stacks_) add_lock_line(tok);
        return;
      default:
        return;
    }
  }

  // A member's stack in the report's "Java stack information" part. A thread the thread list
  // showed already has its stack; one the dump lacks gets its frames from here.
  void begin_report_stack(std::string_view name) {
    finish_task();
    std::string key(name);
    if (name_uses_.count(key) > 0 || report_tasks_.count(key) > 0) return;  // task_ stays kNone
    task_ = begin_reported_task(key, line_);
  }

  TaskIndex begin_reported_task(const std::string& name, uint32_t line) {
    TaskIndex t = out_.begin_task(name, line);
    out_.task(t).name = out_.intern(name);
    report_tasks_.emplace(name, t);
    reported_only_.push_back(name);
    return t;
  }

  // The thread the report calls `name`: from the thread list, else the one made from the report.
  TaskIndex task_named(const std::string& name, uint32_t line) {
    if (auto it = name_uses_.find(name); it != name_uses_.end()) {
      if (it->second > 1) {
        out_.warn(fmt::format("{}:{}", in_.name, line),
                  fmt::format("the JVM's deadlock report names \"{}\", a name {} threads share, "
                              "and its lock does not tell which; the first was taken",
                              name, it->second));
      }
      return out_.find_task(name);
    }
    if (auto it = report_tasks_.find(name); it != report_tasks_.end()) return it->second;
    return begin_reported_task(name, line);
  }

  // The thread called `name` whose stack waits for `resource`; kNone if none does.
  TaskIndex find_waiter(const std::string& name, ResourceIndex resource) const {
    const Snapshot& s = out_.snapshot();
    for (const WaitEdge& w : s.waits) {
      if (w.resource == resource && s.str(s.tasks[w.task].name) == name) return w.task;
    }
    return kNone;
  }

  bool waits_for(TaskIndex task, ResourceIndex resource) const {
    for (const WaitEdge& w : out_.snapshot().waits) {
      if (w.task == task && w.resource == resource) return true;
    }
    return false;
  }

  // Every report of the dump, tied to its threads: waits the stacks did not show and holds, both
  // `declared`, and the cycle each report proves.
  void resolve_reports() {
    for (const Report& report : reports_) {
      const std::vector<DeadlockEntry>& entries = report.entries;
      std::vector<TaskIndex> task_of(entries.size(), kNone);
      std::vector<ResourceIndex> resource_of(entries.size(), kNone);
      for (size_t i = 0; i < entries.size(); ++i) {
        const DeadlockEntry& e = entries[i];
        if (!e.address.empty()) {
          ResourceKind kind =
              e.synchronizer ? hotspot::kind_of_park_blocker(e.type) : ResourceKind::kMonitor;
          resource_of[i] = out_.resource(kind, e.address, e.type);
          task_of[i] = find_waiter(e.name, resource_of[i]);
        }
        if (task_of[i] == kNone) task_of[i] = task_named(e.name, e.line);
        if (resource_of[i] != kNone && !waits_for(task_of[i], resource_of[i])) {
          const Task& t = out_.task(task_of[i]);
          WaitEdge w{task_of[i], resource_of[i], Evidence::kDeclared, kNone, kNone, kNoString};
          if (t.frame_count > 0) {
            w.frame = t.first_frame;
            if (t.app_frame != kNone) w.app_frame = t.first_frame + t.app_frame;
          }
          out_.add_wait(w);
        }
      }
      for (size_t i = 0; i < entries.size(); ++i) {
        const DeadlockEntry& e = entries[i];
        if (resource_of[i] == kNone || e.holder.empty()) continue;
        // The holder is the next member printed, unless the report names another: a name is
        // checked against the next entry first, as names may repeat.
        size_t next = (i + 1) % entries.size();
        TaskIndex holder =
            entries[next].name == e.holder ? task_of[next] : task_named(e.holder, e.line);
        out_.add_hold({resource_of[i], holder, Evidence::kDeclared, kNone});
      }
      std::vector<size_t> cycle = proven_cycle(entries);
      if (cycle.empty()) continue;
      DeclaredCycle declared{{}, fmt::format("{}:{}", in_.name, report.line)};
      for (size_t i : cycle) declared.members.push_back(task_of[i]);
      out_.snapshot().declared_cycles.push_back(std::move(declared));
    }
    if (reported_only_.empty()) return;
    std::string names;
    for (size_t i = 0; i < reported_only_.size() && i < 3; ++i) {
      names += fmt::format("{}\"{}\"", i ? ", " : "", reported_only_[i]);
    }
    if (reported_only_.size() > 3) names += ", …";
    size_t n = reported_only_.size();
    bool has_thread_list = out_.snapshot().tasks.size() > n;
    out_.warn(fmt::format("{}:{}", in_.name, reports_.front().line),
              has_thread_list
                  ? fmt::format("the JVM's deadlock report names {} thread{} this dump does not "
                                "list ({}): the dump is partial; {} read from the report",
                                n, n == 1 ? "" : "s", names, n == 1 ? "it is" : "they are")
                  : fmt::format("the JVM's deadlock report without the thread dump around it: "
                                "its {} thread{} ({}) {} read from the report, and threads "
                                "outside it are not visible",
                                n, n == 1 ? "" : "s", names, n == 1 ? "is" : "are"));
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
    reports_.clear();
    report_tasks_.clear();
    reported_only_.clear();
    pending_entry_line_ = 0;
    previous_blank_ = false;
    pre_jdk6_ = false;
  }

  // Whether the dump read so far ends where the JVM ended it, or was cut. HotSpot ends a thread
  // list with "JNI global refs" (JDK 6 and later) and the deadlock report with "Found N
  // deadlocks."; a class histogram after the threads ends it too. JDK 5 printed no end line: a
  // thread list closed by a blank line is whole. A paste that stops after a whole report entry
  // or a whole stack (a blank line after it) is taken as whole: pasters leave the closing lines
  // out, and nothing is missing from what they pasted.
  void check_cut(bool last) {
    Snapshot& s = out_.snapshot();
    const char* what = last ? "input" : "dump";
    if (in_deadlock_section_) {
      if (!in_deadlock_stacks_ && !reports_.back().entries.empty() &&
          !reports_.back().entries.back().held_by_read) {
        out_.warn(where(), fmt::format("{} ends inside the JVM's deadlock report, in the entry of "
                                       "\"{}\": truncated; results are partial",
                                       what, reports_.back().entries.back().name));
        out_.set_damaged();
      } else if (in_deadlock_stacks_ && task_ != kNone && !previous_blank_) {
        out_.warn(where(), fmt::format("{} ends inside the stack of \"{}\" in the JVM's deadlock "
                                       "report: truncated; results are partial",
                                       what, s.str(out_.task(task_).name)));
        out_.set_damaged();
      }
      return;
    }
    if (saw_end_of_threads_ || saw_plain_header_ || task_ == kNone) return;
    if (previous_blank_ && pre_jdk6_) return;
    out_.warn(where(),
              fmt::format("{} ends inside thread \"{}\" (started at line {}): "
                          "truncated; results are partial",
                          what, s.str(out_.task(task_).name), out_.task(task_).input_line));
    out_.set_damaged();
  }

  // Ends the dump read so far at line_ (the end of the input, or the line before the next dump).
  void finish_dump(bool last) {
    Snapshot& s = out_.snapshot();
    check_cut(last);
    finish_task();
    resolve_reports();
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
  std::vector<Report> reports_;                                   // the dump's deadlock reports
  std::unordered_map<std::string, TaskIndex> report_tasks_;       // threads only a report shows
  std::vector<std::string> reported_only_;                        // their names, in order
  // A report entry's first line with no report around it (a paste that left out "Found one
  // Java-level deadlock:"): an entry if a "waiting to lock" line follows.
  std::string_view pending_entry_;
  uint32_t pending_entry_line_ = 0;  // 0: none pending
  bool previous_blank_ = false;      // the line before the current one was blank
  bool pre_jdk6_ = false;            // JDK 1.5 and older print no "JNI global references" line
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
    // A dump cut from its header: thread headers followed by their state lines. HotSpot's
    // deadlock report alone (the most pasted Java deadlock), or one entry of it; below the
    // Serviceability Agent's dumps, which print the same report after "Deadlock Detection:".
    LineReader lines(prefix);
    std::string_view line;
    int headers = 0, best = 0;
    Kind previous = Kind::kBlank;
    while (lines.next(line)) {
      JvmLine tok = tokenize_jvm_line(line);
      if (tok.kind == Kind::kThreadHeader) ++headers;
      if (tok.kind == Kind::kThreadState && headers > 0) return 80;
      if (tok.kind == Kind::kDeadlockStart) best = std::max(best, 75);
      if (previous == Kind::kDeadlockThread &&
          (tok.kind == Kind::kDeadlockMonitor || tok.kind == Kind::kDeadlockSynchronizer)) {
        best = std::max(best, 70);
      }
      previous = tok.kind;
    }
    return std::max(best, headers > 0 ? 40 : 0);
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
