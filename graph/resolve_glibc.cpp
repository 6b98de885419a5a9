#include "graph/resolve_glibc.h"

#include <unordered_map>

namespace dla::glibc {

namespace {

using Op = WaitOp;

// Functions that prove a wait. Spellings: glibc 2.36 with libc6-dbg (testdata/gdb/*.gdb-full.txt),
// the same without debug info, where only exported .dynsym names survive (*.gdb-nodebug.txt),
// eu-stack (*.eu-stack.txt: internal names with symbol versions), glibc 2.17 / RHEL 7
// (transcribed/glibc217*), lldb on glibc < 2.34 (transcribed/node-openssl.lldb-btall.txt), and
// glibc, libstdc++ 12, libc++ and Apple libpthread sources for the rest.
constexpr std::array kWaitFrames = {
    // --- pthread mutexes -------------------------------------------------------------------------
    // Exported name: every glibc without debug info, glibc < 2.34 with it, RHEL pstack.
    WaitFrameRow{"pthread_mutex_lock", false, Op::kMutexLock},
    // glibc's own name: < 2.34 with debug info, lldb's __GI___pthread_mutex_lock, eu-stack's
    // __pthread_mutex_lock@GLIBC_2.2.5 (2.36).
    WaitFrameRow{"__pthread_mutex_lock", false, Op::kMutexLock},
    // glibc 2.34+ with debug info: ___pthread_mutex_lock (mutex=…) at pthread_mutex_lock.c:93.
    WaitFrameRow{"___pthread_mutex_lock", false, Op::kMutexLock},
    // glibc 2.34+ inlined fast path: lll_mutex_lock_optimized (mutex=…) at pthread_mutex_lock.c:48.
    WaitFrameRow{"lll_mutex_lock_optimized", false, Op::kMutexLock},
    // Robust, priority-inheritance and priority-protect mutexes.
    WaitFrameRow{"__pthread_mutex_lock_full", false, Op::kMutexLock},
    // pthread_cond_wait re-acquiring its mutex after a signal: a mutex wait again.
    WaitFrameRow{"__pthread_mutex_cond_lock", false, Op::kMutexLock},
    WaitFrameRow{"__pthread_mutex_cond_lock_full", false, Op::kMutexLock},
    // Timed and clock locks (exported, < 2.34 internal, 2.34+ internal 64-bit-time names).
    WaitFrameRow{"pthread_mutex_timedlock", false, Op::kMutexLock},
    WaitFrameRow{"__pthread_mutex_timedlock", false, Op::kMutexLock},
    WaitFrameRow{"___pthread_mutex_timedlock64", false, Op::kMutexLock},
    WaitFrameRow{"__pthread_mutex_clocklock_common", false, Op::kMutexLock},
    WaitFrameRow{"pthread_mutex_clocklock", false, Op::kMutexLock},
    WaitFrameRow{"___pthread_mutex_clocklock64", false, Op::kMutexLock},
    // libstdc++ (inlined into the program, so they keep -g arguments when libc has none).
    WaitFrameRow{"__gthread_mutex_lock", false, Op::kMutexLock},
    WaitFrameRow{"__gthread_recursive_mutex_lock", false, Op::kMutexLock},
    WaitFrameRow{"__gthread_mutex_timedlock", false, Op::kMutexLock},
    WaitFrameRow{"std::mutex::lock", false, Op::kMutexLock},
    WaitFrameRow{"std::recursive_mutex::lock", false, Op::kMutexLock},
    WaitFrameRow{"std::timed_mutex::lock", false, Op::kMutexLock},
    WaitFrameRow{"std::recursive_timed_mutex::lock", false, Op::kMutexLock},
    // libc++ (clang's standard library, Linux and macOS).
    WaitFrameRow{"std::__1::mutex::lock", false, Op::kMutexLock},
    WaitFrameRow{"std::__1::recursive_mutex::lock", false, Op::kMutexLock},
    WaitFrameRow{"std::__1::__libcpp_mutex_lock", false, Op::kMutexLock},
    // macOS libsystem_kernel / libsystem_pthread: the mutex wait trap and its callers.
    WaitFrameRow{"__psynch_mutexwait", false, Op::kMutexLock},
    WaitFrameRow{"_pthread_mutex_firstfit_lock_wait", false, Op::kMutexLock},
    WaitFrameRow{"_pthread_mutex_firstfit_lock_slow", false, Op::kMutexLock},
    WaitFrameRow{"_pthread_mutex_fairshare_lock_wait", false, Op::kMutexLock},
    WaitFrameRow{"_pthread_mutex_fairshare_lock_slow", false, Op::kMutexLock},
    WaitFrameRow{"_pthread_mutex_lock_wait", false, Op::kMutexLock},
    WaitFrameRow{"_pthread_mutex_lock_slow", false, Op::kMutexLock},

    // --- pthread rwlocks, read side --------------------------------------------------------------
    WaitFrameRow{"pthread_rwlock_rdlock", false, Op::kRwlockRead},     // exported
    WaitFrameRow{"__pthread_rwlock_rdlock", false, Op::kRwlockRead},   // < 2.34, eu-stack
    WaitFrameRow{"___pthread_rwlock_rdlock", false, Op::kRwlockRead},  // 2.34+ debug info
    // 2.34+: __pthread_rwlock_rdlock_full64 (abstime=0x0, clockid=0, rwlock=…) (rwlock.gdb-full).
    WaitFrameRow{"__pthread_rwlock_rdlock_full64", false, Op::kRwlockRead},
    WaitFrameRow{"__pthread_rwlock_rdlock_full", false, Op::kRwlockRead},  // 2.25–2.33
    WaitFrameRow{"__pthread_rwlock_rdlock_slow", false, Op::kRwlockRead},  // ≤ 2.24
    WaitFrameRow{"pthread_rwlock_timedrdlock", false, Op::kRwlockRead},
    WaitFrameRow{"___pthread_rwlock_timedrdlock64", false, Op::kRwlockRead},
    WaitFrameRow{"pthread_rwlock_clockrdlock", false, Op::kRwlockRead},
    WaitFrameRow{"___pthread_rwlock_clockrdlock64", false, Op::kRwlockRead},
    // libstdc++ std::shared_mutex on a pthread rwlock (cpp_shared_mutex.gdb-full).
    WaitFrameRow{"std::__glibcxx_rwlock_rdlock", false, Op::kRwlockRead},
    WaitFrameRow{"std::__shared_mutex_pthread::lock_shared", false, Op::kRwlockRead},
    WaitFrameRow{"std::shared_mutex::lock_shared", false, Op::kRwlockRead},
    WaitFrameRow{"std::shared_timed_mutex::lock_shared", false, Op::kRwlockRead},
    // libc++.
    WaitFrameRow{"std::__1::shared_mutex::lock_shared", false, Op::kRwlockRead},
    WaitFrameRow{"std::__1::__shared_mutex_base::lock_shared", false, Op::kRwlockRead},
    WaitFrameRow{"std::__1::shared_timed_mutex::lock_shared", false, Op::kRwlockRead},
    // macOS read-lock wait trap.
    WaitFrameRow{"__psynch_rw_rdlock", false, Op::kRwlockRead},

    // --- pthread rwlocks, write side -------------------------------------------------------------
    WaitFrameRow{"pthread_rwlock_wrlock", false, Op::kRwlockWrite},
    WaitFrameRow{"__pthread_rwlock_wrlock", false, Op::kRwlockWrite},
    WaitFrameRow{"___pthread_rwlock_wrlock", false, Op::kRwlockWrite},
    WaitFrameRow{"__pthread_rwlock_wrlock_full64", false, Op::kRwlockWrite},  // 2.34+
    WaitFrameRow{"__pthread_rwlock_wrlock_full", false, Op::kRwlockWrite},    // 2.25–2.33
    WaitFrameRow{"__pthread_rwlock_wrlock_slow", false, Op::kRwlockWrite},    // ≤ 2.24
    WaitFrameRow{"pthread_rwlock_timedwrlock", false, Op::kRwlockWrite},
    WaitFrameRow{"___pthread_rwlock_timedwrlock64", false, Op::kRwlockWrite},
    WaitFrameRow{"pthread_rwlock_clockwrlock", false, Op::kRwlockWrite},
    WaitFrameRow{"___pthread_rwlock_clockwrlock64", false, Op::kRwlockWrite},
    WaitFrameRow{"std::__glibcxx_rwlock_wrlock", false, Op::kRwlockWrite},
    WaitFrameRow{"std::__shared_mutex_pthread::lock", false, Op::kRwlockWrite},
    WaitFrameRow{"std::shared_mutex::lock", false, Op::kRwlockWrite},
    WaitFrameRow{"std::shared_timed_mutex::lock", false, Op::kRwlockWrite},
    WaitFrameRow{"std::__1::shared_mutex::lock", false, Op::kRwlockWrite},
    WaitFrameRow{"std::__1::__shared_mutex_base::lock", false, Op::kRwlockWrite},
    WaitFrameRow{"std::__1::shared_timed_mutex::lock", false, Op::kRwlockWrite},
    WaitFrameRow{"__psynch_rw_wrlock", false, Op::kRwlockWrite},

    // --- condition variables ---------------------------------------------------------------------
    WaitFrameRow{"pthread_cond_wait", false, Op::kCondWait},     // exported (cond_nobody nodebug)
    WaitFrameRow{"__pthread_cond_wait", false, Op::kCondWait},   // < 2.34, eu-stack
    WaitFrameRow{"___pthread_cond_wait", false, Op::kCondWait},  // 2.34+ debug info
    WaitFrameRow{"__pthread_cond_wait_common", false, Op::kCondWait},  // 2.25+ (cond_nobody full)
    WaitFrameRow{"pthread_cond_timedwait", false, Op::kCondWait},
    WaitFrameRow{"__pthread_cond_timedwait", false, Op::kCondWait},
    WaitFrameRow{"___pthread_cond_timedwait64", false, Op::kCondWait},
    WaitFrameRow{"pthread_cond_clockwait", false, Op::kCondWait},
    WaitFrameRow{"___pthread_cond_clockwait64", false, Op::kCondWait},
    // libstdc++: condition_variable::wait is in libstdc++.so (no arguments without its debug info).
    WaitFrameRow{"std::condition_variable::wait", false, Op::kCondWait},
    WaitFrameRow{"std::condition_variable::__wait_until_impl", true, Op::kCondWait},
    WaitFrameRow{"std::_V2::condition_variable_any::wait", true, Op::kCondWait},
    WaitFrameRow{"__gthread_cond_wait", false, Op::kCondWait},
    WaitFrameRow{"__gthread_cond_timedwait", false, Op::kCondWait},
    WaitFrameRow{"std::__1::condition_variable::wait", false, Op::kCondWait},
    WaitFrameRow{"std::__1::condition_variable::__do_timed_wait", false, Op::kCondWait},
    // macOS condition wait trap and its caller.
    WaitFrameRow{"__psynch_cvwait", false, Op::kCondWait},
    WaitFrameRow{"_pthread_cond_wait", false, Op::kCondWait},

    // --- semaphores ------------------------------------------------------------------------------
    WaitFrameRow{"sem_wait", false, Op::kSemWait},
    WaitFrameRow{"__new_sem_wait", false, Op::kSemWait},
    WaitFrameRow{"__new_sem_wait_slow", false, Op::kSemWait},    // < 2.34
    WaitFrameRow{"__new_sem_wait_slow64", false, Op::kSemWait},  // 2.34+
    WaitFrameRow{"do_futex_wait", false, Op::kSemWait},          // nptl/sem_waitcommon.c
    WaitFrameRow{"__old_sem_wait", false, Op::kSemWait},
    WaitFrameRow{"sem_timedwait", false, Op::kSemWait},
    WaitFrameRow{"__sem_timedwait", false, Op::kSemWait},
    WaitFrameRow{"___sem_timedwait64", false, Op::kSemWait},
    WaitFrameRow{"sem_clockwait", false, Op::kSemWait},
    WaitFrameRow{"__sem_clockwait64", false, Op::kSemWait},
    // macOS: Mach and dispatch semaphores.
    WaitFrameRow{"semaphore_wait_trap", false, Op::kSemWait},
    WaitFrameRow{"_dispatch_semaphore_wait_slow", false, Op::kSemWait},
    WaitFrameRow{"dispatch_semaphore_wait", false, Op::kSemWait},

    // --- joins -----------------------------------------------------------------------------------
    // glibc < 2.34 (RHEL 7 pstack: "pthread_join () from /lib64/libpthread.so.0").
    WaitFrameRow{"pthread_join", false, Op::kJoin},
    WaitFrameRow{"__pthread_join", false, Op::kJoin},
    // 2.34+: pthread_join is a tail call; only __pthread_clockjoin_ex (threadid=…) shows
    // (mutex_cycle2.gdb-full, join_cycle.gdb-full, eu-stack). Without debug info it is "??".
    WaitFrameRow{"__pthread_clockjoin_ex", false, Op::kJoin},
    WaitFrameRow{"__pthread_timedjoin_ex", false, Op::kJoin},  // 2.28–2.33
    WaitFrameRow{"pthread_timedjoin_np", false, Op::kJoin},
    WaitFrameRow{"___pthread_timedjoin_np64", false, Op::kJoin},
    WaitFrameRow{"pthread_clockjoin_np", false, Op::kJoin},
    WaitFrameRow{"___pthread_clockjoin_np64", false, Op::kJoin},
    // libstdc++: "std::thread::join() () from …libstdc++.so.6" at every level (cpp_mutex).
    WaitFrameRow{"std::thread::join", false, Op::kJoin},
    WaitFrameRow{"std::__1::thread::join", false, Op::kJoin},
    // macOS.
    WaitFrameRow{"_pthread_join", false, Op::kJoin},
};

using Form = ArgForm;

// Where the lock is. A frame may carry a row here without one above: the low-level futex waits say
// nothing by themselves, but their futex word locates the lock once the caller is known.
constexpr std::array kLockArgs = {
    // --- low-level futex waits (glibc 2.34+ with debug info) -------------------------------------
    // futex_wait (private=0, expected=2, futex_word=0x… <m_alpha>): lll_lock's sleep.
    LockArgRow{"futex_wait", false, "futex_word", Form::kFutexWord, Op::kNone},
    // __GI___lll_lock_wait (futex=futex@entry=0x… <m_alpha>, private=0).
    LockArgRow{"__lll_lock_wait", false, "futex", Form::kFutexWord, Op::kNone},
    LockArgRow{"__lll_lock_wait_private", false, "futex", Form::kFutexWord, Op::kNone},
    // __futex_abstimed_wait_common (futex_word=…<rw_table+8>, expected=3, …): rwlocks, conditions
    // and joins; the word is inside the lock for rwlocks, in the joined thread for joins.
    LockArgRow{"__futex_abstimed_wait_common", false, "futex_word", Form::kFutexWord, Op::kNone},
    LockArgRow{"__futex_abstimed_wait_common64", false, "futex_word", Form::kFutexWord, Op::kNone},
    LockArgRow{"__futex_abstimed_wait64", false, "futex_word", Form::kFutexWord, Op::kNone},
    LockArgRow{"__futex_abstimed_wait_cancelable64", false, "futex_word", Form::kFutexWord,
               Op::kNone},
    // In a join, "expected=4012" is the joined thread's LWP (mutex_cycle2.gdb-full thread 1).
    LockArgRow{"__futex_abstimed_wait_common", false, "expected", Form::kJoineeLwp, Op::kJoin},
    LockArgRow{"__futex_abstimed_wait_common64", false, "expected", Form::kJoineeLwp, Op::kJoin},
    LockArgRow{"__futex_abstimed_wait_cancelable64", false, "expected", Form::kJoineeLwp,
               Op::kJoin},

    // --- pthread API frames: the lock's own address
    // -----------------------------------------------
    LockArgRow{"pthread_mutex_lock", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_mutex_lock", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"___pthread_mutex_lock", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"lll_mutex_lock_optimized", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_mutex_lock_full", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_mutex_cond_lock", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_mutex_cond_lock_full", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"pthread_mutex_timedlock", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_mutex_timedlock", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"___pthread_mutex_timedlock64", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_mutex_clocklock_common", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"pthread_mutex_clocklock", false, "mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"___pthread_mutex_clocklock64", false, "mutex", Form::kLockAddress, Op::kNone},
    // rwlock=0x… <rw_table> on every rdlock/wrlock frame (rwlock.gdb-full).
    LockArgRow{"pthread_rwlock_rdlock", false, "rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_rwlock_rdlock", false, "rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"___pthread_rwlock_rdlock", false, "rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_rwlock_rdlock_full64", false, "rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_rwlock_rdlock_full", false, "rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"pthread_rwlock_wrlock", false, "rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_rwlock_wrlock", false, "rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"___pthread_rwlock_wrlock", false, "rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_rwlock_wrlock_full64", false, "rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_rwlock_wrlock_full", false, "rwlock", Form::kLockAddress, Op::kNone},
    // cond=0x… <c_ready>; the mutex= beside it is released while waiting and is no wait.
    LockArgRow{"pthread_cond_wait", false, "cond", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_cond_wait", false, "cond", Form::kLockAddress, Op::kNone},
    LockArgRow{"___pthread_cond_wait", false, "cond", Form::kLockAddress, Op::kNone},
    LockArgRow{"__pthread_cond_wait_common", false, "cond", Form::kLockAddress, Op::kNone},
    LockArgRow{"pthread_cond_timedwait", false, "cond", Form::kLockAddress, Op::kNone},
    LockArgRow{"___pthread_cond_timedwait64", false, "cond", Form::kLockAddress, Op::kNone},
    LockArgRow{"pthread_cond_clockwait", false, "cond", Form::kLockAddress, Op::kNone},
    LockArgRow{"___pthread_cond_clockwait64", false, "cond", Form::kLockAddress, Op::kNone},
    LockArgRow{"sem_wait", false, "sem", Form::kLockAddress, Op::kNone},
    LockArgRow{"__new_sem_wait", false, "sem", Form::kLockAddress, Op::kNone},
    LockArgRow{"__new_sem_wait_slow64", false, "sem", Form::kLockAddress, Op::kNone},
    LockArgRow{"__new_sem_wait_slow", false, "sem", Form::kLockAddress, Op::kNone},
    LockArgRow{"do_futex_wait", false, "sem", Form::kLockAddress, Op::kNone},
    LockArgRow{"sem_timedwait", false, "sem", Form::kLockAddress, Op::kNone},
    // threadid=140649867704000: the joined thread's pthread_t, in decimal (glibc 2.36).
    LockArgRow{"__pthread_clockjoin_ex", false, "threadid", Form::kThreadHandle, Op::kNone},
    LockArgRow{"__pthread_timedjoin_ex", false, "threadid", Form::kThreadHandle, Op::kNone},
    LockArgRow{"pthread_join", false, "threadid", Form::kThreadHandle, Op::kNone},
    LockArgRow{"__pthread_join", false, "threadid", Form::kThreadHandle, Op::kNone},
    LockArgRow{"pthread_timedjoin_np", false, "threadid", Form::kThreadHandle, Op::kNone},
    LockArgRow{"pthread_clockjoin_np", false, "threadid", Form::kThreadHandle, Op::kNone},

    // --- libstdc++ frames compiled into the program (keep -g arguments without libc debug info) --
    // __gthread_mutex_lock (__mutex=0x… <m_alpha>) (cpp_mutex.gdb-nodebug).
    LockArgRow{"__gthread_mutex_lock", false, "__mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"__gthread_recursive_mutex_lock", false, "__mutex", Form::kLockAddress, Op::kNone},
    LockArgRow{"__gthread_mutex_timedlock", false, "__mutex", Form::kLockAddress, Op::kNone},
    // std::mutex::lock (this=0x… <m_alpha>): std::mutex holds its pthread_mutex_t at offset 0.
    LockArgRow{"std::mutex::lock", false, "this", Form::kLockAddress, Op::kNone},
    LockArgRow{"std::recursive_mutex::lock", false, "this", Form::kLockAddress, Op::kNone},
    LockArgRow{"std::timed_mutex::lock", false, "this", Form::kLockAddress, Op::kNone},
    LockArgRow{"std::recursive_timed_mutex::lock", false, "this", Form::kLockAddress, Op::kNone},
    // std::__glibcxx_rwlock_rdlock (__rwlock=0x… <sm_table>) (cpp_shared_mutex.gdb-nodebug).
    LockArgRow{"std::__glibcxx_rwlock_rdlock", false, "__rwlock", Form::kLockAddress, Op::kNone},
    LockArgRow{"std::__glibcxx_rwlock_wrlock", false, "__rwlock", Form::kLockAddress, Op::kNone},
    // std::shared_mutex holds its pthread_rwlock_t at offset 0 (this=0x… <sm_table>).
    LockArgRow{"std::__shared_mutex_pthread::lock_shared", false, "this", Form::kLockAddress,
               Op::kNone},
    LockArgRow{"std::__shared_mutex_pthread::lock", false, "this", Form::kLockAddress, Op::kNone},
    LockArgRow{"std::shared_mutex::lock_shared", false, "this", Form::kLockAddress, Op::kNone},
    LockArgRow{"std::shared_mutex::lock", false, "this", Form::kLockAddress, Op::kNone},
    LockArgRow{"std::condition_variable::wait", false, "this", Form::kLockAddress, Op::kNone},
    LockArgRow{"__gthread_cond_wait", false, "__cond", Form::kLockAddress, Op::kNone},
    // RAII guards: this= is the guard, __m= the mutex (a reference: "..." unless
    // `-frame-arguments all`, which prints "@0x…: {…__owner = 4834…}").
    LockArgRow{"std::lock_guard<", true, "__m", Form::kReference, Op::kNone},
    LockArgRow{"std::unique_lock<", true, "__m", Form::kReference, Op::kNone},
    LockArgRow{"std::shared_lock<", true, "__m", Form::kReference, Op::kNone},
    LockArgRow{"std::scoped_lock<", true, "__m", Form::kReference, Op::kNone},
};

// Where each wait sleeps inside its lock (glibc struct_mutex.h, struct_rwlock.h ≥ 2.25; same
// offsets on x86_64 and aarch64).
struct FutexOffsetRow {
  WaitOp op;
  uint64_t offset;
};
constexpr std::array kFutexOffsets = {
    // pthread_mutex_t.__data.__lock at 0: futex_word=0x… <m_alpha>.
    FutexOffsetRow{Op::kMutexLock, 0},
    // Readers sleep on __wrphase_futex at 8: futex_word=0x…c8 <rw_table+8> (rwlock.gdb-full).
    FutexOffsetRow{Op::kRwlockRead, 8},
    // Writers sleep on __writers_futex at 12: futex_word=0x…cc <rw_table+12>.
    FutexOffsetRow{Op::kRwlockWrite, 12},
    // (Conditions sleep on __g_signals[g] at 40 or 44, depending on the group: no single offset;
    // their cond= argument is always printed beside it. Joins sleep in the joined thread.)
};

// glibc's C library itself, by the start of its file name.
constexpr std::array<std::string_view, 2> kLibcFiles = {
    "libc.so",  // glibc 2.34+: everything, incl. the former libpthread
    "libc-2.",  // glibc's older file names (libc-2.17.so)
};

// The other shared objects of the C/C++ runtime, by the start of their file name.
constexpr std::array<std::string_view, 13> kRuntimeModules = {
    "libpthread.so",      // glibc < 2.34 ("from /lib64/libpthread.so.0")
    "libpthread-2.",      // its older file name
    "ld-linux",           // the dynamic loader (ld-linux-x86-64.so.2)
    "ld-2.",              // its older file name
    "libstdc++.so",       // "?? () from …/libstdc++.so.6", "std::thread::join() () from …"
    "libc++.",            // libc++ (libc++.so.1, libc++.1.dylib)
    "libc++abi.",         // libc++'s ABI library
    "libgcc_s.so",        // unwinder
    "libsystem_",         // macOS libsystem_kernel, libsystem_pthread, libsystem_c
    "libdispatch.dylib",  // macOS Grand Central Dispatch
    "libdyld.dylib",      // macOS loader (start)
    "dyld",               // macOS loader
    "libmusl",            // musl libc
};

// Function names of the runtime wherever they are compiled (libstdc++ templates are inlined into
// the program, which has -g info and no "from"), by prefix.
constexpr std::array<std::string_view, 26> kRuntimePrefixes = {
    "std::",              // libstdc++/libc++ templates (lock_guard, __invoke_impl, _State_impl)
    "__gnu_cxx::",        // libstdc++ extensions
    "__cxxabiv1::",       // C++ ABI runtime
    "__gthread_",         // libstdc++'s gthr-default.h wrappers of pthread
    "__futex_",           // glibc futex internals (futex-internal.c)
    "futex_",             // glibc futex_wait and friends (futex-internal.h)
    "__lll_",             // glibc low-level locks (lowlevellock.c)
    "lll_",               // glibc 2.34+ lll_mutex_lock_optimized
    "_L_lock_",           // glibc < 2.34 out-of-line lock stubs (_L_lock_791)
    "_L_unlock_",         // … and unlock stubs
    "_L_cond_lock_",      // … and the condvar's re-lock stubs
    "__pthread_",         // glibc pthread internals (__pthread_clockjoin_ex)
    "___pthread_",        // glibc 2.34+ versioned entry points (___pthread_mutex_lock)
    "pthread_",           // the pthread API itself
    "_pthread_",          // macOS libsystem_pthread internals
    "__psynch_",          // macOS kernel traps for mutexes, rwlocks, conditions
    "__ulock_",           // macOS kernel trap for joins and os_unfair_lock
    "__semwait_",         // macOS kernel trap for semaphores and old joins
    "semaphore_",         // macOS Mach semaphores
    "_dispatch_",         // macOS libdispatch internals
    "__libc_",            // glibc internals (__libc_start_main, __libc_pause)
    "__new_sem_",         // glibc semaphores
    "__sem_",             // glibc semaphores (timed)
    "sem_",               // the semaphore API
    "__clock_nanosleep",  // glibc sleeps (__GI___clock_nanosleep)
    "__nanosleep",        // glibc sleeps (__GI___nanosleep)
};

// Exact runtime function names that no prefix above covers.
constexpr std::array<std::string_view, 18> kRuntimeFunctions = {
    "start_thread",             // every thread's base (pthread_create.c)
    "clone",                    // below start_thread (glibc < 2.34)
    "clone3",                   // below start_thread (glibc 2.34+)
    "__clone",                  // lldb's __GI___clone
    "__clone3",                 // eu-stack's __clone3
    "__clone_internal",         // glibc 2.34+
    "_start",                   // below main in a stripped program
    "thread_start",             // macOS thread base
    "sleep",                    // sleep() without libc debug info
    "__sleep",                  // sleep() with it (sysdeps/posix/sleep.c)
    "nanosleep",                // nanosleep() without libc debug info
    "clock_nanosleep",          // clock_nanosleep() without libc debug info
    "usleep",                   // usleep()
    "pause",                    // pause() without libc debug info (join_cycle main)
    "do_futex_wait",            // glibc semaphores (sem_waitcommon.c)
    "syscall",                  // syscall(2) wrapper
    "<signal handler called>",  // gdb's marker for a signal frame
    "__restore_rt",             // the signal trampoline
};

template <typename Row, size_t N>
const Row* find_row(const std::array<Row, N>& table, std::string_view function) {
  static const auto* exact = [&] {
    auto* map = new std::unordered_map<std::string_view, const Row*>();
    for (const Row& row : table) {
      if (!row.prefix) map->emplace(row.function, &row);  // the first row of a name wins
    }
    return map;
  }();
  if (auto it = exact->find(function); it != exact->end()) return it->second;
  for (const Row& row : table) {
    if (row.prefix && function.substr(0, row.function.size()) == row.function) return &row;
  }
  return nullptr;
}

std::string_view basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

ResourceKind kind_of(WaitOp op) {
  switch (op) {
    case Op::kMutexLock:
      return ResourceKind::kMutex;
    case Op::kRwlockRead:
    case Op::kRwlockWrite:
      return ResourceKind::kRwlock;
    case Op::kCondWait:
    case Op::kJoin:
      return ResourceKind::kCondition;
    case Op::kSemWait:
      return ResourceKind::kSemaphore;
    case Op::kNone:
      break;
  }
  return ResourceKind::kUnknown;
}

std::string_view describe(WaitOp op) {
  switch (op) {
    case Op::kMutexLock:
      return "mutex lock";
    case Op::kRwlockRead:
      return "rwlock read lock";
    case Op::kRwlockWrite:
      return "rwlock write lock";
    case Op::kCondWait:
      return "condition wait";
    case Op::kSemWait:
      return "semaphore wait";
    case Op::kJoin:
      return "thread join";
    case Op::kNone:
      break;
  }
  return "";
}

std::string_view normalize_function(std::string_view f) {
  // eu-stack: "__pthread_mutex_lock@GLIBC_2.2.5", "__libc_start_main@@GLIBC_2.34".
  if (size_t at = f.find('@'); at != std::string_view::npos && at > 0) f = f.substr(0, at);
  // glibc's hidden internal aliases: __GI___pthread_mutex_lock is __pthread_mutex_lock.
  while (f.starts_with("__GI_") && f.size() > 5) f.remove_prefix(5);
  if (f.ends_with(" const")) f.remove_suffix(6);
  // A trailing parameter list: "std::thread::join()", lldb's "…::wait(std::__1::unique_lock<…>&)".
  if (f.ends_with(")") && !f.ends_with("operator()")) {
    int depth = 0;
    for (size_t i = f.size(); i-- > 0;) {
      if (f[i] == ')') {
        ++depth;
      } else if (f[i] == '(' && --depth == 0) {
        if (i > 0) f = f.substr(0, i);
        break;
      }
    }
  }
  return f;
}

const WaitFrameRow* find_wait_frame(std::string_view function) {
  return find_row(kWaitFrames, function);
}

LockArgRows find_lock_args(std::string_view function) {
  static const auto* exact = [] {
    auto* map = new std::unordered_map<std::string_view, LockArgRows>();
    for (const LockArgRow& row : kLockArgs) {
      if (row.prefix) continue;
      LockArgRows& rows = (*map)[row.function];
      if (rows.count < rows.rows.size()) rows.rows[rows.count++] = &row;
    }
    return map;
  }();
  if (auto it = exact->find(function); it != exact->end()) return it->second;
  LockArgRows rows;
  for (const LockArgRow& row : kLockArgs) {
    if (row.prefix && function.starts_with(row.function) && rows.count < rows.rows.size()) {
      rows.rows[rows.count++] = &row;
    }
  }
  return rows;
}

std::optional<uint64_t> futex_word_offset(WaitOp op) {
  for (const FutexOffsetRow& row : kFutexOffsets) {
    if (row.op == op) return row.offset;
  }
  return std::nullopt;
}

bool is_libc_file(std::string_view path) {
  std::string_view name = basename(path);
  for (std::string_view prefix : kLibcFiles) {
    if (name.starts_with(prefix)) return true;
  }
  return false;
}

bool is_runtime_module(std::string_view module) {
  if (module.empty()) return false;
  if (is_libc_file(module)) return true;
  std::string_view name = basename(module);
  for (std::string_view prefix : kRuntimeModules) {
    if (name.starts_with(prefix)) return true;
  }
  return false;
}

bool is_runtime_frame(std::string_view function, std::string_view module) {
  if (is_runtime_module(module)) return true;
  std::string_view f = normalize_function(function);
  if (f == "??" || f.empty()) return false;  // unknown code outside any runtime module
  for (std::string_view prefix : kRuntimePrefixes) {
    if (f.starts_with(prefix)) return true;
  }
  for (std::string_view name : kRuntimeFunctions) {
    if (f == name) return true;
  }
  return find_wait_frame(f) != nullptr || find_lock_args(f).count > 0;
}

}  // namespace dla::glibc
