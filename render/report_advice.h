// What the postmortem suggests for each pattern: the patch (with the finding's real locks,
// functions and lines), the guard that would have caught it in that language, and a reproducer
// test skeleton. One row per pattern (render/report_advice.cpp), each row tested; the report
// (render/report.cpp) only fills in the names. Suggestions, never facts: the report says so.
#pragma once

#include <string>
#include <vector>

#include "graph/patterns.h"

namespace dla {

// The language advice and sketches are written in, from the file's extension. Not
// graph/lock_idioms.h's SourceLanguage, the syntax family the source readers parse (C and C++
// alike).
enum class Language : uint8_t { kGo, kJava, kC, kCpp, kUnknown };
const char* to_string(Language language);  // "Go", "Java", "C", "C++", "the program's language"
// The language of a source file by its extension ("main.go", "Foo.java", "x.cpp"); kUnknown
// when the extension says nothing.
Language language_of_file(std::string_view path);

// One task of a cycle, in wait-for order: it holds `held` (`held_where`: "taken at main.go:42")
// and waits for `wanted` (at `wanted_at`) in `function`. Locks and functions are plain text (the
// advice quotes them); `task`, `held_where` and `wanted_at` are Markdown; "" when not known.
struct CycleStep {
  std::string task;                       // `goroutine 21`
  std::string function;                   // `main.reserveThenBill`
  std::string held, held_where, held_in;  // the lock it holds, where it took it, in which function
  std::string wanted, wanted_at;          // the lock it waits for, where
  std::vector<std::string> callers;       // the functions that called `function`, nearest first
  bool held_is_symbol = false;            // `held`/`wanted` are source names (usable in code)
  bool wanted_is_symbol = false;
};

// A waiter that can never wake (or a bunch of suspects at one place).
struct WaitSite {
  std::string who;         // `goroutine 19`, `500 goroutines (19, 20, 21, …)`
  std::string function;    // `main.(*Watcher).run`
  std::string place;       // `main.go:33`
  std::string waits_on;    // `channel`, `sync.WaitGroup`
  std::string created_by;  // `main.handleSignups`, "" when the dump does not say
};

struct AdviceInput {
  Pattern pattern = Pattern::kLockOrderInversion;
  Language language = Language::kUnknown;
  std::vector<CycleStep> cycle;  // cycle patterns
  WaitSite wait;                 // wait patterns
};

// Section 7: Markdown prose and a code sketch.
std::string patch_markdown(const AdviceInput& in);
// Section 8: the guards for this pattern in this language, as Markdown list items.
std::string guard_markdown(Pattern pattern, Language language);
// Section 9: a test skeleton in the program's language that fails instead of hanging.
std::string test_markdown(const AdviceInput& in);

}  // namespace dla
