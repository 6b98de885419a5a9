// Source evidence: what a frame's own source says about locks. A Go sync.Mutex records no owner,
// so the holder of a lock is found by reading the function around each frame's line: the
// X.Lock() calls before that line that no X.Unlock() undid (a deferred unlock runs only on
// return, so it still holds). Files are read once and cached; --source-root rewrites paths.
// The lock idioms are a table per language; Go's is here, C/C++ and Java can join it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dla {

// Finds and caches source files. A root "OLD=NEW" rewrites a path prefix (like panicparse's
// rebase; a file under OLD is then looked for only under NEW); a root "DIR" looks a file up under
// DIR by its last path elements. Otherwise a file is read at the path the dump printed.
class SourceFiles {
 public:
  explicit SourceFiles(std::vector<std::string> roots = {});
  // The file's lines (0-based), or nullptr when it cannot be read.
  const std::vector<std::string_view>* lines(std::string_view path);
  // Paths asked for that could not be read, in the order first asked.
  const std::vector<std::string>& missing() const { return missing_; }

 private:
  struct File {
    std::string text;
    std::vector<std::string_view> lines;
  };
  std::optional<std::string> read(const std::string& path) const;
  std::vector<std::pair<std::string, std::string>> rewrites_;
  std::vector<std::string> search_dirs_;
  std::map<std::string, std::unique_ptr<File>, std::less<>> cache_;
  std::vector<std::string> missing_;
};

// One lock call found in source.
struct LockCall {
  std::string expression;  // "inventory.mu", "s.mu", "mu"
  int line = 0;            // 1-based
  bool shared = false;     // RLock
  bool release = false;    // Unlock / RUnlock
  bool deferred = false;   // "defer X.Unlock()"
};

// The Go function enclosing a line: where its body starts, its receiver and parameter names.
struct GoFunction {
  int header_line = 0;              // 1-based line of "func …"
  std::string receiver;             // "s" in "func (s *Store) Len()"; empty for plain functions
  std::vector<std::string> params;  // parameter names in order ("_" for unnamed)
};

// The innermost function (declaration or literal) whose body contains `line` (1-based).
std::optional<GoFunction> go_function_at(const std::vector<std::string_view>& lines, int line);

// Locks taken in `fn` before `line` and not released by then, in the order taken.
std::vector<LockCall> go_locks_held_at(const std::vector<std::string_view>& lines,
                                       const GoFunction& fn, int line);

// The lock call on `line` itself ("billing.mu" of "billing.mu.Lock()"), if it has one.
std::optional<LockCall> go_lock_call_on(const std::vector<std::string_view>& lines, int line);

// Whether `name` is declared inside `fn` before `line` (":=", "var", range), i.e. a local.
bool go_declares_local(const std::vector<std::string_view>& lines, const GoFunction& fn, int line,
                       std::string_view name);

// On `line`, the call of `callee` (a method or function name): its receiver expression (for
// "x.y.Callee(" → "x.y") and its argument expressions. nullopt when the line has no such call.
struct GoCall {
  std::string receiver;
  std::vector<std::string> args;
};
std::optional<GoCall> go_call_on(const std::vector<std::string_view>& lines, int line,
                                 std::string_view callee);

}  // namespace dla

namespace dla {

// --- C and C++ ----------------------------------------------------------------------------------
// pthread_mutex_lock(&x) … pthread_mutex_unlock(&x), pthread_rwlock_{rd,wr}lock, C11 mtx_lock,
// x.lock() / x->lock(), and the scoped guards std::lock_guard / unique_lock / scoped_lock /
// shared_lock, which hold until their block ends (guard.unlock() releases early). Expressions
// are normalised: "&from->lock" → "from.lock".

// The C/C++ function whose body contains `line`: its header line and parameter names.
struct CFunction {
  int header_line = 0;
  std::vector<std::string> params;
};
std::optional<CFunction> c_function_at(const std::vector<std::string_view>& lines, int line);

std::vector<LockCall> c_locks_held_at(const std::vector<std::string_view>& lines,
                                      const CFunction& fn, int line);
std::optional<LockCall> c_lock_call_on(const std::vector<std::string_view>& lines, int line);
bool c_declares_local(const std::vector<std::string_view>& lines, const CFunction& fn, int line,
                      std::string_view name);
// Whether `name` is declared at file scope (a line at column 0 declaring it), i.e. a global.
bool c_declares_global(const std::vector<std::string_view>& lines, std::string_view name);

}  // namespace dla
