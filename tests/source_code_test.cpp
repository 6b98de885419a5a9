// The source reader on its own, table-driven: every lock idiom row on its own example line, and
// one row per reading rule of a function's blocks (source text, the frame's line, the locks held
// there). Holder inference (graph/resolve_holders) rests on these.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "graph/lock_idioms.h"
#include "graph/source_code.h"

using namespace dla;

namespace {

SourceText text_of(const std::string& source) {
  SourceText file;
  file.path = "test.src";
  file.text = source;
  std::string_view all = file.text;
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    file.lines.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  file.code = code_lines(file.lines);
  return file;
}

// "expr" or "expr/r" (shared) or "expr@line", for each lock held at the marked line.
std::vector<std::string> held(SourceLanguage language, const std::string& source) {
  SourceText file = text_of(source);
  int line = 0;
  for (size_t i = 0; i < file.lines.size(); ++i) {
    if (file.lines[i].find("HERE") != std::string_view::npos) line = static_cast<int>(i) + 1;
  }
  REQUIRE(line > 0);
  auto fn = function_at(language, file, line);
  REQUIRE(fn.has_value());
  std::vector<std::string> out;
  for (const LockCall& call : locks_held_at(language, file, *fn, line)) {
    out.push_back(call.expression + (call.shared ? "/r" : ""));
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("LockIdiomsEveryRowReadsItsExample") {
  for (const LockIdiom& row : lock_idioms()) {
    INFO(row.example);
    std::vector<GuardBinding> guards;
    std::vector<LockCall> calls = find_lock_calls(row.language, row.example, 1, guards);
    REQUIRE_FALSE(calls.empty());
    CHECK(calls[0].expression == row.expected);
    CHECK(calls[0].release == (row.effect == IdiomEffect::kRelease));
    CHECK(calls[0].shared == row.shared);
    CHECK(calls[0].block_scoped == (row.scope == IdiomScope::kBlock));
  }
}

TEST_CASE("LockIdiomsGuardTagsAndGuardMethods") {
  std::vector<GuardBinding> guards;
  // std::defer_lock binds the guard without taking the lock; its lock() takes it later.
  CHECK(find_lock_calls(SourceLanguage::kC, "std::unique_lock<std::mutex> lk(m, std::defer_lock);",
                        1, guards)
            .empty());
  std::vector<LockCall> later = find_lock_calls(SourceLanguage::kC, "lk.lock();", 2, guards);
  REQUIRE(later.size() == 1);
  CHECK(later[0].expression == "m");
  // adopt_lock: already taken; try_to_lock and a timeout: maybe taken, never counted.
  CHECK(find_lock_calls(SourceLanguage::kC, "std::lock_guard<std::mutex> g(m, std::adopt_lock);", 3,
                        guards)
            .empty());
  CHECK(find_lock_calls(SourceLanguage::kC, "std::unique_lock<std::mutex> t(m, 5ms);", 4, guards)
            .empty());
  // scoped_lock of two takes both; shared_lock guards a read.
  std::vector<LockCall> both =
      find_lock_calls(SourceLanguage::kC, "std::scoped_lock both{a.mu, b->mu};", 5, guards);
  REQUIRE(both.size() == 2);
  CHECK(both[0].expression == "a.mu");
  CHECK(both[1].expression == "*b.mu");
  // Go: defer marks the release; a method named like an idiom on a deeper chain is read whole.
  std::vector<LockCall> go =
      find_lock_calls(SourceLanguage::kGo, "defer s.shards[i].mu.Unlock()", 6, guards);
  REQUIRE(go.size() == 1);
  CHECK(go[0].expression == "s.shards[i].mu");
  CHECK(go[0].deferred);
}

TEST_CASE("LockExpressionsAreNormalisedToTheObjectLocked") {
  struct Row {
    SourceLanguage language;
    std::string argument;
    bool address_of_object;
    std::string expected;
  };
  for (const Row& r : std::vector<Row>{
           {SourceLanguage::kC, "&m_alpha", true, "m_alpha"},
           {SourceLanguage::kC, "l", true, "*l"},
           {SourceLanguage::kC, "&from->lock", true, "*from.lock"},
           {SourceLanguage::kC, "& ( pool[i] . lock )", true, "pool[i].lock"},
           {SourceLanguage::kC, "&(*self).mu", true, "*self.mu"},
           {SourceLanguage::kC, "&this->mu_", true, "*this.mu_"},
           {SourceLanguage::kC, "&a->b->c", true, ""},  // two dereferences: no identity
           {SourceLanguage::kC, "&get()->mu", true, ""},
           {SourceLanguage::kGo, "&(*s).mu", true, "s.mu"},
           {SourceLanguage::kGo, "accounts[0].mu", false, "accounts[0].mu"},
       }) {
    INFO(r.argument);
    CHECK(normalize_lock_expression(r.language, r.argument, r.address_of_object) == r.expected);
  }
}

TEST_CASE("HeldLocksFollowTheBlocksOnThePathToTheLine") {
  struct Row {
    std::string name;
    SourceLanguage language;
    std::string source;
    V expected;
  };
  const auto kGo = SourceLanguage::kGo;
  const auto kC = SourceLanguage::kC;
  std::vector<Row> rows = {
      {"go: a deferred unlock still holds", kGo,
       "func f(a *A) {\n a.mu.Lock()\n defer a.mu.Unlock()\n work() // HERE\n}\n", V{"a.mu"}},
      {"go: released before the line", kGo,
       "func f() {\n mu.Lock()\n mu.Unlock()\n other.RLock()\n work() // HERE\n}\n", V{"other/r"}},
      {"go: an if that returns is not on the path", kGo,
       "func f() {\n mu.Lock()\n if bad {\n  mu.Unlock()\n  return\n }\n work() // HERE\n}\n",
       V{"mu"}},
      {"go: an if that releases may have run", kGo,
       "func f() {\n mu.Lock()\n if bad {\n  mu.Unlock()\n }\n work() // HERE\n}\n", V{}},
      {"go: unlock then lock again inside an if holds on both paths", kGo,
       "func f() {\n mu.Lock()\n if slow {\n  mu.Unlock()\n  wait()\n  mu.Lock()\n }\n work() "
       "// HERE\n}\n",
       V{"mu"}},
      {"go: what an if takes is not held after it", kGo,
       "func f() {\n if ok {\n  mu.Lock()\n }\n work() // HERE\n}\n", V{}},
      {"go: an earlier case of a switch did not run", kGo,
       "func f(k int) {\n switch k {\n case 1:\n  a.Lock()\n case 2:\n  b.Lock()\n  work() // "
       "HERE\n }\n}\n",
       V{"b"}},
      {"go: a goroutine's literal runs elsewhere", kGo,
       "func f() {\n go func() {\n  mu.Lock()\n }()\n work() // HERE\n}\n", V{}},
      {"go: a deferred literal's unlock runs on return", kGo,
       "func f() {\n mu.Lock()\n defer func() { mu.Unlock() }()\n work() // HERE\n}\n", V{"mu"}},
      {"go: braces in strings and comments are not blocks", kGo,
       "func f() {\n mu.Lock() // {\n s := \"}\"\n work(s) // HERE\n}\n", V{"mu"}},
      {"c: a guard holds to the end of its block", kC,
       "void f() {\n  {\n    std::lock_guard<std::mutex> g(a);\n  }\n  std::lock_guard<std::mutex> "
       "h(b);\n  work(); // HERE\n}\n",
       V{"b"}},
      {"c: a braceless if that unlocks may have run", kC,
       "void f() {\n  pthread_mutex_lock(&m);\n  if (bad) pthread_mutex_unlock(&m);\n  work(); // "
       "HERE\n}\n",
       V{}},
      {"c: a braceless if that returns is not on the path", kC,
       "int f() {\n  pthread_mutex_lock(&m);\n  if (bad)\n    return -1;\n  work(); // HERE\n}\n",
       V{"m"}},
      {"c: a lambda runs elsewhere", kC,
       "void f() {\n  auto g = [&] { m.lock(); };\n  work(); // HERE\n}\n", V{}},
      {"c: brace initialisation is not a block", kC,
       "void f() {\n  std::scoped_lock lk{a, b};\n  work(); // HERE\n}\n", V{"a", "b"}},
      {"c: a constructor's initialiser list is not its body", kC,
       "Foo::Foo(Bar& b) : bar_{b}, n_(0) {\n  std::lock_guard<std::mutex> g(mu_);\n  work(); // "
       "HERE\n}\n",
       V{"mu_"}},
      {"c: a multi-line comment hides its locks", kC,
       "void f() {\n  /* pthread_mutex_lock(&a);\n     pthread_mutex_lock(&b); */\n  work(); // "
       "HERE\n}\n",
       V{}},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    CHECK(held(row.language, row.source) == row.expected);
  }
}

TEST_CASE("WrappersTakeWhatTheirBodyLeavesHeld") {
  // A lock wrapper's net effect is what a call to it does.
  SourceText file = text_of(
      "func (s *Store) lock() { s.mu.Lock() }\n"
      "func (s *Store) unlock() { s.mu.Unlock() }\n"
      "func (s *Store) scoped() {\n s.mu.Lock()\n defer s.mu.Unlock()\n}\n");
  auto effects = [&](const std::string& name) {
    auto defs = function_definitions(SourceLanguage::kGo, file, name);
    REQUIRE(defs.size() == 1);
    V out;
    for (const LockCall& c : net_lock_effects(SourceLanguage::kGo, file, defs[0])) {
      out.push_back((c.release ? "-" : "+") + c.expression);
    }
    return out;
  };
  CHECK(effects("lock") == V{"+s.mu"});
  CHECK(effects("unlock") == V{"-s.mu"});
  CHECK(effects("scoped").empty());  // the deferred unlock ran by the time it returned
}

TEST_CASE("WhereNamesLive") {
  SourceText go = text_of(
      "package main\n"
      "var (\n inventory sync.Mutex\n billing, audit = newT(), newT()\n)\n"
      "var registry = map[string]int{}\n"
      "func f(a *A, n int) {\n w := workers[n]\n x, y := 1, 2\n"
      " for _, t := range ts {\n  t.mu.Lock() // 11\n }\n"
      " w.mu.Lock() // 13\n}\n");
  auto fn = function_at(SourceLanguage::kGo, go, 13);
  REQUIRE(fn);
  CHECK(fn->params == V{"a", "n"});
  for (std::string global : {"inventory", "billing", "audit", "registry"}) {
    INFO(global);
    CHECK(declares_file_global(SourceLanguage::kGo, go, global));
  }
  CHECK_FALSE(declares_file_global(SourceLanguage::kGo, go, "w"));
  CHECK(declares_local(SourceLanguage::kGo, go, *fn, 13, "w"));
  CHECK(declares_local(SourceLanguage::kGo, go, *fn, 13, "y"));
  CHECK(declares_local(SourceLanguage::kGo, go, *fn, 13, "t"));
  auto alias = local_alias(SourceLanguage::kGo, go, *fn, 13, "w");
  REQUIRE(alias);
  CHECK(alias->object == "workers[n]");

  SourceText c = text_of(
      "static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;\n"
      "namespace app { std::mutex registry_mu; }\n"
      "struct conn { pthread_mutex_t lock; };\n"
      "void forward(struct conn *pool, int i) {\n"
      "  struct conn *c = &pool[i];\n"
      "  Account& acct = bank.accounts[i];\n"
      "  pthread_mutex_lock(&c->lock); // 7\n"
      "}\n");
  CHECK(declares_file_global(SourceLanguage::kC, c, "log_lock"));
  CHECK(declares_file_global(SourceLanguage::kC, c, "registry_mu"));  // namespaces are file scope
  CHECK_FALSE(declares_file_global(SourceLanguage::kC, c, "lock"));   // a member
  auto cf = function_at(SourceLanguage::kC, c, 7);
  REQUIRE(cf);
  CHECK(cf->params == V{"pool", "i"});
  auto pointer = local_alias(SourceLanguage::kC, c, *cf, 7, "c");
  REQUIRE(pointer);
  CHECK(pointer->object == "pool[i]");
  CHECK(pointer->pointer);
  auto reference = local_alias(SourceLanguage::kC, c, *cf, 7, "acct");
  REQUIRE(reference);
  CHECK(reference->object == "bank.accounts[i]");
  CHECK_FALSE(reference->pointer);
}

// The function a frame stands in, where the line alone is ambiguous; each row is a case where
// the reader disagreed with go/ast, clang and tree-sitter on a frame line the corpus captures
// point at (bench/source_reader_check/RESULTS.md).
TEST_CASE("FunctionAtAFrameLine") {
  struct Row {
    SourceLanguage language;
    const char* source;  // the frame's line holds "HERE"
    bool literal;        // what the frame says it runs
    const char* name;    // expected: "" for a literal
    bool expect_literal;
    int header_line;
  };
  const Row rows[] = {
      // A parameter of function type is no literal (testdata/go/programs/gen_big: supervise).
      {SourceLanguage::kGo,
       "func supervise(id int, fn func()) {\n\tdefer func() {\n\t\trecover()\n\t}()\n"
       "\tfn() // HERE\n}\n",
       false, "supervise", false, 1},
      {SourceLanguage::kGo,
       "func supervise(id int, fn func()) {\n\tdefer func() {\n\t\trecover()\n\t}() // HERE\n"
       "\tfn()\n}\n",
       false, "supervise", false, 1},
      // A literal's deferred calls run on the line of its closing brace (go_chan_send_no_receiver).
      {SourceLanguage::kGo,
       "func main() {\n\tgo func(u string) {\n\t\tdefer wg.Done()\n\t\tfetch(u)\n"
       "\t}(\"x\") // HERE\n}\n",
       true, "", true, 2},
      // So do a named function's, and C++ destructors (a guard's unlock) on its brace.
      {SourceLanguage::kGo, "func f() {\n\tmu.Lock()\n\tdefer mu.Unlock()\n} // HERE\n", false, "f",
       false, 1},
      {SourceLanguage::kC,
       "void f() {\n  std::lock_guard<std::mutex> g(m);\n  work();\n} // HERE\n", false, "f", false,
       1},
      {SourceLanguage::kC,
       "int main() {\n  std::thread t([&] {\n    std::lock_guard<std::mutex> g(m);\n"
       "  }); // HERE\n}\n",
       true, "", true, 2},
      // A frame of the function around a literal, on the line where the literal's body opens
      // (Go's "created by" line; a thread's constructor): the literal has not begun.
      {SourceLanguage::kGo,
       "func main() {\n\tgo func(u string) { // HERE\n\t\tfetch(u)\n\t}(\"x\")\n}\n", false, "main",
       false, 1},
      {SourceLanguage::kC,
       "int main() {\n  std::thread t([&] { // HERE\n    std::lock_guard<std::mutex> g(m);\n  "
       "});\n}\n",
       false, "main", false, 1},
  };
  for (const Row& row : rows) {
    INFO(row.source);
    SourceText file = text_of(row.source);
    int line = 0;
    for (size_t i = 0; i < file.lines.size(); ++i) {
      if (file.lines[i].find("HERE") != std::string_view::npos) line = static_cast<int>(i) + 1;
    }
    auto fn = function_at(row.language, file, line, row.literal);
    REQUIRE(fn.has_value());
    CHECK(fn->name == row.name);
    CHECK(fn->literal == row.expect_literal);
    CHECK(fn->header_line == row.header_line);
  }
}
