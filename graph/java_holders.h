// The Java holder inference's state and passes (resolve_java.h says what it infers and from what),
// shared by its parts: graph/resolve_java.cpp (the frames, keys, waiters and lock wrappers),
// graph/java_holds.cpp (the holds read at each frame, refuted ones dropped, warnings) and
// graph/java_signallers.cpp (waiters whose every signaller is stuck).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/java_program.h"
#include "graph/lock_idioms.h"
#include "graph/model.h"
#include "graph/snapshot_builder.h"
#include "graph/source_code.h"
#include "graph/source_files.h"

namespace dla::java {

// What releases one kind of wait (a row of java_signallers.cpp's kSignals).
struct SignalRow {
  std::string_view blocker;  // the park blocker's class, or the waiting frame's function
  std::array<std::string_view, 2> signals;
  std::string_view what;  // for messages
};

// --- A frame as the source sees it.

struct JavaFrame {
  const SourceText* file = nullptr;
  std::optional<FunctionScope> fn;
  std::vector<std::string> classes;  // "Warehouse$Auditor" → {"Warehouse", "Auditor"}
  std::string method;                // "audit", "lambda$run$0"
  bool lambda = false;
  bool anonymous = false;  // the innermost class is "$1"
};

struct Key {
  std::string key;
  std::optional<bool> view_shared;  // the expression named a read or write view
  std::string init;                 // the last field's initializer ("new Semaphore(1)")
};

class JavaHolders {
 public:
  JavaHolders(Snapshot& s, SourceFiles& sources) : s_(s), b_(s), src_(sources) {}

  void run();

 private:
  // --- Wait modes: which side of a read/write lock a parked thread asks for (its JDK frames).
  void set_wait_modes();

  bool has_java_frames() const;

  bool is_app(uint32_t frame) const;

  JavaFrame& frame_facts(uint32_t frame);

  static std::vector<std::string_view> split(std::string_view s, char sep);

  std::optional<uint32_t> caller_of(uint32_t frame) const;

  std::optional<std::string> local_type(uint32_t frame, std::string_view name);

  int param_index(const JavaFrame& jf, std::string_view name) const;

  std::optional<CallSite> only_call(const SourceText& file, int line, const std::string& method);

  std::optional<std::string> this_key(uint32_t frame, const std::string& cls, int depth);

  std::optional<Key> key_of(uint32_t frame, const std::string& expression, int depth);

  // --- Pass 1: the lock each waiter stands at is keyed by what it waits at.
  static bool target_fits(IdiomTarget target, ResourceKind kind);

  void tie_waiters();

  void tie(const std::string& key, ResourceIndex r);

  // --- Lock wrappers: what a call of a program method leaves held or released, in the caller's
  // terms.
  CallEffects java_effects();

  struct WrapperEffect {
    LockCall call;
    std::string cls;  // the callee's class
    bool is_static;   // the expression's root is a static field (or a class)
    bool own_field;   // the root is an instance field of the callee's class
  };

  std::vector<LockCall> java_call_effects(std::string_view callee, const std::string& receiver);

  static bool same_effects(const std::vector<WrapperEffect>& a,
                           const std::vector<WrapperEffect>& b);

  // --- Pass 2: what each frame holds at its line, tied by key.
  void infer_holds();

  bool only_permit_with(TaskIndex holder, ResourceIndex r, const Key& k);

  bool may_have_released(const Task& task, uint32_t index, const LockCall& held);

  bool releases(const std::string& name, int depth);

  // --- Pass 3: a source hold that the lock records or the lock's rules refute is dropped.
  void drop_contradictions();

  void warn_dropped(ResourceIndex r, size_t h, const std::string& why);

  std::string describe(ResourceIndex r) const;

  // --- Pass 4: waiters whose every possible signaller is stuck.

  // What a thread may still run: the rest of each program frame's function (all of it when the
  // line is in a loop), and every program method those call, by name. nullopt: code not read.
  struct Reach {
    std::vector<std::pair<const SourceText*, std::pair<int, int>>> ranges;  // 1-based lines
    std::vector<uint32_t> frame_of;                                         // per range
  };

  std::optional<Reach> reach_of(TaskIndex t);

  static bool wakes_anyone(const std::string& code);

  static std::optional<std::pair<uint32_t, int>> signal_in(const Reach& reach, const SignalRow& row,
                                                           bool wakers = false);

  bool signal_in_callback(const SignalRow& row);

  static bool anonymous_around(const SourceText& f, int line);

  void infer_signallers();

  // --- Waiters still without a holder: say why.
  void warn_unresolved();

  Snapshot& s_;
  SnapshotBuilder b_;
  SourceFiles& src_;
  std::optional<Program> program_;
  std::map<uint32_t, JavaFrame> frames_;
  std::map<std::string, ResourceIndex> tie_;
  std::set<std::string> conflicting_;
  std::vector<std::string> unkeyed_;
  std::string why_;
  std::map<std::string, bool> callback_;
  std::map<std::string, bool> releases_;
  std::map<std::string, std::vector<WrapperEffect>> wrappers_;
  std::set<std::string> wrapping_;
  std::string current_class_;  // the class of the frame being read, for wrapper effects
  std::map<std::string, std::vector<LockCall>> held_cache_;
  std::set<std::string> visiting_;
};

}  // namespace dla::java
