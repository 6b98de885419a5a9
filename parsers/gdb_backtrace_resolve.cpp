// The gdb/lldb reader's cross-thread resolution (see gdb_backtrace_resolve.h): joins matched to
// the joined thread (by pthread_t, LWP, owners.gdb's futex word or, as a heuristic, the caller's
// one thread-handle argument), owners.gdb's futex owner checked against the frames, and the one
// warning for waits whose holder the dump does not show. The model itself — resources, edges,
// owner filtering, "not a thread" warnings — is graph/native_waits.
#include "parsers/gdb_backtrace_resolve.h"

#include <fmt/format.h>

#include "graph/native_waits.h"
#include "graph/text_numbers.h"
#include "parsers/gdb_text.h"

namespace dla::gdb_resolve {

using namespace gdb_text;
using glibc::WaitOp;

namespace {

class Resolver {
 public:
  Resolver(std::string_view input_name, ReadThreads& read, SnapshotBuilder& out)
      : name_(input_name), read_(read), out_(out), native_(out, "dump") {}

  void run() {
    const Snapshot& s = out_.snapshot();
    for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
      native_.add_thread(t, s.tasks[t].lwp, read_.handles[t]);
    }
    for (PendingWait& w : read_.waits) resolve(w);
    for (const OwnerFact& o : read_.owner_facts) {
      native_.add_owner(o.kind, o.address, o.symbol, o.owner, Evidence::kMemory, where(o.line));
    }
    warn_unknown_holders();
  }

 private:
  std::string where(uint32_t line) const { return fmt::format("{}:{}", name_, line); }

  void resolve(PendingWait& w) {
    const Snapshot& s = out_.snapshot();
    TaskIndex join_target = kNone;
    Evidence hold_evidence = Evidence::kArgument;
    if (w.op == WaitOp::kNone) {
      if (w.futex && (join_target = join_target_from_futex(*w.futex)) != kNone) {
        w.evidence = hold_evidence = Evidence::kMemory;
      } else if ((join_target = join_target_from_caller(w)) != kNone) {
        w.evidence = Evidence::kInferred;
      } else {
        return;
      }
      w.op = WaitOp::kJoin;
      w.frame = s.tasks[w.task].first_frame;
    } else if (w.op == WaitOp::kJoin) {
      if (w.join_handle) join_target = native_.thread_by_handle(*w.join_handle);
      if (join_target == kNone && w.join_lwp) join_target = native_.thread_by_lwp(*w.join_lwp);
      if (join_target == kNone && w.futex &&
          (join_target = join_target_from_futex(*w.futex)) != kNone) {
        w.evidence = hold_evidence = Evidence::kMemory;
      }
    } else if (w.op == WaitOp::kMutexLock && w.futex) {
      read_futex_owner(w);
    }
    native::NativeWait n;
    n.task = w.task;
    n.frame = w.frame;
    n.app_frame = w.app_frame;
    n.shared = w.op == WaitOp::kRwlockRead;
    n.where = where(w.line);
    if (w.op == WaitOp::kJoin) {
      n.join = true;
      n.address = join_address(join_target, w);
      n.joinee = join_target;
      n.joinee_evidence = hold_evidence;
      if (join_target == kNone) {
        w.evidence = Evidence::kArgument;
        if (w.join_handle) n.missing_joinee = fmt::format("thread {:#x}", *w.join_handle);
      }
    } else {
      n.kind = glibc::kind_of(w.op);
      n.address = w.address;
      n.symbol = std::string(w.symbol);
      n.writers_first = w.readers_word && !w.address.empty();
    }
    n.evidence = w.evidence;
    native_.add_wait(n);
  }

  // owners.gdb's futex line of a thread in pthread_join: the word is the joined thread's LWP and
  // lies inside that thread's descriptor (its tid field). The int32 at +8 means nothing here.
  TaskIndex join_target_from_futex(const GdbOwnerLine& futex) const {
    if (!futex.word || futex.address.empty()) return kNone;
    auto uaddr = parse_hex(futex.address);
    if (!uaddr) return kNone;
    return native_.joinee_by_tid_word(*uaddr, *futex.word, std::nullopt);
  }

  // A thread stopped in unnamed libc frames whose first application frame was passed exactly one
  // other thread's pthread_t (join_cycle.gdb-nodebug: "wait_for (target=140104647202496, …)"):
  // most likely a pthread_join of it. A heuristic (Evidence::kInferred).
  TaskIndex join_target_from_caller(const PendingWait& w) const {
    if (!w.unnamed_runtime_top || w.app_args.empty()) return kNone;
    TaskIndex found = kNone;
    bool ambiguous = false;
    for_each_argument(w.app_args, [&](std::string_view, std::string_view value) {
      GdbValue v = parse_gdb_value(value);
      if (!v.value || v.string || v.reference) return false;
      TaskIndex t = native_.thread_by_handle(*v.value);
      if (t == kNone || t == w.task) return false;
      if (found != kNone && found != t) ambiguous = true;  // two threads named
      found = t;
      return false;
    });
    if (ambiguous) return kNone;
    return found;
  }

  // The joined thread's pthread_t as a resource address: as the thread's header printed it, else
  // as the joiner's argument did, else its LWP; empty when nothing names it.
  std::string join_address(TaskIndex target, const PendingWait& w) const {
    const Snapshot& s = out_.snapshot();
    if (target != kNone && !read_.handle_texts[target].empty()) return read_.handle_texts[target];
    if (w.join_handle) return hex_address(*w.join_handle);
    if (target != kNone && s.tasks[target].lwp) return fmt::format("LWP {}", *s.tasks[target].lwp);
    return {};
  }

  // owners.gdb's futex line of a thread blocked in pthread_mutex_lock: the syscall's futex word is
  // the mutex, and the int32 at +8 its __owner.
  void read_futex_owner(PendingWait& w) {
    const GdbOwnerLine& f = *w.futex;
    auto uaddr = parse_hex(f.address);
    if (!uaddr) return;
    if (w.address.empty() || w.evidence == Evidence::kInferred) {
      w.address = std::string(f.address);
      w.address_value = uaddr;
      w.symbol = f.symbol;
      w.evidence = Evidence::kMemory;
    } else if (w.address_value != uaddr) {
      out_.warn(where(w.futex_line),
                fmt::format("the futex word {} read from memory is not the mutex {} the frames "
                            "name; the frames are used",
                            f.address, w.address));
      return;
    }
    if (f.owner) {
      read_.owner_facts.push_back(
          {ResourceKind::kMutex, f.address, f.symbol, *f.owner, w.futex_line});
    }
  }

  // One warning for every lock wait whose holder the dump does not show: gdb prints no lock owners,
  // so a cycle can only be proven with the owners output or the program's source.
  void warn_unknown_holders() {
    Snapshot& s = out_.snapshot();
    std::vector<bool> held(s.resources.size(), false);
    for (const HoldEdge& h : s.holds) held[h.resource] = true;
    size_t waiting = 0, unknown_addresses = 0, unknown_waits = 0;
    for (const WaitEdge& w : s.waits) {
      ResourceKind kind = s.resources[w.resource].kind;
      bool unknown = native_.is_unknown(w.resource);
      unknown_waits += unknown;
      bool lock = kind == ResourceKind::kMutex || kind == ResourceKind::kRwlock ||
                  native_.is_join(w.resource);
      if (!lock || held[w.resource]) continue;
      ++waiting;
      unknown_addresses += unknown;
    }
    if (waiting == 0) return;
    if (unknown_waits == s.waits.size() && read_.owner_facts.empty()) {
      s.records_locks = false;  // not one lock is named: "no cycle" means "none visible"
    }
    std::string addresses;
    if (unknown_addresses > 0) {
      addresses = fmt::format(
          " ({} of them without a lock address: install the C library's debug info, e.g. "
          "libc6-dbg or debuginfo-install glibc)",
          unknown_addresses);
    }
    out_.warn(std::string(name_),
              fmt::format("{} {} for a lock whose holder this dump does not show{}: the owners' "
                          "LWPs are in the process's memory, and 'dlanalyze gdb-commands > "
                          "owners.gdb; gdb -p PID -batch -x owners.gdb' prints them with the "
                          "backtraces; without them, holders are inferred from the program's "
                          "source where it is readable",
                          waiting, waiting == 1 ? "thread waits" : "threads wait", addresses));
  }

  std::string_view name_;
  ReadThreads& read_;
  SnapshotBuilder& out_;
  native::NativeWaits native_;
};

}  // namespace

void resolve_waits(std::string_view input_name, ReadThreads& read, SnapshotBuilder& out) {
  Resolver(input_name, read, out).run();
}

}  // namespace dla::gdb_resolve
