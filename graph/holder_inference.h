// The Go and C/C++ holder inference's state and passes (resolve_holders.h says what it infers and
// how), shared by its parts: graph/holder_keys.cpp (what the source says at a frame's line, lock
// wrappers, and the keys of an expression) and graph/resolve_holders.cpp (the passes: waiters
// tied by key, holds, contradictions, warnings). Internal to them.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/lock_idioms.h"
#include "graph/model.h"
#include "graph/snapshot_builder.h"
#include "graph/source_code.h"
#include "graph/source_files.h"

namespace dla::holders {

// A normalised lock expression taken apart: "*from.accounts[i].mu" → deref, "from",
// ".accounts[i].mu".
struct Expression {
  bool deref = false;  // C/C++: the object the root points to
  std::string root;
  std::string path;
};

Expression parse_expression(std::string_view e);
std::string join(const Expression& e);
// How a user reads a normalised expression: "*from.lock" → "from->lock", "*l" → "*l".
std::string display_expression(std::string_view e);

// The name a caller writes to call the function a frame runs: "main.(*Store).Len" → "Len",
// "Bank::transfer" → "transfer", "lock_it" → "lock_it"; empty for closures and lambdas, which
// are not called by name.
std::string_view callee_name(SourceLanguage language, std::string_view function);

// "app::Bank::transfer" → "Bank".
std::string_view class_of(std::string_view function);

// Holders from source, one engine for every language: see resolve_holders.h.
class HolderInference {
 public:
  HolderInference(Snapshot& s, SourceFiles& sources, SourceLanguage language)
      : s_(s), b_(s), src_(sources), lang_(language) {}

  void run();

 private:
  // --- What the source says at one line of one file, computed once however many tasks stand
  // there (100k goroutines share a few hundred lines).
  struct LineFacts {
    const SourceText* file = nullptr;
    std::optional<FunctionScope> fn;
    bool held_known = false;
    std::vector<LockCall> held;  // locks held at the line
    bool calls_known = false;
    std::vector<LockCall> calls;  // the acquiring calls on the line itself
  };

  LineFacts& facts(uint32_t frame);

  const std::vector<LockCall>& held_at(uint32_t frame);

  const std::vector<LockCall>& calls_at(uint32_t frame);

  // --- Lock wrappers: calls of the program's own functions that take or release a lock.
  struct Summary {
    bool known = false;
    bool computing = false;
    struct Definition {
      const SourceText* file;
      FunctionScope fn;
      std::vector<LockCall> effects;
    };
    std::vector<Definition> definitions;
  };

  CallEffects effects_in(const SourceText& file);

  Summary& summary_of(const SourceText& file, std::string_view name);

  std::vector<LockCall> call_effects(const SourceText& file, std::string_view callee,
                                     const std::string& receiver,
                                     const std::vector<std::string>& args);

  std::string in_caller_terms(const SourceText& file, const FunctionScope& fn,
                              const std::string& expression, const std::string& receiver,
                              const std::vector<std::string>& args);

  bool is_callee_local(const SourceText& file, const FunctionScope& fn, const std::string& root);

  // --- Where the root of an expression lives, as seen from one line.
  enum class Binding : uint8_t {
    kReceiver,     // Go method receiver
    kParameter,    // a parameter (Go by position, C/C++ by the name gdb prints)
    kThis,         // C++ "this"
    kLocal,        // declared in the function (or, for a Go literal, around it)
    kStaticLocal,  // C/C++ function-scope static: one object for every call
    kGlobal,       // file scope (C/C++), package level (Go)
    kImport,       // Go: another package's name ("config.Mu")
    kMember,       // C++: a data member of the method's class, reached through this
    kUnknown,
  };
  struct RootFacts {
    Binding binding = Binding::kUnknown;
    int param = -1;         // parameter number (kParameter)
    std::string qualified;  // kGlobal/kImport/kStaticLocal: the global's name for the key
  };

  const RootFacts& root_facts(uint32_t frame, const LineFacts& lf, const std::string& root);

  RootFacts& go_root_facts(const Frame& f, const LineFacts& lf, const std::string& root,
                           RootFacts& r);

  RootFacts& c_root_facts(const Frame& f, const LineFacts& lf, const std::string& root,
                          RootFacts& r);

  std::optional<ArgumentValue> argument_of(uint32_t frame, const LineFacts& lf, const RootFacts& r,
                                           const std::string& root);

  std::optional<std::string> created_with(uint32_t frame, int param);

  static std::optional<uint64_t> literal_value(const std::string& text);

  std::optional<std::string> resolve_indexes(uint32_t frame, const LineFacts& lf,
                                             const std::string& path);

  void keys(TaskIndex task, uint32_t frame, const std::string& expr, int from_line, int depth,
            bool up, bool down, std::vector<std::string>& out);

  void caller_keys(TaskIndex task, uint32_t frame, const LineFacts& lf, const RootFacts& r,
                   const Expression& e, int depth, std::vector<std::string>& out);

  void callee_keys(TaskIndex task, uint32_t frame, const Expression& e, int depth,
                   std::vector<std::string>& out);

  // --- Pass 1: every waiter ties the keys of what it waits for to the lock.
  static bool is_lock(ResourceKind k);

  ResourceIndex find(ResourceIndex r);

  void tie(const std::string& key, ResourceIndex r);

  void merge(ResourceIndex from, ResourceIndex to);

  void tie_waiters();

  void check_guessed_address(WaitEdge& w, const LockCall& call);

  const LockCall* waited_call(const WaitEdge& w);

  // --- Pass 2: every task's application frames: the locks each holds at its line.
  void infer_holds();

  // --- Pass 3: what a stronger witness or the locks' own rules refute.
  void drop_contradictions();

  static const char* evidence_name(Evidence e);

  void warn_dropped(ResourceIndex resource, const std::vector<size_t>& holds,
                    const std::string& why);

  std::string describe(ResourceIndex r) const;

  void warn_unresolved();

  Snapshot& s_;
  SnapshotBuilder b_;
  SourceFiles& src_;
  SourceLanguage lang_;
  std::unordered_map<std::string, ResourceIndex> tie_;
  std::set<std::string> conflicting_;
  std::vector<ResourceIndex> same_;
  std::unordered_map<uint64_t, LineFacts> facts_;
  std::unordered_map<std::string, RootFacts> roots_;
  std::unordered_map<std::string, Summary> summaries_;
  std::vector<bool> is_runtime_;  // per interned function name
};

}  // namespace dla::holders
