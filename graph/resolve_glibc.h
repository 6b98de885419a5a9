// glibc / libstdc++ / libc++ / macOS libpthread knowledge as tables: which native frames mean
// "waits on a mutex, rwlock (read or write side), condition, semaphore, thread join", where the
// lock's address is among their printed arguments, where the futex word sits inside each lock, and
// which frames are the runtime's own. The native-dump parser tokenizes frames and looks their
// meaning up here; adding a glibc or libstdc++ spelling means adding a row. Each row names the
// version or capture it comes from (testdata/gdb/, testdata/gdb/transcribed/).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "graph/model.h"

namespace dla::glibc {

// What a blocked native thread is doing, as proven by a frame of its stack.
enum class WaitOp : uint8_t {
  kNone,         // nothing a table knows (running, sleeping, in I/O, or an unnamed libc frame)
  kMutexLock,    // pthread_mutex_lock and everything built on it (std::mutex)
  kRwlockRead,   // pthread_rwlock_rdlock (std::shared_mutex::lock_shared)
  kRwlockWrite,  // pthread_rwlock_wrlock (std::shared_mutex::lock)
  kCondWait,     // pthread_cond_wait (std::condition_variable::wait): waits to be signalled
  kSemWait,      // sem_wait
  kJoin,         // pthread_join (std::thread::join): waits for another thread to exit
};

// The resource kind a wait of this kind is on. A join is a wait for a one-shot event that exactly
// one thread (the joined one) can cause: a condition whose only possible signaller is known.
ResourceKind kind_of(WaitOp op);
// "mutex lock", "rwlock read lock", … for messages.
std::string_view describe(WaitOp op);

// A frame whose function proves what the thread waits for. The innermost such frame of a stack
// wins: after pthread_cond_wait is signalled it re-locks the mutex through
// __pthread_mutex_cond_lock, and then the thread waits for the mutex, not the condition.
struct WaitFrameRow {
  std::string_view function;  // normalized (see normalize_function)
  bool prefix;                // true: `function` is a prefix ("std::lock_guard<")
  WaitOp op;
};

// How an argument names the lock.
enum class ArgForm : uint8_t {
  kLockAddress,   // the lock's own address (mutex=, rwlock=, cond=, this= of std::mutex::lock)
  kFutexWord,     // the address of the futex word inside the lock (futex_word=, futex=): the
                  // lock's address is this minus futex_word_offset(op); unknown for other ops
  kReference,     // a C++ reference: "..." by default (address not printed), or
                  // "@0x…: {…contents…}" with `bt -frame-arguments all` (address and memory)
  kThreadHandle,  // the joined thread's pthread_t, decimal ("140649867704000") or hex
  kJoineeLwp,     // the joined thread's LWP: pthread_join waits on the futex pd->tid, whose
                  // expected value is the thread's LWP until the kernel clears it at exit
};

struct LockArgRow {
  std::string_view function;  // normalized
  bool prefix;
  std::string_view argument;  // argument name as printed ("mutex", "futex_word", "__m")
  ArgForm form;
  WaitOp only_for;  // the argument means the lock only for this wait (kNone: for any wait)
};

// Rows for one function: at most this many (a futex wait names both its word and expected value).
struct LockArgRows {
  std::array<const LockArgRow*, 4> rows{};
  size_t count = 0;
};

// The function as the tables spell it: without glibc's internal "__GI_" alias prefix, eu-stack's
// symbol version ("@GLIBC_2.2.5", "@@GLIBC_2.34"), a trailing parameter list
// ("std::thread::join()", lldb's "std::__1::mutex::lock()") and a trailing " const". A view into
// `printed`.
std::string_view normalize_function(std::string_view printed);

// The row proving a wait, or nullptr. `function` must be normalized.
const WaitFrameRow* find_wait_frame(std::string_view function);
// The rows telling where the lock is among this function's arguments. `function` normalized.
LockArgRows find_lock_args(std::string_view function);

// Offset of the futex word a waiter sleeps on inside the lock, for waits whose lock is found
// through a futex_word= argument; nullopt where it varies (a condition's two signal groups) or
// the word is not inside the lock (a join).
std::optional<uint64_t> futex_word_offset(WaitOp op);

// True for frames of the C/C++ runtime itself (libc, libpthread, libstdc++/libc++ internals,
// macOS libsystem): the first frame that is not is where a user looks. `module` is the shared
// object as printed ("/lib/x86_64-linux-gnu/libc.so.6", "libpthread.so.0"), empty if none;
// a "??" frame is the runtime's exactly when its module is.
bool is_runtime_frame(std::string_view function, std::string_view module);
bool is_runtime_module(std::string_view module);
// Whether a file (a path or a name) is glibc's C library: libc.so.6, or libc-2.17.so before 2.34.
bool is_libc_file(std::string_view path);

// pthread_mutex_t.__data.__owner values that name no thread (glibc struct_mutex.h, robust
// mutexes): the owner died and the mutex was marked inconsistent, or not recoverable.
inline constexpr int64_t kOwnerInconsistent = 0x7fffffff;
inline constexpr int64_t kOwnerNotRecoverable = 0x7ffffffe;

// pthread_join sleeps on the joined thread's descriptor field `tid` (struct pthread, at
// pthread_t + 0x2d0 on x86_64 from glibc 2.17 to 2.36). Matched with slack: a futex word within
// this many bytes after a thread's pthread_t, holding that thread's LWP, is its tid field.
inline constexpr uint64_t kThreadDescriptorSpan = 0x1000;

}  // namespace dla::glibc
