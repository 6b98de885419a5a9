// How graph/diff recognises the same thing in two snapshots, each with its own string pool (so
// by text, never by StrId): a task by its identity, a stack by its signature.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/model.h"

namespace dla {

// What names one task across dumps of one process. Go: the goroutine id (never reused by the
// runtime). JVM: the thread name as the dump prints it and its nid (a restarted thread of the
// same name is another thread). Native: the LWP (gdb numbers threads anew on every attach).
struct TaskIdentity {
  std::string_view id;      // empty when the LWP alone names the task
  int64_t lwp = INT64_MIN;  // INT64_MIN: not printed
  bool operator==(const TaskIdentity&) const = default;
};
TaskIdentity identity_of(const Snapshot& s, const Task& t);
std::string identity_text(const Snapshot& s, const Task& t);

// False for dumps whose records stand for several tasks and carry only a position (Go debug=1
// records, "@N" by DESIGN.md): nothing in them can be followed one by one.
bool has_identities(const Snapshot& s);

// One snapshot's tasks by identity.
class IdentityIndex {
 public:
  explicit IdentityIndex(const Snapshot& s);
  // The task of this snapshot with the identity that `t` has in `other`, or kNone.
  TaskIndex find(const Snapshot& other, const Task& t) const;

 private:
  // Goroutine ids are small numbers counted up from 1: a 100k-goroutine dump is indexed by a
  // plain vector (a hash map's node walk per lookup, three cache misses, was most of a diff).
  // Empty when the ids are not all such numbers; then the map below is used.
  std::vector<TaskIndex> by_number_;

  struct Hash {
    size_t operator()(const TaskIdentity& k) const {
      return std::hash<std::string_view>()(k.id) ^
             (static_cast<size_t>(k.lwp) * 0x9e3779b97f4a7c15ULL);
    }
  };
  std::unordered_map<TaskIdentity, TaskIndex, Hash> index_;
};

// The frames a stack signature compares. All of them, except what a runtime shows only at some
// traceback levels: Go prints package runtime's frames and the wrapper a `go f(x)` statement
// compiles to only in crashes, SIGQUIT dumps and GOTRACEBACK=system, not in runtime.Stack or
// debug=2 output, so a goroutine's stack would not match itself across the two.
class SignatureFrames {
 public:
  SignatureFrames(const Snapshot& s, const Task& t);
  // The next compared frame, innermost first; nullptr after the last.
  const Frame* next();

 private:
  bool hidden(const Frame& f) const;
  const Snapshot& s_;
  const Frame* at_;
  const Frame* end_;
  bool go_;
};

// Same state and the same functions at the same files and lines, innermost first: argument
// values, addresses, pcs and times play no part, so a stack matches itself in a later dump.
bool same_stack(const Snapshot& a, const Task& ta, const Snapshot& b, const Task& tb);
uint64_t stack_signature(const Snapshot& s, const Task& t);

// Distinct stacks across snapshots, numbered in order of first sight.
class StackTable {
 public:
  // The number of the stack of task `t` of `s` (the snapshot at `position`), added if new.
  uint32_t find_or_add(const Snapshot& s, TaskIndex t, uint32_t position);

 private:
  struct Entry {
    uint32_t position;
    TaskIndex task;
  };
  std::vector<const Snapshot*> snapshots_;
  std::vector<Entry> entries_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> by_signature_;
};

}  // namespace dla
