// Lock idioms as data: how each language spells "take this lock" and "release it" in source, one
// row per spelling (Go's X.Lock(), C's pthread_mutex_lock(&x), C++'s std::lock_guard g(x), …).
// The source reader (graph/source_code) finds the calls of a line with these rows and replays
// them over a function's blocks; holder inference (graph/resolve_holders) ties what they name to
// the locks that waiters show. Adding an idiom = adding a row and its example, which the tests
// run (tests/lock_idioms_test.cpp).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dla {

// The syntax family the source readers parse: C and C++ are read alike (kC). Not
// render/report_advice.h's Language, which says what language to write advice in and keeps C
// apart from C++ (a sketch in one does not compile in the other).
enum class SourceLanguage : uint8_t { kGo, kC, kJava };

// How a call is written.
enum class IdiomShape : uint8_t {
  kMethod,       // EXPR.name() — Go's mu.Lock(), C++'s m.lock() / p->lock()
  kFunction,     // name(&EXPR) — the lock is the first argument: pthread_mutex_lock(&m)
  kFunctionAll,  // name(&A, &B, …) — every argument is a lock: std::lock(a, b)
  kGuard,        // TYPE<…> var(EXPR, …) / TYPE var{…}: a scoped guard over each argument
  kBlockHeader,  // name (EXPR) { … } — Java's synchronized: held inside the block it opens
};

// What the call takes: a lock (mutex, rwlock, java.util.concurrent Lock), a counting semaphore's
// permit, or an object's monitor (Java).
enum class IdiomTarget : uint8_t { kLock, kPermit, kMonitor };

enum class IdiomEffect : uint8_t {
  kAcquire,  // the lock is held after the call
  kRelease,  // the lock is released by the call
};

// How long an acquire lasts when no release follows.
enum class IdiomScope : uint8_t {
  kUntilRelease,  // until a release of the same lock (or the function's end)
  kBlock,         // until the enclosing block ends (a guard's destructor)
};

struct LockIdiom {
  SourceLanguage language;
  IdiomShape shape;
  std::string_view name;  // the method, function or guard type ("Lock", "pthread_mutex_lock")
  IdiomEffect effect;
  bool shared;  // a read lock (RLock, rdlock, lock_shared, shared_lock)
  IdiomScope scope;
  std::string_view example;   // a line the row matches, run by the tests
  std::string_view expected;  // the lock expression the example yields, as normalised
  IdiomTarget target = IdiomTarget::kLock;
  // Taken only when it returns true (Java tryLock, tryAcquire): counted only inside the block of
  // the `if` whose whole condition it is, never elsewhere.
  bool conditional = false;
};

std::span<const LockIdiom> lock_idioms();

// Java: a lock reached through a view of a ReentrantReadWriteLock or StampedLock —
// "rw.readLock().lock()" takes rw's read side. The view is stripped from the expression and sets
// the mode.
struct LockView {
  std::string_view suffix;  // ".readLock()"
  bool shared;
  std::string_view example;   // a line using it, run by the tests
  std::string_view expected;  // the expression it yields
};
std::span<const LockView> lock_views();

// Arguments of a guard that change what it does (std::defer_lock: bound, not taken; …).
enum class GuardTag : uint8_t {
  kPlain,
  kDeferLock,  // not taken now: a later guard.lock() takes it
  kAdoptLock,  // already taken by an earlier call: nothing changes
  kTryToLock,  // maybe taken: never counted as held
};
GuardTag guard_tag(std::string_view argument);

// One lock call found in a line of source.
struct LockCall {
  std::string expression;  // normalised: "inventory.mu", "*from.lock", "m_alpha", "this.mu_"
  int line = 0;            // 1-based
  bool shared = false;
  bool release = false;
  bool deferred = false;      // Go "defer X.Unlock()": runs on return, not before the line
  bool block_scoped = false;  // a guard: released when its block ends
  std::string guard;          // the guard variable ("lk"), for guard.unlock()/guard.lock()
  size_t column = 0;          // where the call starts in the line, to keep a line's calls in order
  IdiomTarget target = IdiomTarget::kLock;
  bool conditional = false;  // tryLock: held only inside the if it is the condition of
  bool opens_block = false;  // synchronized (x) { …: held inside the block the statement opens
};

// A guard variable seen earlier in the function and the lock it guards (for guard.unlock()).
struct GuardBinding {
  std::string guard;
  std::string expression;
  bool shared = false;
};

// The lock calls on one line of code (comments and literals already blanked), in the order they
// stand. `guards` holds the guard variables declared so far in the function; new ones are added.
std::vector<LockCall> find_lock_calls(SourceLanguage language, std::string_view code, int line,
                                      std::vector<GuardBinding>& guards);

// A lock expression in a comparable form. C and C++: the lock is the object the call's argument
// points to, so "&x" → "x", "p" → "*p", "&from->lock" → "*from.lock", "this->mu_" → "*this.mu_";
// spaces and redundant parentheses go. Go: selectors as written ("s.accounts[i].mu"). Empty
// when the expression is not a plain path (a call, arithmetic).
std::string normalize_lock_expression(SourceLanguage language, std::string_view argument,
                                      bool address_of_object);

}  // namespace dla
