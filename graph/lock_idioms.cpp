#include "graph/lock_idioms.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "graph/text_util.h"

namespace dla {

namespace {

using L = SourceLanguage;
using S = IdiomShape;
using E = IdiomEffect;
using Sc = IdiomScope;

// One row per spelling. Go: sync.Mutex / sync.RWMutex (sync/mutex.go, sync/rwmutex.go). C: POSIX
// threads and C11 threads. C++: <mutex> and <shared_mutex> (std::mutex, std::shared_mutex and the
// guards; a guard variable's own lock()/unlock() act on its mutex).
constexpr std::array kIdioms = {
    // --- Go
    LockIdiom{L::kGo, S::kMethod, "Lock", E::kAcquire, false, Sc::kUntilRelease,
              "\tinventory.mu.Lock()", "inventory.mu"},
    LockIdiom{L::kGo, S::kMethod, "RLock", E::kAcquire, true, Sc::kUntilRelease, "s.cache.RLock()",
              "s.cache"},
    LockIdiom{L::kGo, S::kMethod, "Unlock", E::kRelease, false, Sc::kUntilRelease,
              "defer a.mu.Unlock()", "a.mu"},
    LockIdiom{L::kGo, S::kMethod, "RUnlock", E::kRelease, true, Sc::kUntilRelease,
              "s.cache.RUnlock()", "s.cache"},
    // --- C: POSIX and C11 threads; the argument points to the lock
    LockIdiom{L::kC, S::kFunction, "pthread_mutex_lock", E::kAcquire, false, Sc::kUntilRelease,
              "pthread_mutex_lock(&from->lock);", "*from.lock"},
    LockIdiom{L::kC, S::kFunction, "pthread_mutex_timedlock", E::kAcquire, false, Sc::kUntilRelease,
              "pthread_mutex_timedlock(&m_alpha, &deadline);", "m_alpha"},
    LockIdiom{L::kC, S::kFunction, "pthread_mutex_clocklock", E::kAcquire, false, Sc::kUntilRelease,
              "pthread_mutex_clocklock(l, CLOCK_MONOTONIC, &t);", "*l"},
    LockIdiom{L::kC, S::kFunction, "pthread_mutex_unlock", E::kRelease, false, Sc::kUntilRelease,
              "pthread_mutex_unlock(&pool[i].lock);", "pool[i].lock"},
    LockIdiom{L::kC, S::kFunction, "pthread_rwlock_rdlock", E::kAcquire, true, Sc::kUntilRelease,
              "pthread_rwlock_rdlock(&table_lock);", "table_lock"},
    LockIdiom{L::kC, S::kFunction, "pthread_rwlock_timedrdlock", E::kAcquire, true,
              Sc::kUntilRelease, "pthread_rwlock_timedrdlock(&t->rw, &ts);", "*t.rw"},
    LockIdiom{L::kC, S::kFunction, "pthread_rwlock_clockrdlock", E::kAcquire, true,
              Sc::kUntilRelease, "pthread_rwlock_clockrdlock(&rw, CLOCK_REALTIME, &ts);", "rw"},
    LockIdiom{L::kC, S::kFunction, "pthread_rwlock_wrlock", E::kAcquire, false, Sc::kUntilRelease,
              "pthread_rwlock_wrlock(&table_lock);", "table_lock"},
    LockIdiom{L::kC, S::kFunction, "pthread_rwlock_timedwrlock", E::kAcquire, false,
              Sc::kUntilRelease, "pthread_rwlock_timedwrlock(rw, &ts);", "*rw"},
    LockIdiom{L::kC, S::kFunction, "pthread_rwlock_clockwrlock", E::kAcquire, false,
              Sc::kUntilRelease, "pthread_rwlock_clockwrlock(&rw, CLOCK_REALTIME, &ts);", "rw"},
    // pthread_rwlock_unlock releases either side: the replay matches it to the held one.
    LockIdiom{L::kC, S::kFunction, "pthread_rwlock_unlock", E::kRelease, false, Sc::kUntilRelease,
              "pthread_rwlock_unlock(&table_lock);", "table_lock"},
    LockIdiom{L::kC, S::kFunction, "pthread_spin_lock", E::kAcquire, false, Sc::kUntilRelease,
              "pthread_spin_lock(&spin);", "spin"},
    LockIdiom{L::kC, S::kFunction, "pthread_spin_unlock", E::kRelease, false, Sc::kUntilRelease,
              "pthread_spin_unlock(&spin);", "spin"},
    LockIdiom{L::kC, S::kFunction, "mtx_lock", E::kAcquire, false, Sc::kUntilRelease,
              "mtx_lock(&q->mtx);", "*q.mtx"},
    LockIdiom{L::kC, S::kFunction, "mtx_timedlock", E::kAcquire, false, Sc::kUntilRelease,
              "mtx_timedlock(&q->mtx, &ts);", "*q.mtx"},
    LockIdiom{L::kC, S::kFunction, "mtx_unlock", E::kRelease, false, Sc::kUntilRelease,
              "mtx_unlock(&q->mtx);", "*q.mtx"},
    // --- C++: member calls on a mutex (or on a guard, which acts on its mutex)
    LockIdiom{L::kC, S::kMethod, "lock", E::kAcquire, false, Sc::kUntilRelease,
              "  other.mu_.lock();", "other.mu_"},
    LockIdiom{L::kC, S::kMethod, "unlock", E::kRelease, false, Sc::kUntilRelease,
              "acct->mu.unlock();", "*acct.mu"},
    LockIdiom{L::kC, S::kMethod, "lock_shared", E::kAcquire, true, Sc::kUntilRelease,
              "table_mu.lock_shared();", "table_mu"},
    LockIdiom{L::kC, S::kMethod, "unlock_shared", E::kRelease, true, Sc::kUntilRelease,
              "table_mu.unlock_shared();", "table_mu"},
    // std::lock(a, b, …) takes every argument (with deadlock avoidance) until each is released.
    LockIdiom{L::kC, S::kFunctionAll, "std::lock", E::kAcquire, false, Sc::kUntilRelease,
              "std::lock(from.mu, to.mu);", "from.mu"},
    // --- C++ guards: held until the enclosing block ends
    LockIdiom{L::kC, S::kGuard, "lock_guard", E::kAcquire, false, Sc::kBlock,
              "std::lock_guard<std::mutex> guard(src.mu);", "src.mu"},
    LockIdiom{L::kC, S::kGuard, "unique_lock", E::kAcquire, false, Sc::kBlock,
              "std::unique_lock<std::mutex> lk{*m};", "*m"},
    LockIdiom{L::kC, S::kGuard, "scoped_lock", E::kAcquire, false, Sc::kBlock,
              "const std::scoped_lock both(a_mu, b_mu);", "a_mu"},
    LockIdiom{L::kC, S::kGuard, "shared_lock", E::kAcquire, true, Sc::kBlock,
              "std::shared_lock<std::shared_mutex> rd(this->table_);", "*this.table_"},
    // --- Java: java.util.concurrent.locks.Lock (ReentrantLock, a ReentrantReadWriteLock's
    // read/write view: see kViews), java.util.concurrent.Semaphore, and synchronized blocks.
    LockIdiom{L::kJava, S::kMethod, "lock", E::kAcquire, false, Sc::kUntilRelease,
              "        readLock.lock();", "readLock"},
    LockIdiom{L::kJava, S::kMethod, "lockInterruptibly", E::kAcquire, false, Sc::kUntilRelease,
              "writeLock.lockInterruptibly();", "writeLock"},
    LockIdiom{L::kJava, S::kMethod, "unlock", E::kRelease, false, Sc::kUntilRelease,
              "this.shipLock.unlock();", "this.shipLock"},
    // tryLock() / tryLock(time, unit): held only where it returned true.
    LockIdiom{L::kJava, S::kMethod, "tryLock", E::kAcquire, false, Sc::kUntilRelease,
              "if (lock.tryLock(1, TimeUnit.SECONDS)) {", "lock", IdiomTarget::kLock, true},
    // Semaphore: acquire() takes one permit, release() gives one back (any thread may).
    LockIdiom{L::kJava, S::kMethod, "acquire", E::kAcquire, false, Sc::kUntilRelease,
              "exportSlots.acquire();", "exportSlots", IdiomTarget::kPermit},
    LockIdiom{L::kJava, S::kMethod, "acquireUninterruptibly", E::kAcquire, false, Sc::kUntilRelease,
              "permits.acquireUninterruptibly();", "permits", IdiomTarget::kPermit},
    LockIdiom{L::kJava, S::kMethod, "tryAcquire", E::kAcquire, false, Sc::kUntilRelease,
              "if (slots.tryAcquire(5, TimeUnit.SECONDS)) {", "slots", IdiomTarget::kPermit, true},
    LockIdiom{L::kJava, S::kMethod, "release", E::kRelease, false, Sc::kUntilRelease,
              "exportSlots.release();", "exportSlots", IdiomTarget::kPermit},
    // synchronized (x) { … }: x's monitor, held inside the block.
    LockIdiom{L::kJava, S::kBlockHeader, "synchronized", E::kAcquire, false, Sc::kBlock,
              "        synchronized (registry) {", "registry", IdiomTarget::kMonitor},
};

// ReentrantReadWriteLock.readLock()/writeLock() (java.util.concurrent.locks), StampedLock's
// asReadLock()/asWriteLock(): one lock object, two modes.
constexpr std::array kViews = {
    LockView{".readLock()", true, "rw.readLock().lock();", "rw"},
    LockView{".writeLock()", false, "stockRw.writeLock().unlock();", "stockRw"},
    LockView{".asReadLock()", true, "stamped.asReadLock().lock();", "stamped"},
    LockView{".asWriteLock()", false, "stamped.asWriteLock().lockInterruptibly();", "stamped"},
};

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// The body of the parentheses (or braces) opening at `open`, or npos when they do not close on
// the line.
size_t matching_close(std::string_view s, size_t open) {
  char o = s[open];
  char c = o == '(' ? ')' : o == '{' ? '}' : o == '[' ? ']' : '>';
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == o) ++depth;
    if (s[i] == c && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// Whether `name` stands as a whole word at `pos` ("std::" qualifications allowed before it).
bool word_at(std::string_view s, size_t pos, std::string_view name) {
  if (s.substr(pos, name.size()) != name) return false;
  if (pos > 0 && is_ident(s[pos - 1])) return false;
  size_t end = pos + name.size();
  return end >= s.size() || !is_ident(s[end]);
}

size_t skip_blanks(std::string_view s, size_t pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  return pos;
}

// The start of the object expression that ends right before `end` (exclusive): identifiers,
// "." / "->" selectors, [index] and parentheses, walking left.
size_t expression_start(std::string_view s, size_t end) {
  size_t pos = end;
  while (pos > 0) {
    size_t p = pos;
    while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t')) --p;
    if (p == 0) break;
    char c = s[p - 1];
    if (is_ident(c)) {
      while (p > 0 && is_ident(s[p - 1])) --p;
      pos = p;
      // Continue over a selector before it.
      size_t q = p;
      while (q > 0 && (s[q - 1] == ' ' || s[q - 1] == '\t')) --q;
      if (q > 0 && s[q - 1] == '.') {
        pos = q - 1;
        continue;
      }
      if (q > 1 && s[q - 1] == '>' && s[q - 2] == '-') {
        pos = q - 2;
        continue;
      }
      if (q > 1 && s[q - 1] == ':' && s[q - 2] == ':') {  // a qualified name: std::cout, ns::g
        pos = q - 2;
        continue;
      }
      if (q > 0 && s[q - 1] == '*') {  // "(*p).mu": the '*' belongs to the expression
        size_t r = q - 1;
        while (r > 0 && (s[r - 1] == ' ' || s[r - 1] == '\t')) --r;
        if (r > 0 && s[r - 1] == '(') {
          pos = q - 1;
          continue;
        }
      }
      break;
    }
    if (c == ']' || c == ')') {
      // Back over the bracketed part.
      char open = c == ']' ? '[' : '(';
      int depth = 0;
      size_t k = p;
      while (k > 0) {
        --k;
        if (s[k] == c) ++depth;
        if (s[k] == open && --depth == 0) break;
      }
      if (depth != 0) break;
      pos = k;
      // A call "f(x).mu" is not a path; "(*p)" and "a[i]" are: the caller decides on the text.
      continue;
    }
    if (c == '(') {  // "(*p).mu" after consuming "*p"
      pos = p - 1;
      continue;
    }
    break;
  }
  return pos;
}

}  // namespace

std::span<const LockIdiom> lock_idioms() {
  return kIdioms;
}

std::span<const LockView> lock_views() {
  return kViews;
}

GuardTag guard_tag(std::string_view argument) {
  std::string_view a = trim_blanks(argument);
  if (a.starts_with("std::")) a.remove_prefix(5);
  if (a == "defer_lock") return GuardTag::kDeferLock;
  if (a == "adopt_lock") return GuardTag::kAdoptLock;
  if (a == "try_to_lock") return GuardTag::kTryToLock;
  return GuardTag::kPlain;
}

std::string normalize_lock_expression(SourceLanguage language, std::string_view argument,
                                      bool address_of_object) {
  // Drop blanks first: "& from -> lock" and "&from->lock" are one expression.
  std::string e;
  for (char c : argument) {
    if (c != ' ' && c != '\t') e += c;
  }
  if (e.empty()) return {};
  auto strip_parentheses = [&] {
    while (e.size() > 2 && e.front() == '(' && matching_close(e, 0) == e.size() - 1) {
      e = e.substr(1, e.size() - 2);
    }
  };
  strip_parentheses();
  int derefs = 0;
  if (address_of_object) {
    // The argument points to the lock: "&x" names x, "p" names *p.
    if (e[0] == '&') {
      e.erase(0, 1);
      strip_parentheses();
    } else {
      derefs = 1;
    }
  }
  while (!e.empty() && e[0] == '*') {  // "*p" as an object: one more dereference
    ++derefs;
    e.erase(0, 1);
    strip_parentheses();
  }
  // "(*p).x" → "p->x"
  if (e.size() > 3 && e[0] == '(' && e[1] == '*') {
    size_t close = matching_close(e, 0);
    if (close == std::string::npos) return {};
    std::string rest = e.substr(close + 1);
    if (rest.starts_with(".")) rest.erase(0, 1);
    e = e.substr(2, close - 2) + (rest.empty() ? "" : "->" + rest);
    if (rest.empty()) ++derefs;  // "(*p)" alone: the object p points to
  }
  // Now a path: root, then .field, ->field, [index]. "->" after the root is one dereference of
  // the root; anywhere later it would be a second one, which no identity can follow.
  std::string out;
  size_t i = 0;
  if (e.starts_with("this->")) {
    out = "this";
    i = 4;
  } else {
    while (i < e.size() && is_ident(e[i])) out += e[i++];
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) != 0) return {};
  bool first_selector = true;
  while (i < e.size()) {
    if (e[i] == '.') {
      out += '.';
      ++i;
    } else if (e.compare(i, 2, "->") == 0) {
      if (!first_selector) return {};
      ++derefs;
      out += '.';
      i += 2;
    } else if (e[i] == '[') {
      size_t close = matching_close(e, i);
      if (close == std::string::npos) return {};
      out += e.substr(i, close - i + 1);
      i = close + 1;
      first_selector = false;
      continue;
    } else {
      return {};  // a call, an operator: not a plain path
    }
    first_selector = false;
    size_t start = i;
    while (i < e.size() && is_ident(e[i])) ++i;
    if (i == start) return {};
    out += e.substr(start, i - start);
  }
  // Go dereferences implicitly; Java has references only.
  if (language == SourceLanguage::kGo || language == SourceLanguage::kJava) return out;
  if (derefs > 1) return {};
  return derefs == 1 ? "*" + out : out;
}

namespace {

void add_call(std::vector<LockCall>& out, const LockIdiom& row, std::string expression, int line,
              size_t column) {
  if (expression.empty()) return;
  LockCall call;
  call.expression = std::move(expression);
  call.line = line;
  call.shared = row.shared;
  call.release = row.effect == IdiomEffect::kRelease;
  call.block_scoped = row.scope == IdiomScope::kBlock;
  call.column = column;
  call.target = row.target;
  call.conditional = row.conditional;
  call.opens_block = row.shape == IdiomShape::kBlockHeader;
  out.push_back(std::move(call));
}

// EXPR.name() and, in C++, EXPR->name().
void find_methods(const LockIdiom& row, std::string_view code, int line,
                  const std::vector<GuardBinding>& guards, std::vector<LockCall>& out) {
  for (size_t pos = code.find(row.name); pos != std::string_view::npos;
       pos = code.find(row.name, pos + 1)) {
    if (!word_at(code, pos, row.name)) continue;
    size_t open = skip_blanks(code, pos + row.name.size());
    if (open >= code.size() || code[open] != '(') continue;
    size_t close = skip_blanks(code, open + 1);
    // lock() takes no arguments; Java's tryLock(time, unit) and tryAcquire(…) may.
    bool arguments_allowed = row.conditional;
    if (close >= code.size() || (code[close] != ')' && !arguments_allowed)) continue;
    size_t op = pos;
    while (op > 0 && (code[op - 1] == ' ' || code[op - 1] == '\t')) --op;
    bool arrow = op > 1 && code[op - 1] == '>' && code[op - 2] == '-';
    bool dot = op > 0 && code[op - 1] == '.';
    if (!dot && !(arrow && row.language == SourceLanguage::kC)) continue;
    size_t end = op - (arrow ? 2 : 1);
    size_t start = expression_start(code, end);
    std::string_view object = code.substr(start, end - start);
    // Java: "rw.readLock().lock()" takes rw, in the view's mode.
    std::optional<bool> view_shared;
    if (row.language == SourceLanguage::kJava) {
      std::string_view trimmed = trim_blanks(object);
      for (const LockView& v : kViews) {
        if (trimmed.size() > v.suffix.size() && trimmed.ends_with(v.suffix)) {
          object = trimmed.substr(0, trimmed.size() - v.suffix.size());
          view_shared = v.shared;
          break;
        }
      }
    }
    // "p->lock()" calls lock on *p; "x.lock()" on x.
    std::string expression = normalize_lock_expression(
        row.language, arrow ? std::string(object) : "&(" + std::string(object) + ")", true);
    // A guard's lock()/unlock() act on its mutex, in the guard's mode.
    bool guard_shared = false;
    for (const GuardBinding& g : guards) {
      if (g.guard == expression) {
        expression = g.expression;
        guard_shared = g.shared;
      }
    }
    size_t before = out.size();
    add_call(out, row, expression, line, start);
    if (out.size() > before && guard_shared) out.back().shared = true;
    if (out.size() > before && view_shared) out.back().shared = *view_shared;
    if (out.size() > before && row.language == SourceLanguage::kGo) {
      // "defer X.Unlock()": runs when the function returns, after the frame's line.
      std::string_view head = trim_blanks(code.substr(0, start));
      if (head.ends_with("defer") && (head.size() == 5 || !is_ident(head[head.size() - 6]))) {
        out.back().deferred = true;
      }
    }
  }
}

// name(&EXPR …) and name(&A, &B, …).
void find_functions(const LockIdiom& row, std::string_view code, int line,
                    std::vector<LockCall>& out) {
  for (size_t pos = code.find(row.name); pos != std::string_view::npos;
       pos = code.find(row.name, pos + 1)) {
    if (!word_at(code, pos, row.name)) continue;
    if (pos > 0 && (code[pos - 1] == '.' || code[pos - 1] == '>')) continue;  // a member call
    size_t open = skip_blanks(code, pos + row.name.size());
    if (open >= code.size() || code[open] != '(') continue;
    size_t close = matching_close(code, open);
    if (close == std::string_view::npos) continue;
    std::vector<std::string_view> args = split_top_level(code.substr(open + 1, close - open - 1));
    if (args.empty()) continue;
    if (row.shape == IdiomShape::kFunction) args.resize(1);
    for (std::string_view arg : args) {
      // std::lock(a, b) takes references to the locks; pthread_*(p) a pointer to one.
      bool pointer = row.shape == IdiomShape::kFunction;
      std::string expression = normalize_lock_expression(
          row.language, pointer ? arg : "&(" + std::string(trim_blanks(arg)) + ")", true);
      add_call(out, row, expression, line, pos);
    }
  }
}

// TYPE<…> var(EXPR, …), TYPE var{…}, auto var = TYPE<…>(…).
void find_guards(const LockIdiom& row, std::string_view code, int line,
                 std::vector<GuardBinding>& guards, std::vector<LockCall>& out) {
  for (size_t pos = code.find(row.name); pos != std::string_view::npos;
       pos = code.find(row.name, pos + 1)) {
    if (!word_at(code, pos, row.name)) continue;
    size_t next = skip_blanks(code, pos + row.name.size());
    if (next < code.size() && code[next] == '<') {
      size_t close = matching_close(code, next);
      if (close == std::string_view::npos) continue;
      next = skip_blanks(code, close + 1);
    }
    std::string guard;
    if (next < code.size() && is_ident(code[next])) {
      size_t start = next;
      while (next < code.size() && is_ident(code[next])) ++next;
      guard = std::string(code.substr(start, next - start));
      next = skip_blanks(code, next);
    } else {
      // "auto lk = std::unique_lock(m)": the variable stands before the '='.
      std::string_view head = trim_blanks(code.substr(0, pos));
      if (head.ends_with("std::")) head = trim_blanks(head.substr(0, head.size() - 5));
      if (!head.ends_with("=")) continue;
      head = trim_blanks(head.substr(0, head.size() - 1));
      size_t start = head.size();
      while (start > 0 && is_ident(head[start - 1])) --start;
      guard = std::string(head.substr(start));
      if (guard.empty()) continue;
    }
    if (next >= code.size() || (code[next] != '(' && code[next] != '{')) continue;
    size_t close = matching_close(code, next);
    if (close == std::string_view::npos) continue;
    std::vector<std::string_view> args = split_top_level(code.substr(next + 1, close - next - 1));
    GuardTag tag = GuardTag::kPlain;
    std::vector<std::string> locks;
    for (std::string_view arg : args) {
      GuardTag t = guard_tag(arg);
      if (t != GuardTag::kPlain) {
        tag = t;
        continue;
      }
      locks.push_back(normalize_lock_expression(row.language, "&(" + std::string(arg) + ")", true));
    }
    // lock_guard/unique_lock/shared_lock guard one lock; a second argument that is not a tag is
    // a timeout (try_lock_for): maybe taken, never counted.
    bool one_lock = row.name != "scoped_lock";
    if (one_lock && locks.size() > 1) tag = GuardTag::kTryToLock;
    if (one_lock && !locks.empty()) locks.resize(1);
    for (const std::string& lock : locks) {
      if (lock.empty()) continue;
      if (one_lock) guards.push_back({guard, lock, row.shared});
      if (tag == GuardTag::kPlain) {
        add_call(out, row, lock, line, pos);
        if (!out.empty()) out.back().guard = guard;
      }
    }
  }
}

// name (EXPR) — Java's synchronized (x): the monitor of x, held in the block that follows.
void find_block_headers(const LockIdiom& row, std::string_view code, int line,
                        std::vector<LockCall>& out) {
  for (size_t pos = code.find(row.name); pos != std::string_view::npos;
       pos = code.find(row.name, pos + 1)) {
    if (!word_at(code, pos, row.name)) continue;
    size_t open = skip_blanks(code, pos + row.name.size());
    if (open >= code.size() || code[open] != '(') continue;  // a synchronized method's modifier
    size_t close = matching_close(code, open);
    if (close == std::string_view::npos) continue;
    std::string_view argument = code.substr(open + 1, close - open - 1);
    add_call(out, row, normalize_lock_expression(row.language, argument, false), line, pos);
  }
}

}  // namespace

std::vector<LockCall> find_lock_calls(SourceLanguage language, std::string_view code, int line,
                                      std::vector<GuardBinding>& guards) {
  std::vector<LockCall> out;
  for (const LockIdiom& row : kIdioms) {
    if (row.language != language || code.find(row.name) == std::string_view::npos) continue;
    switch (row.shape) {
      case IdiomShape::kMethod:
        find_methods(row, code, line, guards, out);
        break;
      case IdiomShape::kFunction:
      case IdiomShape::kFunctionAll:
        find_functions(row, code, line, out);
        break;
      case IdiomShape::kGuard:
        find_guards(row, code, line, guards, out);
        break;
      case IdiomShape::kBlockHeader:
        find_block_headers(row, code, line, out);
        break;
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const LockCall& a, const LockCall& b) { return a.column < b.column; });
  return out;
}

}  // namespace dla
