#include "parsers/jvm_sa_dump.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "graph/resolve_hotspot.h"
#include "parsers/line_reader.h"

namespace dla {

namespace {

using Kind = SaLine::Kind;

// The SA prints class names as the VM's symbols, with '/' ("java/util/concurrent/locks/…") in its
// deadlock report, park blockers and ownable synchronizers, and with '.' in its lock lines. One
// spelling, jstack's, keeps them one resource type and lets the tables match.
std::string dotted(std::string_view class_name) {
  std::string out(class_name);
  std::replace(out.begin(), out.end(), '/', '.');
  return out;
}

// Builds the model from the token stream. One instance per parse.
class SaDumpReader {
 public:
  SaDumpReader(const Input& input, SnapshotBuilder& out) : in_(input), out_(out) {}

  void run() {
    start_dump();
    LineReader lines(in_.bytes);
    std::string_view line;
    while (lines.next(line)) {
      line_ = lines.line_number();
      SaLine tok = tokenize_sa_line(line);
      if (in_deadlock_section_) {
        read_deadlock_line(tok);
      } else {
        read_thread_line(tok);
      }
      last_blank_ = tok.kind == Kind::kBlank;
    }
    finish_dump(/*last=*/true);
  }

 private:
  std::string where() const { return fmt::format("{}:{}", in_.name, line_); }
  std::string where(uint32_t line) const { return fmt::format("{}:{}", in_.name, line); }

  void start_dump() {
    Snapshot& s = out_.snapshot();
    s.task_noun = "thread";
    s.family = RuntimeFamily::kJvm;
  }

  // Another "Attaching to …" (two SA runs appended to one file): the dump read so far is
  // complete; the next one is a snapshot of its own.
  void next_dump() {
    uint32_t here = line_;
    line_ = here - 1;
    finish_dump(/*last=*/false);
    line_ = here;
    out_.next_snapshot(here);
    reset();
    start_dump();
  }

  // The state of one dump, reset where the next begins.
  void reset() {
    finish_task();
    saw_ownable_list_ = false;
    in_deadlock_section_ = false;
    saw_deadlock_total_ = false;
    saw_sa_lines_ = false;
    attach_error_.clear();
    jdk8_ = false;
    mixed_ = false;
    name_uses_.clear();
    named_members_.clear();
    first_of_name_.clear();
    declared_.clear();
    blocked_top_holds_.clear();
  }

  // --- Threads -----------------------------------------------------------------------------------

  void read_thread_line(const SaLine& tok) {
    switch (tok.kind) {
      case Kind::kAttaching:
      case Kind::kDeadlockDetection:
        if (!out_.snapshot().tasks.empty() || saw_deadlock_total_) next_dump();
        saw_sa_lines_ = true;
        if (tok.kind == Kind::kDeadlockDetection) in_deadlock_section_ = true;
        break;
      case Kind::kAttachError:
        saw_sa_lines_ = true;
        attach_error_ = std::string(tok.text);
        break;
      case Kind::kJvmVersion:
        saw_sa_lines_ = true;
        out_.snapshot().runtime = fmt::format("HotSpot JVM {}", tok.text);
        break;
      case Kind::kThreadHeader:
        begin_task(tok.header);
        break;
      case Kind::kJdk8ThreadHeader:
        begin_jdk8_task(tok);
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
        saw_ownable_list_ = true;
        if (task_ != kNone) task_has_ownable_list_ = true;
        break;
      case Kind::kOwnable:
        add_ownable(tok);
        break;
      case Kind::kMixedModeThread:
        finish_task();
        if (!mixed_) {
          mixed_ = true;
          out_.snapshot().records_locks = false;
          out_.warn(where(),
                    "jhsdb jstack --mixed output: native frames by LWP and no lock lines; "
                    "its Java frames are not read, only the SA's deadlock report: take jhsdb "
                    "jstack --locks (without --mixed) for the Java frames and locks");
        }
        break;
      case Kind::kStackWalkError:
        if (task_ != kNone) {
          out_.warn(where(), fmt::format("the Serviceability Agent could not read all of thread "
                                         "\"{}\" ({}): its stack or locks are partial",
                                         out_.snapshot().str(out_.task(task_).name), tok.text));
          out_.set_damaged();
        }
        break;
      default:
        break;
    }
  }

  void begin_task(const JvmThreadHeader& h) {
    finish_task();
    // Thread names need not be unique; the id must be. A repeated name gets the thread number,
    // as in a jstack dump of the same process.
    std::string id(h.name);
    if (++name_uses_[id] > 1) {
      id = h.number.empty() ? fmt::format("{} ({})", h.name, name_uses_[id])
                            : fmt::format("{} (#{})", h.name, h.number);
    }
    task_ = out_.begin_task(id, line_);
    if (name_uses_[std::string(h.name)] == 1) {
      first_of_name_.push_back({task_, std::string(h.number)});
    }
    Task& t = out_.task(task_);
    t.name = out_.intern(h.name);
    t.lwp = h.nid;
    t.state = out_.intern(h.os_state);  // replaced by java.lang.Thread.State when printed
  }

  // JDK 8 names a thread by its LWP only.
  void begin_jdk8_task(const SaLine& tok) {
    finish_task();
    jdk8_ = true;
    out_.snapshot().records_locks = false;  // JDK 8's SA prints no lock lines under the frames
    task_ = out_.begin_task(std::to_string(tok.number), line_);
    Task& t = out_.task(task_);
    t.lwp = tok.number;
    t.state = out_.intern(tok.text);  // the VM's state (BLOCKED = _thread_blocked), not Java's
  }

  void add_frame(const SaLine& tok) {
    if (task_ == kNone || in_ownable_list_) return;
    Frame f;
    f.function = out_.intern(tok.text);
    f.line = static_cast<int32_t>(tok.number);
    last_frame_ = out_.add_frame(f);
    if (frames_ == 0) top_interpreted_ = tok.interpreted;
    ++frames_;
  }

  void add_lock_line(const SaLine& tok) {
    if (task_ == kNone || frames_ == 0) return;
    const hotspot::LockLineRule* rule = hotspot::find_lock_line_rule(tok.text);
    if (rule == nullptr) {
      out_.warn(where(), fmt::format("unknown lock line '- {}' ignored", tok.text));
      return;
    }
    bool top = frames_ == 1;
    if (rule->role == hotspot::LockRole::kWaitsNotify && tok.address.empty()) {
      // "waiting on <no object reference available>": the monitor wait() released is the one
      // the caller entered, the next "- locked" line.
      release_next_lock_ = true;
      if (top) top_waits_ = true;
      return;
    }
    if (rule->role == hotspot::LockRole::kNothing || tok.address.empty()) return;
    std::string cls = dotted(tok.detail);
    ResourceKind kind =
        rule->kind == ResourceKind::kUnknown ? hotspot::kind_of_park_blocker(cls) : rule->kind;
    ResourceIndex r = out_.resource(kind, tok.address, cls);
    uint64_t address = out_.snapshot().resources[r].address_value;
    switch (rule->role) {
      case hotspot::LockRole::kHolds:
        if (release_next_lock_) {
          release_next_lock_ = false;
          released_.push_back(address);
        } else if (top) {
          top_locked_.push_back(r);  // a hold, or the monitor being entered: see finish_task
        } else {
          pending_holds_.push_back({r, task_, Evidence::kLockRecord, last_frame_});
        }
        break;
      case hotspot::LockRole::kRelocks:
        released_.push_back(address);
        if (top) top_waits_ = true;
        if (blocked_on_monitor()) add_pending_wait(r, Evidence::kLockRecord);
        break;
      case hotspot::LockRole::kWaitsNotify:
        released_.push_back(address);
        [[fallthrough]];
      case hotspot::LockRole::kWaits:
        if (top) top_waits_ = true;
        add_pending_wait(r, Evidence::kLockRecord);
        break;
      case hotspot::LockRole::kNothing:
        break;
    }
  }

  void add_ownable(const SaLine& tok) {
    if (task_ == kNone || !in_ownable_list_ || tok.address.empty()) return;
    std::string cls = dotted(tok.detail);
    ResourceIndex r = out_.resource(hotspot::kind_of_park_blocker(cls), tok.address, cls);
    out_.add_hold({r, task_, Evidence::kLockRecord, kNone});
  }

  bool blocked_on_monitor() const {
    return task_ != kNone &&
           starts_with(out_.snapshot().str(out_.task(task_).state), "BLOCKED (on object monitor)");
  }

  void add_pending_wait(ResourceIndex r, Evidence evidence) {
    pending_waits_.push_back({task_, r, evidence, last_frame_, kNone, kNoString});
  }

  // The SA lists the monitors of the top frame with the one being entered among them, and calls
  // it "locked" whenever it is not the first printed: JavaVFrame.printLockInfo checks only the
  // first monitor it prints ("waiting to lock" when the thread is not its owner), and for an
  // interpreted frame InterpretedVFrame.getMonitors lists the newest monitor first, which
  // printLockInfo, walking the list backwards, prints last. So in a thread BLOCKED on a monitor
  // whose interpreted top frame lists two or more monitors and no wait, the last one is the
  // monitor being entered, never a hold. (A compiled frame lists the newest first and so prints
  // "waiting to lock" for it; so does a frame with one monitor.)
  std::optional<size_t> monitor_being_entered() const {
    if (!blocked_on_monitor() || top_waits_ || !top_interpreted_ || top_locked_.size() < 2) {
      return std::nullopt;
    }
    return top_locked_.size() - 1;
  }

  // Ends the current task: its waits get their application frame now that all frames are known.
  void finish_task() {
    if (task_ == kNone) return;
    std::optional<size_t> entered = monitor_being_entered();
    uint32_t top = out_.task(task_).first_frame;
    for (size_t i = 0; i < top_locked_.size(); ++i) {
      if (entered && i == *entered) {
        pending_waits_.push_back(
            {task_, top_locked_[i], Evidence::kLockRecord, top, kNone, kNoString});
      } else if (blocked_on_monitor()) {
        // Whether it holds it depends on whether another thread does: see settle_blocked_holds.
        blocked_top_holds_.push_back({top_locked_[i], task_, Evidence::kLockRecord, top});
      } else {
        pending_holds_.push_back({top_locked_[i], task_, Evidence::kLockRecord, top});
      }
    }
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
    // Object.wait() released its monitor, but the SA, like HotSpot, still prints "- locked" for
    // it under the frame that entered it: that line is not a hold.
    for (const HoldEdge& h : pending_holds_) {
      uint64_t address = s.resources[h.resource].address_value;
      if (std::find(released_.begin(), released_.end(), address) == released_.end()) {
        out_.add_hold(h);
      }
    }
    pending_waits_.clear();
    pending_holds_.clear();
    released_.clear();
    top_locked_.clear();
    release_next_lock_ = false;
    top_waits_ = false;
    top_interpreted_ = false;
    frames_ = 0;
    task_ = kNone;
    last_frame_ = kNone;
    in_ownable_list_ = false;
    task_has_ownable_list_ = false;
  }

  // --- The deadlock report, printed before the threads -----------------------------------------
  //
  // DeadlockDetector.printOneDeadlock prints each member of a cycle as
  //   "worker-a":
  //     waiting to lock Monitor@0x00007f… (Object@0x00000000ffd1a7b0, a MonitorCycle$Ledger),
  //     which is held by "worker-b"
  // or, for a java.util.concurrent lock, with one space of indent,
  //    waiting for ownable synchronizer 0x…, (a java/util/concurrent/locks/ReentrantLock$…),
  //    which is held by "worker-a"
  // where the holder is always the next member printed (the last member's holder is the first).
  // Members are named only by thread name, which need not be unique (and which JDK 8's stacks do
  // not print at all), so they are tied to threads once every thread has been read: by the lock
  // each waits for, then by name.

  struct DeclaredMember {
    std::string name;
    std::string holder_name;
    ResourceIndex resource = kNone;
    uint32_t line = 0;
    TaskIndex task = kNone;
  };
  struct DeclaredCycleText {
    std::vector<DeclaredMember> members;
    uint32_t line = 0;
  };

  void read_deadlock_line(const SaLine& tok) {
    switch (tok.kind) {
      case Kind::kDeadlockStart:
        declared_.push_back({{}, line_});
        return;
      case Kind::kDeadlockThread:
        if (!declared_.empty()) declared_.back().members.push_back({std::string(tok.text), {}});
        if (!declared_.empty()) declared_.back().members.back().line = line_;
        return;
      case Kind::kDeadlockMonitor:
      case Kind::kDeadlockSynchronizer:
        if (DeclaredMember* m = current_member()) m->resource = declared_resource(tok);
        return;
      case Kind::kDeadlockHeldBy:
        if (DeclaredMember* m = current_member()) m->holder_name = std::string(tok.text);
        return;
      case Kind::kDeadlockTotal:
        in_deadlock_section_ = false;
        saw_deadlock_total_ = true;
        out_.snapshot().runtime_checked_deadlocks = true;
        return;
      case Kind::kDeadlockUnavailable:
        in_deadlock_section_ = false;
        out_.warn(where(), "the Serviceability Agent could not run its deadlock detection");
        return;
      case Kind::kThreadHeader:
      case Kind::kJdk8ThreadHeader:
        // The report ended without its total: what it said so far still counts.
        in_deadlock_section_ = false;
        out_.warn(where(), "the Serviceability Agent's deadlock report ends without its total");
        read_thread_line(tok);
        return;
      default:
        return;
    }
  }

  DeclaredMember* current_member() {
    if (declared_.empty() || declared_.back().members.empty()) return nullptr;
    return &declared_.back().members.back();
  }

  ResourceIndex declared_resource(const SaLine& tok) {
    std::string cls = dotted(tok.detail);
    if (tok.kind == Kind::kDeadlockSynchronizer) {
      if (tok.address.empty()) return kNone;
      return out_.resource(hotspot::kind_of_park_blocker(cls), tok.address, cls);
    }
    // A raw monitor (a JVM-internal lock without a Java object) is known by its own address.
    if (tok.address.empty()) return out_.resource(ResourceKind::kMonitor, tok.text, "raw monitor");
    return out_.resource(ResourceKind::kMonitor, tok.address, cls);
  }

  // The thread called `name` that waits for `resource`, or kNone.
  TaskIndex find_waiter(const std::string& name, ResourceIndex resource) const {
    const Snapshot& s = out_.snapshot();
    for (const WaitEdge& w : s.waits) {
      if (w.resource == resource && s.str(s.tasks[w.task].name) == name) return w.task;
    }
    return kNone;
  }

  // The only thread called `name`; kNone (with a warning) when there is none or several: a name
  // several threads share does not tell which one the report means, and none is guessed.
  TaskIndex find_thread_by_name(const std::string& name, uint32_t line) {
    auto it = name_uses_.find(name);
    if (it == name_uses_.end()) {
      out_.warn(where(line), fmt::format("the Serviceability Agent's deadlock report names "
                                         "thread \"{}\", which is not in the dump",
                                         name));
      return kNone;
    }
    if (it->second > 1) {
      out_.warn(where(line), fmt::format("the Serviceability Agent's deadlock report names \"{}\", "
                                         "a name {} threads share, and its lock does not tell "
                                         "which: that edge of the report is left out",
                                         name, it->second));
      return kNone;
    }
    return out_.find_task(name);
  }

  // JDK 8 prints stacks by LWP and the deadlock report by name, with nothing that ties the two:
  // each member becomes a thread of its own, known by name, without a stack.
  TaskIndex add_named_member(const DeclaredMember& m) {
    std::string id = m.name;
    if (++named_members_[m.name] > 1) id = fmt::format("{} ({})", m.name, named_members_[m.name]);
    TaskIndex t = out_.begin_task(id, m.line);
    out_.task(t).name = out_.intern(m.name);
    return t;
  }

  // JDK 8 with -l: a member's lock that exactly one thread lists among its ownable synchronizers
  // is held by that thread, which the report names as the next member: the name is that LWP's.
  void tie_jdk8_members_by_ownable_synchronizers() {
    const Snapshot& s = out_.snapshot();
    for (DeclaredCycleText& c : declared_) {
      for (size_t i = 0; i < c.members.size(); ++i) {
        const DeclaredMember& m = c.members[i];
        DeclaredMember& next = c.members[(i + 1) % c.members.size()];
        if (m.resource == kNone || next.name != m.holder_name || next.task != kNone) continue;
        TaskIndex holder = kNone;
        int holders = 0;
        for (const HoldEdge& h : s.holds) {
          if (h.resource == m.resource && h.evidence == Evidence::kLockRecord) {
            holder = h.task;
            ++holders;
          }
        }
        if (holders != 1 || out_.task(holder).name != kNoString) continue;
        next.task = holder;
        out_.task(holder).name = out_.intern(next.name);
      }
    }
  }

  void resolve_declared_cycles() {
    if (declared_.empty()) return;
    if (jdk8_) {
      tie_jdk8_members_by_ownable_synchronizers();
      bool untied = false;
      for (const DeclaredCycleText& c : declared_) {
        for (const DeclaredMember& m : c.members) untied |= m.task == kNone;
      }
      if (untied) {
        out_.warn(where(declared_.front().line),
                  "JDK 8's jstack -F names the deadlocked threads only in its deadlock report and "
                  "prints the stacks by LWP, without names: the members it does not tie to a "
                  "stack are shown as threads of their own, by name, without stacks (-l ties "
                  "the holders of java.util.concurrent locks)");
      }
    }
    for (DeclaredCycleText& c : declared_) {
      for (DeclaredMember& m : c.members) {
        if (m.task == kNone && m.resource != kNone) m.task = find_waiter(m.name, m.resource);
        if (m.resource == kNone || find_waiter(m.name, m.resource) != kNone) continue;
        // The report says this thread waits for the lock and its stack did not show it (JDK 8
        // prints no lock lines): the runtime's word is the wait, given to the thread of that name
        // when the name tells which one it is.
        if (m.task == kNone)
          m.task = jdk8_ ? add_named_member(m) : find_thread_by_name(m.name, m.line);
        if (m.task != kNone) {
          const Task& t = out_.task(m.task);
          uint32_t frame = t.frame_count > 0 ? t.first_frame : kNone;
          out_.add_wait({m.task, m.resource, Evidence::kDeclared, frame,
                         t.app_frame == kNone ? kNone : t.first_frame + t.app_frame, kNoString});
        }
      }
      DeclaredCycle cycle{{}, where(c.line)};
      for (size_t i = 0; i < c.members.size(); ++i) {
        const DeclaredMember& m = c.members[i];
        if (m.task != kNone) cycle.members.push_back(m.task);
        const DeclaredMember& next = c.members[(i + 1) % c.members.size()];
        if (m.resource == kNone || m.holder_name.empty()) continue;
        TaskIndex holder = next.name == m.holder_name && next.task != kNone
                               ? next.task
                               : find_thread_by_name(m.holder_name, m.line);
        if (holder != kNone) out_.add_hold({m.resource, holder, Evidence::kDeclared, kNone});
      }
      out_.snapshot().declared_cycles.push_back(std::move(cycle));
    }
  }

  // A monitor has one owner. Two threads printing "- locked" for the same one means the SA
  // listed a monitor being entered among the locked ones in a way the rule above did not catch.
  void check_monitor_owners() {
    const Snapshot& s = out_.snapshot();
    std::unordered_map<ResourceIndex, std::vector<TaskIndex>> owners;
    for (const HoldEdge& h : s.holds) {
      if (h.evidence == Evidence::kLockRecord &&
          s.resources[h.resource].kind == ResourceKind::kMonitor) {
        owners[h.resource].push_back(h.task);
      }
    }
    for (const auto& [r, tasks] : owners) {
      if (tasks.size() < 2) continue;
      out_.warn(in_.name,
                fmt::format("monitor {} is printed as locked by {} threads (\"{}\", \"{}\"…): the "
                            "Serviceability Agent lists a monitor being entered among the locked "
                            "ones; its holder is uncertain",
                            s.str(s.resources[r].address), tasks.size(),
                            s.str(s.tasks[tasks[0]].id), s.str(s.tasks[tasks[1]].id)));
    }
  }

  // Ends the dump read so far at line_ (the end of the input, or the line before the next dump).
  void finish_dump(bool last) {
    Snapshot& s = out_.snapshot();
    if (in_deadlock_section_) {
      out_.warn(where(), fmt::format("{} ends inside the Serviceability Agent's deadlock report: "
                                     "truncated; results are partial",
                                     last ? "input" : "dump"));
      out_.set_damaged();
    } else if (task_ != kNone && !mixed_ &&
               (!last_blank_ || (saw_ownable_list_ && !task_has_ownable_list_))) {
      // The SA ends every thread with a blank line (after its ownable synchronizers, with
      // --locks); that is its normal ending, with no trailer.
      out_.warn(where(), fmt::format("{} ends inside thread \"{}\" (started at line {}): "
                                     "truncated; results are partial",
                                     last ? "input" : "dump", s.str(out_.task(task_).id),
                                     out_.task(task_).input_line));
      out_.set_damaged();
    }
    finish_task();
    for (const auto& [task, number] : first_of_name_) {
      std::string name(s.str(s.tasks[task].name));
      if (!name.empty() && name_uses_[name] > 1 && !number.empty()) {
        s.tasks[task].id = out_.intern(fmt::format("{} (#{})", name, number));
      }
    }
    if (s.tasks.empty() && (!last || dumps_with_threads_ > 0)) {
      out_.warn(where(), "the Serviceability Agent's dump ends before its first thread");
      out_.set_damaged();
      return;
    }
    if (s.tasks.empty()) {
      if (!saw_sa_lines_) {
        throw Error(fmt::format("{}: no thread found: not a Serviceability Agent dump", in_.name));
      }
      if (!attach_error_.empty()) {
        throw Error(fmt::format("{}: the Serviceability Agent could not attach: {}", in_.name,
                                attach_error_));
      }
      throw Error(
          fmt::format("{}:{}: the Serviceability Agent's dump ends {}before its first "
                      "thread: truncated",
                      in_.name, line_, in_deadlock_section_ ? "inside its deadlock report, " : ""));
    }
    ++dumps_with_threads_;
    settle_blocked_holds();
    resolve_declared_cycles();
    check_monitor_owners();
  }

  // A monitor has one owner. A thread BLOCKED on a monitor that lists, in its top frame, a monitor
  // another thread's lock records hold cannot own it: it is the one it is entering (a listing the
  // printing-order rule did not catch, such as a compiled frame's). Its other top-frame monitors
  // are its holds.
  void settle_blocked_holds() {
    const Snapshot& s = out_.snapshot();
    std::unordered_map<ResourceIndex, TaskIndex> held_by;
    for (const HoldEdge& h : s.holds) {
      if (h.evidence == Evidence::kLockRecord) held_by.emplace(h.resource, h.task);
    }
    std::unordered_map<ResourceIndex, int> listers;
    for (const HoldEdge& h : blocked_top_holds_) ++listers[h.resource];
    std::unordered_set<ResourceIndex> unknown;
    for (const HoldEdge& h : blocked_top_holds_) {
      auto owner = held_by.find(h.resource);
      if (owner == held_by.end() && listers[h.resource] > 1) {
        // Several blocked threads list it and nobody else holds it: at most one of them owns
        // it, and nothing tells which; none is guessed.
        if (unknown.insert(h.resource).second) {
          out_.warn(in_.name,
                    fmt::format("monitor {} is listed as locked by {} threads BLOCKED "
                                "on monitors and by no other: its holder is unknown",
                                s.str(s.resources[h.resource].address), listers[h.resource]));
        }
        continue;
      }
      if (owner == held_by.end() || owner->second == h.task) {
        out_.add_hold(h);
        continue;
      }
      const Task& t = s.tasks[h.task];
      uint32_t app = t.app_frame == kNone ? kNone : t.first_frame + t.app_frame;
      out_.add_wait({h.task, h.resource, Evidence::kLockRecord, h.frame, app, kNoString});
      out_.warn(where(t.input_line),
                fmt::format("thread \"{}\" is BLOCKED on a monitor and lists {}, which \"{}\" "
                            "holds, as locked in its top frame: it is taken to be entering it",
                            s.str(t.id), s.str(s.resources[h.resource].address),
                            s.str(s.tasks[owner->second].id)));
    }
    blocked_top_holds_.clear();
  }

  const Input& in_;
  SnapshotBuilder& out_;
  uint32_t line_ = 0;
  TaskIndex task_ = kNone;
  uint32_t last_frame_ = kNone;
  uint32_t frames_ = 0;                    // frames of the current task so far
  bool top_interpreted_ = false;           // its top frame is "(Interpreted frame)"
  bool top_waits_ = false;                 // its top frame printed a wait
  std::vector<ResourceIndex> top_locked_;  // "- locked" lines of its top frame, in print order
  std::vector<WaitEdge> pending_waits_;
  std::vector<HoldEdge> pending_holds_;
  std::vector<HoldEdge> blocked_top_holds_;  // see settle_blocked_holds
  std::vector<uint64_t> released_;           // monitors this task released by Object.wait()
  bool release_next_lock_ = false;
  bool in_ownable_list_ = false;
  bool saw_ownable_list_ = false;       // --locks: every thread ends with its list
  bool task_has_ownable_list_ = false;  // the current thread's list has begun
  bool in_deadlock_section_ = false;
  bool saw_deadlock_total_ = false;
  bool saw_sa_lines_ = false;  // the SA's own preamble or report: the input is an SA dump
  std::string attach_error_;   // "Error attaching to …", when its stderr was captured too
  bool last_blank_ = false;
  bool jdk8_ = false;
  bool mixed_ = false;  // jhsdb jstack --mixed: threads end at the next LWP rule, not a blank
  std::unordered_map<std::string, int> name_uses_;
  std::unordered_map<std::string, int> named_members_;
  std::vector<std::pair<TaskIndex, std::string>> first_of_name_;  // and its thread number
  std::vector<DeclaredCycleText> declared_;
  int dumps_with_threads_ = 0;
};

class JvmSaDumpParser : public Parser {
 public:
  std::string_view name() const override { return "jvm-sa"; }
  std::string_view description() const override {
    return "HotSpot Serviceability Agent: jhsdb jstack [--locks] (--pid or --core), JDK 8 jstack "
           "-F";
  }

  // The SA's own lines: its attach messages, its deadlock report header, its frame lines. A jstack
  // dump has none of them (and the jvm parser claims thread headers with state lines at 80).
  int probe(std::string_view prefix) const override {
    LineReader lines(prefix);
    std::string_view line;
    int headers = 0;
    while (lines.next(line)) {
      SaLine tok = tokenize_sa_line(line);
      if (tok.kind == Kind::kDeadlockDetection) return 100;
      if (line == "Debugger attached successfully.") return 100;
      if (tok.kind == Kind::kThreadHeader || tok.kind == Kind::kJdk8ThreadHeader) ++headers;
      if (tok.kind == Kind::kFrame && headers > 0) return 95;
    }
    return 0;
  }

  void parse(const Input& input, const ParseOptions& /*options*/,
             SnapshotBuilder& out) const override {
    read_sa_dump(input, out);
  }
};

}  // namespace

void read_sa_dump(const Input& input, SnapshotBuilder& out) {
  SaDumpReader(input, out).run();
}

std::unique_ptr<Parser> make_jvm_sa_dump_parser() {
  return std::make_unique<JvmSaDumpParser>();
}

}  // namespace dla
