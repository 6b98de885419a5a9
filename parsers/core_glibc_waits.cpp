// The glibc waits of a native core (see core_glibc_waits.h): futex word → lock → owner, read from
// the core's memory with the C library's lock layout, written through graph/native_waits.
#include "parsers/core_glibc_waits.h"

#include <unordered_map>

#include <fmt/format.h>

#include "graph/native_waits.h"
#include "graph/resolve_glibc.h"
#include "graph/text_numbers.h"

namespace dla {

uint32_t first_app_frame(const Snapshot& s, const Task& t, uint32_t from) {
  for (uint32_t f = from; f < t.frame_count; ++f) {
    const Frame& fr = s.frames[t.first_frame + f];
    if (!glibc::is_runtime_frame(s.str(fr.function), s.str(fr.module))) return f;
  }
  return kNone;
}

namespace {

using glibc::WaitOp;
using native::NativeWait;

class CoreWaits {
 public:
  CoreWaits(const CoreWaitsInput& in, SnapshotBuilder& out)
      : in_(in), core_(in.core), out_(out), native_(out, "core") {}

  void run() {
    const kernel::ThreadRegsLayout* l = core_.regs_layout;
    add_threads();
    if (l == nullptr) return;
    const Snapshot& s = out_.snapshot();
    for (size_t i = 0; i < core_.threads.size(); ++i) {
      const CoreThread& ct = core_.threads[i];
      if (ct.regs.empty() || ct.regs[l->syscall_nr] != l->futex_syscall) continue;
      Futex fx{in_.task_of_thread[i], i, ct.regs[l->syscall_arg0], WaitOp::kNone, kNone};
      const Task& t = s.tasks[fx.task];
      for (uint32_t f = 0; f < t.frame_count; ++f) {
        std::string_view fn =
            glibc::normalize_function(s.str(s.frames[t.first_frame + f].function));
        if (const glibc::WaitFrameRow* row = glibc::find_wait_frame(fn)) {
          fx.op = row->op;
          fx.frame = t.first_frame + f;
          break;
        }
      }
      add_futex_wait(fx);
    }
  }

 private:
  struct Futex {
    TaskIndex task;
    size_t thread;   // into core_.threads
    uint64_t uaddr;  // the futex word the thread sleeps on
    WaitOp op;       // what its frames say it is doing
    uint32_t frame;  // absolute index of the frame that says so, kNone if none
  };

  // Every thread with its LWP and, where the thread pointer is the thread's descriptor (x86_64's
  // fs_base), its pthread_t; in task order (the main thread first, then by LWP).
  void add_threads() {
    const kernel::ThreadRegsLayout* l = core_.regs_layout;
    bool descriptor = in_.layout != nullptr && in_.layout->thread_pointer_is_descriptor &&
                      l != nullptr && l->thread_pointer;
    std::vector<size_t> thread_of_task(out_.snapshot().tasks.size(), SIZE_MAX);
    for (size_t i = 0; i < in_.task_of_thread.size(); ++i) {
      TaskIndex t = in_.task_of_thread[i];
      if (t < thread_of_task.size()) thread_of_task[t] = i;
    }
    for (TaskIndex t = 0; t < thread_of_task.size(); ++t) {
      if (thread_of_task[t] == SIZE_MAX) continue;
      const CoreThread& ct = core_.threads[thread_of_task[t]];
      std::optional<uint64_t> handle;
      if (descriptor && !ct.regs.empty()) handle = ct.regs[*l->thread_pointer];
      native_.add_thread(t, ct.lwp, handle);
    }
  }

  void add_futex_wait(const Futex& fx) {
    const glibc::LockLayout* layout = in_.layout;
    if (layout == nullptr) {
      if (!warned_no_layout_) {
        warned_no_layout_ = true;
        out_.warn(std::string(in_.input_name),
                  "no glibc lock layout for this architecture: lock owners are not read");
      }
      return;
    }
    if (!in_.layout_version_known && !warned_version_) {
      warned_version_ = true;
      out_.warn(std::string(in_.input_name),
                fmt::format("the C library's version is unknown (its file is not found): "
                            "lock layouts of glibc {}.{}+ are assumed",
                            layout->from.major, layout->from.minor));
    }
    const glibc::LockLayout& L = *layout;
    switch (fx.op) {
      case WaitOp::kMutexLock:
        return add_mutex_wait(fx, fx.uaddr - L.mutex_lock, Evidence::kMemory);
      case WaitOp::kRwlockRead:
        if (is_readers_word(fx.uaddr)) {
          return add_rwlock_wait(fx, fx.uaddr, Evidence::kMemory, /*writers_first=*/true);
        }
        return add_rwlock_wait(fx, rwlock_of(fx.uaddr), Evidence::kMemory);
      case WaitOp::kRwlockWrite:
        return add_rwlock_wait(fx, rwlock_of(fx.uaddr), Evidence::kMemory);
      case WaitOp::kCondWait: {
        uint64_t cond = (fx.uaddr - L.cond_futex[0]) % L.lock_alignment == 0
                            ? fx.uaddr - L.cond_futex[0]
                            : fx.uaddr - L.cond_futex[1];
        return add_lock_wait(fx, ResourceKind::kCondition, cond, Evidence::kMemory);
      }
      case WaitOp::kSemWait:
        return add_lock_wait(fx, ResourceKind::kSemaphore, fx.uaddr - L.sem_futex,
                             Evidence::kMemory);
      case WaitOp::kJoin:
        return add_join_wait(fx, Evidence::kMemory);
      case WaitOp::kNone:
        break;
    }
    // No frame tells (the C library's file or symbols are missing): what the memory alone shows.
    if (auto word = read_i32(fx.uaddr);
        word && native_.joinee_by_tid_word(fx.uaddr, *word, L.pthread_tid) != kNone) {
      return add_join_wait(fx, Evidence::kMemory);
    }
    // A mutex: __lock is 1 or 2 (locked, maybe with waiters) and __owner a thread of the core.
    auto lock_word = read_i32(fx.uaddr - L.mutex_lock + L.mutex_lock);
    auto owner = read_i32(fx.uaddr - L.mutex_lock + L.mutex_owner);
    if (lock_word && owner && (*lock_word == 1 || *lock_word == 2) && native_.is_thread(*owner)) {
      return add_mutex_wait(fx, fx.uaddr - L.mutex_lock, Evidence::kInferred);
    }
    // An rwlock (2.25+): its two padding words are 0 (a mutex has its owner there) and its
    // writer is a thread of the core.
    if (L.rwlock_zero_words) {
      uint64_t lock = rwlock_of(fx.uaddr);
      auto pad3 = read_i32(lock + *L.rwlock_zero_words);
      auto pad4 = read_i32(lock + *L.rwlock_zero_words + 4);
      auto writer = read_i32(lock + L.rwlock_writer);
      if (pad3 == 0 && pad4 == 0 && writer && native_.is_thread(*writer)) {
        return add_rwlock_wait(fx, lock, Evidence::kInferred);
      }
    }
    NativeWait w = wait_of(fx, Evidence::kMemory);
    w.kind = ResourceKind::kUnknown;
    w.address = hex_address(fx.uaddr);
    w.type = "futex";
    native_.add_wait(w);
  }

  // pthread_rwlock_t is 8-byte aligned (lock_alignment): a word at +8 (readers, or a writer waiting
  // for readers to leave) is 8-aligned, the writers' word at +12 is not.
  uint64_t rwlock_of(uint64_t uaddr) const {
    const glibc::LockLayout& L = *in_.layout;
    return (uaddr - L.rwlock_read_futex) % L.lock_alignment == 0 ? uaddr - L.rwlock_read_futex
                                                                 : uaddr - L.rwlock_write_futex;
  }

  // A reader of a lock that prefers writers sleeps on the lock's first word (__readers) while a
  // writer waits; others sleep on __wrphase_futex. The first word is the lock's own address when
  // the lock there is well formed (its padding zero) and says it prefers writers.
  bool is_readers_word(uint64_t uaddr) const {
    const glibc::LockLayout& L = *in_.layout;
    if (!L.rwlock_zero_words) return false;
    auto pad3 = read_i32(uaddr + *L.rwlock_zero_words);
    auto pad4 = read_i32(uaddr + *L.rwlock_zero_words + 4);
    auto flags = read_i32(uaddr + L.rwlock_flags);
    return pad3 == 0 && pad4 == 0 && flags && *flags != 0;
  }

  void add_rwlock_wait(const Futex& fx, uint64_t lock, Evidence evidence,
                       bool writers_first = false) {
    const glibc::LockLayout& L = *in_.layout;
    NativeWait w = lock_wait(fx, ResourceKind::kRwlock, lock, evidence);
    w.shared = fx.op == WaitOp::kRwlockRead;
    auto flags = read_i32(lock + L.rwlock_flags);
    w.writers_first = writers_first || (flags && *flags != 0);
    // __cur_writer is the writer's LWP; readers are only counted, so a read-held lock has none.
    if (auto writer = read_i32(lock + L.rwlock_writer); writer && *writer != 0) w.owner = *writer;
    native_.add_wait(w);
  }

  void add_mutex_wait(const Futex& fx, uint64_t mutex, Evidence evidence) {
    const glibc::LockLayout& L = *in_.layout;
    NativeWait w = lock_wait(fx, ResourceKind::kMutex, mutex, evidence);
    auto owner = read_i32(mutex + L.mutex_owner);
    auto kind = read_i32(mutex + L.mutex_kind);
    auto word = read_i32(mutex + L.mutex_lock);
    if (owner) {
      int64_t lwp = *owner;
      // Robust and priority-inheritance mutexes keep the owner's tid in __lock as well.
      if (lwp == 0 && kind && (*kind & L.mutex_kind_tid_in_lock) != 0 && word) {
        lwp = *word & kernel::kFutexTidMask;
      }
      w.owner = lwp;
    }
    native_.add_wait(w);
    if (!owner) {
      out_.warn(std::string(in_.input_name),
                fmt::format("mutex {} is not in the core's memory: its owner is unknown",
                            hex_address(mutex)));
    }
  }

  void add_lock_wait(const Futex& fx, ResourceKind kind, uint64_t address, Evidence evidence) {
    native_.add_wait(lock_wait(fx, kind, address, evidence));
  }

  // pthread_join sleeps on the joinee's descriptor field `tid`, which holds the joinee's LWP
  // until the kernel clears it at the thread's exit: a wait on the joinee's pthread_t (its
  // descriptor), the same resource a gdb dump of the process names (graph/native_waits).
  void add_join_wait(const Futex& fx, Evidence evidence) {
    const glibc::LockLayout& L = *in_.layout;
    NativeWait w = wait_of(fx, evidence);
    w.join = true;
    w.address = hex_address(L.thread_pointer_is_descriptor ? fx.uaddr - L.pthread_tid : fx.uaddr);
    w.joinee_evidence = evidence;
    // 0: the joinee has exited and the join returns; unreadable: the joinee is unknown.
    if (auto word = read_i32(fx.uaddr); word && *word != 0) {
      w.joinee = native_.thread_by_lwp(*word);
      if (w.joinee == kNone) w.missing_joinee = fmt::format("LWP {}", *word);
    }
    native_.add_wait(w);
  }

  NativeWait lock_wait(const Futex& fx, ResourceKind kind, uint64_t address, Evidence evidence) {
    NativeWait w = wait_of(fx, evidence);
    w.kind = kind;
    w.address = hex_address(address);
    w.symbol = symbol_at(address);
    return w;
  }

  // The wait's frame (the one that names it, else frame 0) and the first application frame from
  // there.
  NativeWait wait_of(const Futex& fx, Evidence evidence) const {
    const Snapshot& s = out_.snapshot();
    const Task& t = s.tasks[fx.task];
    NativeWait w;
    w.task = fx.task;
    w.evidence = evidence;
    w.where = std::string(in_.input_name);
    w.frame = fx.frame != kNone ? fx.frame : (t.frame_count > 0 ? t.first_frame : kNone);
    if (w.frame != kNone) {
      uint32_t local = first_app_frame(s, t, w.frame - t.first_frame);
      if (local != kNone) w.app_frame = t.first_frame + local;
    }
    return w;
  }

  const std::string& symbol_at(uint64_t address) {
    auto [it, fresh] = symbols_.try_emplace(address);
    if (fresh && in_.data_symbol) it->second = in_.data_symbol(address);
    return it->second;
  }

  std::optional<int32_t> read_i32(uint64_t address) const {
    auto v = core_.read_u32(address);
    if (!v) return std::nullopt;
    return static_cast<int32_t>(*v);
  }

  const CoreWaitsInput& in_;
  const CoreFile& core_;
  SnapshotBuilder& out_;
  native::NativeWaits native_;
  std::unordered_map<uint64_t, std::string> symbols_;
  bool warned_no_layout_ = false;
  bool warned_version_ = false;
};

}  // namespace

void read_core_waits(const CoreWaitsInput& in, SnapshotBuilder& out) {
  CoreWaits(in, out).run();
}

}  // namespace dla
