#include "parsers/openj9_javacore.h"

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "graph/diagnostics.h"
#include "graph/resolve_hotspot.h"
#include "parsers/line_reader.h"

namespace dla {

namespace {

// The tags dlanalyze reads, one row each (javadump.cpp writes them; the docs page shows each).
enum class Tag : uint8_t {
  kOther,
  kSection,        // "0SECTION       THREADS subcomponent dump routine"
  kJavaVersion,    // "1CIJAVAVERSION JRE 1.8.0 Windows 10 amd64-64 (build 8.0.6.15 - …)"
  kCurrentThread,  // "1XMCURTHDINFO  Current thread": the thread that wrote the dump
  kThreadDetails,  // "1XMTHDINFO     Thread Details": every thread
  kThread,         // "3XMTHREADINFO      \"name\" J9VMThread:0x…, …, state:B, prio=5"
  kThreadNative,   // "3XMTHREADINFO1            (native thread ID:0x52CF, …)"
  kThreadBlock,  // "3XMTHREADBLOCK     Blocked on: java/lang/Object@0x… Owned by: \"name\" (…)"
  kFrame,        // "4XESTACKTRACE                at WorkerThread.run(DeadLockTest.java:35)"
  kEnteredLock,  // "5XESTACKTRACE                   (entered lock: java/lang/Object@0x…, …)"
  kDeadlock,     // "1LKDEADLOCK    Deadlock detected !!!"
  kDeadlockThread,   // "2LKDEADLOCKTHR  Thread \"Worker Thread 2\" (0x94501D00)"
  kDeadlockMonitor,  // "4LKDEADLOCKMON      sys_mon_t:0x… infl_mon_t: 0x…:": an object monitor
  kDeadlockObject,   // "4LKDEADLOCKOBJ      java/lang/Object@0xB5666698"
};

struct TagRow {
  std::string_view tag;
  Tag kind;
};

constexpr std::array kTags = {
    TagRow{"0SECTION", Tag::kSection},
    TagRow{"1CIJAVAVERSION", Tag::kJavaVersion},
    TagRow{"1XMCURTHDINFO", Tag::kCurrentThread},
    TagRow{"1XMTHDINFO", Tag::kThreadDetails},
    TagRow{"3XMTHREADINFO", Tag::kThread},
    TagRow{"3XMTHREADINFO1", Tag::kThreadNative},
    TagRow{"3XMTHREADBLOCK", Tag::kThreadBlock},
    TagRow{"4XESTACKTRACE", Tag::kFrame},
    TagRow{"5XESTACKTRACE", Tag::kEnteredLock},
    TagRow{"1LKDEADLOCK", Tag::kDeadlock},
    TagRow{"2LKDEADLOCKTHR", Tag::kDeadlockThread},
    TagRow{"4LKDEADLOCKMON", Tag::kDeadlockMonitor},
    TagRow{"4LKDEADLOCKOBJ", Tag::kDeadlockObject},
};

// A javacore tag: a digit and capitals ("3XMTHREADINFO1" ends in one), or "NULL".
bool is_tag(std::string_view word) {
  if (word == "NULL") return true;
  if (word.size() < 5 || word[0] < '0' || word[0] > '9') return false;
  for (char c : word.substr(1)) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// The tag of a line and the text after it; a paste may indent the line or put it in markdown
// bold ("3XMTHREADBLOCK     **Waiting on: … <unowned>**").
Tag split_line(std::string_view line, std::string_view& body) {
  line = trim(line);
  size_t space = line.find_first_of(" \t");
  std::string_view word = line.substr(0, space);
  if (!is_tag(word)) return Tag::kOther;
  body = space == std::string_view::npos ? std::string_view() : trim(line.substr(space));
  if (body.size() > 4 && starts_with(body, "**") && body.ends_with("**")) {
    body = body.substr(2, body.size() - 4);
  }
  for (const TagRow& row : kTags) {
    if (row.tag == word) return row.kind;
  }
  return Tag::kOther;
}

// "java/lang/Object@0xB5666688" → type "java/lang/Object", address "0xB5666688".
struct ObjectRef {
  std::string_view type, address;
};
std::optional<ObjectRef> read_object(std::string_view text) {
  size_t at = text.rfind("@0x");
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  std::string_view address = text.substr(at + 1);
  address = address.substr(0, address.find_first_of(" ,:)"));
  return ObjectRef{text.substr(0, at), address};
}

// The kind of lock an object is, by its class: a java.util.concurrent synchronizer (parked on)
// or a monitor (blocked on, entered).
ResourceKind kind_of(std::string_view type, bool parked) {
  if (!parked) return ResourceKind::kMonitor;
  std::string dotted(type);
  for (char& c : dotted) {
    if (c == '/') c = '.';
  }
  return hotspot::kind_of_park_blocker(dotted);
}

// A quoted name that may itself hold quotes: from the first quote to the last quote before
// `after` (" J9VMThread:", " (TID:", " (").
std::string_view quoted_name(std::string_view text, std::string_view after) {
  if (text.empty() || text[0] != '"') return {};
  size_t end = text.rfind(after);
  if (end == std::string_view::npos || end == 0) end = text.rfind('"');
  if (end == std::string_view::npos || end == 0) return {};
  return text.substr(1, end - 1);
}

// The J9VMThread address in "… J9VMThread:0x0000000000894A00, …" or "(J9VMThread:0x…, …)", or
// the deadlock report's "(0x94501D00)": what tells threads of one name apart.
std::optional<uint64_t> vm_thread(std::string_view text) {
  size_t at = text.rfind("J9VMThread:");
  std::string_view hex;
  if (at != std::string_view::npos) {
    hex = text.substr(at + 11);
  } else if (size_t open = text.rfind("(0x"); open != std::string_view::npos) {
    hex = text.substr(open + 1);
  }
  return parse_hex(hex.substr(0, hex.find_first_of(",) ")));
}

struct DeadlockMember {
  std::optional<uint64_t> vm;
  std::string name;
  std::string type, address;  // what it waits for
  bool monitor = false;
  uint32_t line = 0;
};

class JavacoreReader {
 public:
  JavacoreReader(const Input& in, SnapshotBuilder& out) : in_(in), out_(out) {}

  void run() {
    Snapshot& s = out_.snapshot();
    s.family = RuntimeFamily::kJvm;
    s.task_noun = "thread";
    LineReader lines(in_.bytes);
    std::string_view line;
    while (lines.next(line)) {
      line_ = lines.line_number();
      std::string_view body;
      Tag tag = split_line(line, body);
      if (tag == Tag::kOther) continue;
      saw_tag_ = true;
      switch (tag) {
        case Tag::kSection:
          in_current_ = false;
          task_ = kNone;
          if (starts_with(body, "THREADS ")) saw_threads_ = true;
          break;
        case Tag::kJavaVersion:
          s.runtime = std::string(body);
          break;
        case Tag::kCurrentThread:
          in_current_ = true;
          break;
        case Tag::kThreadDetails:
          in_current_ = false;
          break;
        case Tag::kThread:
          begin_thread(body);
          break;
        case Tag::kThreadNative:
          native_id(body);
          break;
        case Tag::kThreadBlock:
          blocker(body);
          break;
        case Tag::kFrame:
          frame(body);
          break;
        case Tag::kEnteredLock:
          entered_lock(body);
          break;
        case Tag::kDeadlockThread:
          deadlock_thread(body);
          break;
        case Tag::kDeadlockMonitor:
          if (!chain_.empty()) chain_.back().monitor = true;
          break;
        case Tag::kDeadlockObject:
          if (!chain_.empty()) {
            if (auto obj = read_object(body)) {
              chain_.back().type = obj->type;
              chain_.back().address = obj->address;
            }
          }
          break;
        default:
          break;
      }
    }
    if (!saw_tag_) throw Error(fmt::format("{}: no javacore tag found: not a javacore", in_.name));
    resolve_owners();
    resolve_deadlocks();
    if (s.tasks.empty()) {
      out_.warn(in_.name, saw_threads_ ? "javacore lists no thread"
                                       : "javacore without its THREADS section (the file ends "
                                         "before it, or it was not pasted): nothing to analyse");
      out_.set_damaged();
    }
  }

 private:
  std::string where() const { return fmt::format("{}:{}", in_.name, line_); }

  void begin_thread(std::string_view body) {
    task_ = kNone;
    // The current thread (the one that wrote the dump) is listed first, on its own; should Thread
    // Details list it again, it is the same thread.
    if (in_current_) {
      current_header_ = std::string(body);
    } else if (!current_header_.empty() && body == current_header_) {
      return;
    }
    std::string_view name;
    std::string id;
    if (starts_with(body, "\"")) {
      name = quoted_name(body, "\" J9VMThread:");
      if (name.empty() && body.find("\" (TID:") != std::string_view::npos) {
        name = quoted_name(body, "\" (TID:");  // IBM Java 5/6
      }
      id = std::string(name);
      // Threads of one name ("GC Slave" fifteen times) are told apart by their J9VMThread.
      size_t vm_at = body.find("J9VMThread:");
      if (by_name_.count(id) != 0 && vm_at != std::string_view::npos) {
        std::string_view vm = body.substr(vm_at);
        id += fmt::format(" ({})", vm.substr(0, vm.find(',')));
      }
    } else {
      id = std::string(trim(body));  // "Anonymous native thread": named by its native id below
    }
    anonymous_ = !starts_with(body, "\"");
    waiting_on_ = {};
    task_ = out_.begin_task(id, line_);
    Task& t = out_.task(task_);
    if (!anonymous_) t.name = out_.intern(name);
    size_t state = body.find("state:");
    if (state != std::string_view::npos) {
      std::string_view value = body.substr(state + 6);
      t.state = out_.intern(value.substr(0, value.find_first_of(", ")));
    }
    by_name_.try_emplace(std::string(anonymous_ ? std::string_view(id) : name), task_);
    if (auto vm = vm_thread(body)) by_vm_.try_emplace(*vm, task_);
  }

  // "(native thread ID:0x52CF, native priority:0x5, …)"
  void native_id(std::string_view body) {
    if (task_ == kNone) return;
    size_t at = body.find("native thread ID:");
    if (at == std::string_view::npos) return;
    std::string_view value = body.substr(at + 17);
    value = value.substr(0, value.find_first_of(", )"));
    Task& t = out_.task(task_);
    if (auto id = parse_hex(value)) t.lwp = static_cast<int64_t>(*id);
    if (anonymous_) {
      // Anonymous native threads are told apart by their native id.
      t.id = out_.intern(fmt::format("{} {}", out_.snapshot().str(t.id), value));
      anonymous_ = false;
    }
  }

  // "Blocked on: java/lang/Object@0x… Owned by: \"name\" (J9VMThread:0x…, …)",
  // "Parked on: java/util/concurrent/locks/ReentrantLock$NonfairSync@0x… Owned by: …",
  // "Waiting on: java/lang/Object@0x… Owned by: <unowned>" (Object.wait: no lock edge).
  void blocker(std::string_view body) {
    if (task_ == kNone) return;
    bool parked = starts_with(body, "Parked on: ");
    if (starts_with(body, "Waiting on: ")) {
      // Object.wait released this monitor: its "entered lock" line below is not a hold now.
      if (auto obj = read_object(body.substr(12, body.find(" Owned by: ") - 12))) {
        waiting_on_ = std::string(obj->address);
      }
      return;
    }
    if (!parked && !starts_with(body, "Blocked on: ")) return;
    std::string_view rest = body.substr(body.find(": ") + 2);
    size_t owned = rest.find(" Owned by: ");
    auto obj = read_object(rest.substr(0, owned));
    if (!obj) return;
    ResourceIndex r = out_.resource(kind_of(obj->type, parked), obj->address, obj->type);
    Task& t = out_.task(task_);
    WaitEdge w;
    w.task = task_;
    w.resource = r;
    w.evidence = Evidence::kLockRecord;
    w.frame = t.frame_count > 0 ? t.first_frame : kNone;
    pending_waits_.push_back(out_.snapshot().waits.size());
    out_.add_wait(w);
    if (owned == std::string_view::npos) return;
    std::string_view owner = rest.substr(owned + 11);
    std::string_view name = quoted_name(owner, "\" (");
    if (name.empty()) return;  // "<unowned>", "<unknown>"
    owners_.push_back({r, std::string(name), vm_thread(owner), line_});
  }

  // "at WorkerThread.run(DeadLockTest.java:35)", "at java/lang/Thread.sleep(Native Method)",
  // "at x/Y.m(Y.java:88(Compiled Code))", "at x/Y.m(Compiled Code)"
  void frame(std::string_view body) {
    if (task_ == kNone || !starts_with(body, "at ")) return;
    body = body.substr(3);
    size_t open = body.find('(');
    Frame f;
    f.function = out_.intern(body.substr(0, open));
    if (open != std::string_view::npos && body.back() == ')') {
      std::string_view location = body.substr(open + 1, body.size() - open - 2);
      location = location.substr(0, location.find('('));
      if (location == "Native Method") {
        f.native = true;
      } else if (location != "Compiled Code" && !location.empty()) {
        size_t colon = location.rfind(':');
        if (colon != std::string_view::npos) {
          if (auto number = parse_line_number(location.substr(colon + 1))) {
            f.line = static_cast<int32_t>(*number);
            location = location.substr(0, colon);
          }
        }
        f.file = out_.intern(location);
      }
    }
    last_frame_ = out_.add_frame(f);
    // A wait read before any frame points at the thread's top frame.
    for (size_t w : pending_waits_) {
      if (out_.snapshot().waits[w].frame == kNone) out_.snapshot().waits[w].frame = last_frame_;
    }
    pending_waits_.clear();
  }

  static std::optional<int64_t> parse_line_number(std::string_view text) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    int64_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value;
  }

  // "(entered lock: java/lang/Object@0xB5666678, entry count: 1)": under the frame that took it.
  void entered_lock(std::string_view body) {
    if (task_ == kNone || !starts_with(body, "(entered lock: ")) return;
    auto obj = read_object(body.substr(15));
    if (!obj || obj->address == waiting_on_) return;
    ResourceIndex r = out_.resource(ResourceKind::kMonitor, obj->address, obj->type);
    out_.add_hold(
        {r, task_, Evidence::kLockRecord, out_.task(task_).frame_count > 0 ? last_frame_ : kNone});
  }

  // "Thread \"Worker Thread 2\" (0x94501D00)": a member of a chain, or the first again, which
  // closes it.
  void deadlock_thread(std::string_view body) {
    if (!starts_with(body, "Thread \"")) return;
    std::string name(quoted_name(body.substr(7), "\" ("));
    if (!chain_.empty() && chain_.front().name == name) {
      chains_.push_back(std::move(chain_));
      chain_.clear();
      return;
    }
    chain_.push_back({vm_thread(body), name, {}, {}, false, line_});
  }

  TaskIndex task_named(const std::string& name, std::optional<uint64_t> vm, uint32_t line) {
    if (vm) {
      if (auto at = by_vm_.find(*vm); at != by_vm_.end()) return at->second;
    }
    auto it = by_name_.find(name);
    if (it != by_name_.end()) return it->second;
    // A partial javacore (a pasted extract): the thread is known only by the name a lock line
    // or the deadlock report gives.
    TaskIndex t = out_.begin_task(name, line);
    out_.task(t).name = out_.intern(name);
    by_name_.emplace(name, t);
    named_only_.push_back(name);
    return t;
  }

  void resolve_owners() {
    for (const Owner& o : owners_) {
      out_.add_hold({o.resource, task_named(o.name, o.vm, o.line), Evidence::kLockRecord, kNone});
    }
  }

  void resolve_deadlocks() {
    if (!chain_.empty()) {
      out_.warn(fmt::format("{}:{}", in_.name, chain_.front().line),
                "the javacore's deadlock report is cut before its chain closes: not used");
    }
    for (const std::vector<DeadlockMember>& chain : chains_) {
      DeclaredCycle declared{{}, fmt::format("{}:{}", in_.name, chain.front().line)};
      std::vector<ResourceIndex> resources;
      for (const DeadlockMember& m : chain) {
        declared.members.push_back(task_named(m.name, m.vm, m.line));
        resources.push_back(m.address.empty()
                                ? kNone
                                : out_.resource(kind_of(m.type, !m.monitor), m.address, m.type));
      }
      for (size_t i = 0; i < chain.size(); ++i) {
        if (resources[i] == kNone) continue;
        TaskIndex t = declared.members[i];
        if (!waits_for(t, resources[i])) {
          const Task& task = out_.task(t);
          out_.add_wait({t, resources[i], Evidence::kDeclared,
                         task.frame_count > 0 ? task.first_frame : kNone, kNone, kNoString});
        }
        out_.add_hold(
            {resources[i], declared.members[(i + 1) % chain.size()], Evidence::kDeclared, kNone});
      }
      out_.snapshot().declared_cycles.push_back(std::move(declared));
    }
    if (!named_only_.empty()) {
      std::string names;
      for (size_t i = 0; i < named_only_.size() && i < 3; ++i) {
        names += fmt::format("{}\"{}\"", i ? ", " : "", named_only_[i]);
      }
      if (named_only_.size() > 3) names += ", …";
      out_.warn(in_.name,
                fmt::format("{} thread{} named by lock lines or the deadlock report "
                            "but not listed in this javacore ({}): it is partial",
                            named_only_.size(), named_only_.size() == 1 ? "" : "s", names));
    }
  }

  bool waits_for(TaskIndex task, ResourceIndex resource) const {
    for (const WaitEdge& w : out_.snapshot().waits) {
      if (w.task == task && w.resource == resource) return true;
    }
    return false;
  }

  struct Owner {
    ResourceIndex resource;
    std::string name;
    std::optional<uint64_t> vm;
    uint32_t line;
  };

  const Input& in_;
  SnapshotBuilder& out_;
  uint32_t line_ = 0;
  bool saw_tag_ = false, saw_threads_ = false;
  bool in_current_ = false;
  std::string current_header_;  // the Current thread's 3XMTHREADINFO text
  bool anonymous_ = false;      // task_ is an "Anonymous native thread", not yet told apart
  std::string waiting_on_;      // task_'s Object.wait monitor (released while it waits)
  TaskIndex task_ = kNone;
  uint32_t last_frame_ = kNone;
  std::vector<size_t> pending_waits_;
  std::unordered_map<std::string, TaskIndex> by_name_;  // the first thread with a name
  std::unordered_map<uint64_t, TaskIndex> by_vm_;       // by J9VMThread address
  std::vector<Owner> owners_;
  std::vector<DeadlockMember> chain_;
  std::vector<std::vector<DeadlockMember>> chains_;
  std::vector<std::string> named_only_;
};

class OpenJ9JavacoreParser : public Parser {
 public:
  std::string_view name() const override { return "openj9"; }
  std::string_view description() const override {
    return "IBM/OpenJ9 javacore (kill -3, -Xdump:java): THREADS and the LOCKS deadlock report";
  }
  int probe(std::string_view prefix) const override {
    LineReader lines(prefix);
    std::string_view line;
    while (lines.next(line)) {
      std::string_view body;
      Tag tag = split_line(line, body);
      if (tag == Tag::kThread || tag == Tag::kDeadlock || tag == Tag::kDeadlockThread) return 95;
      if (tag == Tag::kSection && starts_with(body, "TITLE ")) return 95;
    }
    return 0;
  }
  void parse(const Input& input, const ParseOptions& /*options*/,
             SnapshotBuilder& out) const override {
    JavacoreReader(input, out).run();
  }
};

}  // namespace

std::unique_ptr<Parser> make_openj9_javacore_parser() {
  return std::make_unique<OpenJ9JavacoreParser>();
}

}  // namespace dla
