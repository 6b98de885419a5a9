// Reading what a function's source says about locks, for Go, C/C++ and (issue 13) Java: the
// function around a line, the locks its body holds at that line, and where the names in a lock
// expression live (a parameter, a local, a package variable, a class member). Pure functions of a
// SourceText; no dump, no addresses. Holder inference (graph/resolve_holders) ties what they
// return to the locks waiters show.
//
// "Held at a line" is read on the path through the function's blocks to the line: lock calls in
// the body and in blocks still open at the line count in order; a block closed before the line
// (an if, a loop body, a switch case) may or may not have run, so a lock it takes is never
// counted, a lock it releases is no longer counted, and a block that ends in return, panic,
// continue or goto (a terminating statement) is skipped whole, since the path to the line did not
// leave through it. Nested function literals and lambdas run elsewhere and are skipped; a guard
// (std::lock_guard …) holds to the end of its block; Go's deferred unlocks run after the line.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/lock_idioms.h"
#include "graph/source_files.h"

namespace dla {

// The innermost function (declaration, method, literal or lambda) whose body holds a line.
struct FunctionScope {
  int header_line = 0;              // 1-based line where the header starts
  int body_line = 0;                // 1-based line of the body's opening brace
  size_t body_column = 0;           // its position in that line
  std::string name;                 // as written: "Len", "transfer", "Bank::transfer"; "" literal
  std::string receiver;             // Go methods: "s" in "func (s *Store) Len()"
  std::vector<std::string> params;  // parameter names in order ("_" where unnamed)
  bool literal = false;             // a Go func literal or a C++ lambda
};
// `literal`, when known, says whether the frame runs a function literal or lambda: on a line that
// holds a whole function ("func (s *S) lock() { s.mu.Lock() }"), that function is the answer.
std::optional<FunctionScope> function_at(SourceLanguage language, const SourceText& file, int line,
                                         std::optional<bool> literal = std::nullopt);

// What a call to a function of the program does to locks, in the caller's terms: a lock wrapper
// ("s.lock()", "lock_it(&db_lock)") takes or releases what its body does. Asked for every call
// the walk meets; an empty answer for calls that touch no lock. `callee` is the called name,
// `receiver` the expression before it ("s" of "s.lock()", "*p" of "p->lock()", empty for a plain
// call), `args` the argument expressions as written.
using CallEffects = std::function<std::vector<LockCall>(
    std::string_view callee, const std::string& receiver, const std::vector<std::string>& args)>;

// The locks `fn` holds when it stands at `line` (1-based), in the order taken.
std::vector<LockCall> locks_held_at(SourceLanguage language, const SourceText& file,
                                    const FunctionScope& fn, int line,
                                    const CallEffects& call_effects = {});

// What `fn` does to locks by the time it returns: the acquires it leaves held and the releases
// of locks it did not take, on expressions of its own parameters, receiver and globals.
std::vector<LockCall> net_lock_effects(SourceLanguage language, const SourceText& file,
                                       const FunctionScope& fn,
                                       const CallEffects& call_effects = {});

// Every top-level Go function of `file` ("func name(…)" and methods at column 0), in order.
std::vector<FunctionScope> go_functions_in(const SourceText& file);

// The last line of the statement that starts on `line` (where its parentheses and braces close):
// "go func() {" … "}(x)" spans several lines.
int statement_end_line(const SourceText& file, int line);

// Whether `line` of `fn` lies in a loop of fn (for, while, do; braced or not), so that the code
// before it may run again. C-family syntax: C, C++, Java, Go.
bool line_in_loop(const SourceText& file, const FunctionScope& fn, int line);

// The 1-based line where `fn`'s body closes (its last line when it never does).
int body_end_line(const SourceText& file, const FunctionScope& fn);

// The definitions of functions named `name` in `file` (Go: "func name(" and methods "func (r T)
// name("; C/C++: a definition whose last name component is `name`).
std::vector<FunctionScope> function_definitions(SourceLanguage language, const SourceText& file,
                                                std::string_view name);

// The acquiring lock calls on `line` itself (what a waiter standing there waits for), with the
// guards `fn` declared before it ("lk.lock()" takes the mutex lk guards).
std::vector<LockCall> lock_calls_on(SourceLanguage language, const SourceText& file, int line,
                                    const FunctionScope* fn = nullptr);

// Whether `name` is declared in `fn` before `line` — a local, whose value no frame prints.
// `is_static` is set for a C/C++ function-scope static (one object for every call).
bool declares_local(SourceLanguage language, const SourceText& file, const FunctionScope& fn,
                    int line, std::string_view name, bool* is_static = nullptr);

// What a local stands for, where its one declaration says: Go "b := &buckets[from]" → b is
// "buckets[from]"; C "struct station *s = arg;" → *s is "*arg"; C++ "Account& a = bank.acct;" →
// a is "bank.acct". `object` is a normalised lock expression; `pointer` says that it is what
// *name names (C pointers) rather than name itself. nullopt for anything else (a copy, a call).
struct LocalAlias {
  int line = 0;  // the declaration's line
  std::string object;
  bool pointer = false;
};
std::optional<LocalAlias> local_alias(SourceLanguage language, const SourceText& file,
                                      const FunctionScope& fn, int line, std::string_view name);

// Whether `name` is assigned (or declared again) between two lines of one function, exclusive
// of `from` and `to`: an expression rooted at it may then name another object at `to`.
bool assigned_between(SourceLanguage language, const SourceText& file, int from, int to,
                      std::string_view name);

// A declaration of `name` at file scope (outside any function or class; namespaces and extern
// "C" blocks count as file scope) — a C/C++ global. Go: a package-level `var` of this file.
bool declares_file_global(SourceLanguage language, const SourceText& file, std::string_view name);

// The package of a Go file ("main" for "package main").
std::string go_package_name(const SourceText& file);
// The import path a Go file binds to `name` ("sync" for import "sync", "cfg" for import
// cfg "example.com/app/config" → "example.com/app/config"); empty when `name` is no import.
std::string go_import_path(const SourceText& file, std::string_view name);

// Whether the body of class/struct `class_name` in `file` declares a data member `name`.
bool declares_member(const SourceText& file, std::string_view class_name, std::string_view name);

// The call of `callee` (a function or method name) on `line`, or within the statement ending
// there: its receiver expression ("x.y" of "x.y.callee(…)", "" for a plain call) and arguments.
struct CallSite {
  std::string receiver;
  std::vector<std::string> args;
};
std::optional<CallSite> call_on(SourceLanguage language, const SourceText& file, int line,
                                std::string_view callee);

// Statements that never fall through to the next one, by language (return, panic, throw, …).
bool is_terminating_statement(SourceLanguage language, std::string_view statement);

}  // namespace dla
