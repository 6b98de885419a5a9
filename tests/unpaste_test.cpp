// The shared paste step (parsers/unpaste.h): encodings decoded, quotes, fences and indented blocks
// undone, every line kept in its place. Table rows are shapes seen in testdata/wild (each row
// names a file that shows it); the whole files are checked end to end by wild_test.cpp.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "parsers/unpaste.h"

using namespace dla;

namespace {

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string unwrap(std::string_view text, std::vector<PasteWrapping>& undone) {
  std::string out;
  bool first = true;
  for (std::string_view line : unwrap_lines(split(text), undone)) {
    if (!first) out += '\n';
    out += line;
    first = false;
  }
  return out;
}

struct UnwrapRow {
  const char* what;
  const char* in;
  const char* out;
  std::vector<PasteWrapping> undone;
};

const UnwrapRow kRows[] = {
    {"e-mail quoting, blank quoted lines as a bare '>' (variant.email-quoted)",
     "> Found one Java-level deadlock:\n>\n> \"a\":\n>   which is held by \"b\"",
     "Found one Java-level deadlock:\n\n\"a\":\n  which is held by \"b\"",
     {PasteWrapping::kQuoted}},
    {"quote marker without a space (gdb-blockquote-arm-rwlock: '>#0  0x…')",
     ">#0  0x4011025c in __lll_lock_wait ()\n>#1  0x4010c420 in pthread_rwlock_rdlock ()",
     "#0  0x4011025c in __lll_lock_wait ()\n#1  0x4010c420 in pthread_rwlock_rdlock ()",
     {PasteWrapping::kQuoted}},
    {"one '>' line is a shell continuation prompt, not a quote",
     "> ./run.sh\nThread 1 (LWP 5):",
     "> ./run.sh\nThread 1 (LWP 5):",
     {}},
    {"fences become empty lines; what they enclose stays (variant.md-fence)",
     "Here is the jstack output:\n\n```\n\"a\":\n\tat X.y(X.java:1)\n```",
     "Here is the jstack output:\n\n\n\"a\":\n\tat X.y(X.java:1)\n",
     {PasteWrapping::kFenced}},
    {"a quad fence with an info string (double-spaced-lines-quad-fence)",
     "````go\ngoroutine 1 [running]:\n````",
     "\ngoroutine 1 [running]:\n",
     {PasteWrapping::kFenced}},
    {"a fence inside a quote (gdb-email-quoted-hash-space-frames)",
     "> ```\n> Thread 117 (Thread 0x7faf6ec59700 (LWP 8257)):\n> # 0  0x000000386200e264 in f ()",
     "\nThread 117 (Thread 0x7faf6ec59700 (LWP 8257)):\n# 0  0x000000386200e264 in f ()",
     {PasteWrapping::kQuoted, PasteWrapping::kFenced}},
    {"a block indented as a whole keeps its own indentation (variant.indent4)",
     "    \"a\":\n      waiting to lock monitor 0x1 (object 0x2, a X),\n    \tat X.y(X.java:1)",
     "\"a\":\n  waiting to lock monitor 0x1 (object 0x2, a X),\n\tat X.y(X.java:1)",
     {PasteWrapping::kIndented}},
    {"an indented block after prose and a blank line (jstack-F-deadlock-section-indented-4)",
     "I did a jstack:\n\n    Found one Java-level deadlock:\n    =====\n\nI had to restart.",
     "I did a jstack:\n\nFound one Java-level deadlock:\n=====\n\nI had to restart.",
     {PasteWrapping::kIndented}},
    {"varying indentation loses what all lines share (coredumpctl-stack-then-indented-gdb)",
     "             Thread 7 (Thread 0x7fb664bfb6c0 (LWP 8736)):\n            #0  "
     "0x00007fb66b09f002 in ??? ()",
     " Thread 7 (Thread 0x7fb664bfb6c0 (LWP 8736)):\n#0  0x00007fb66b09f002 in ??? ()",
     {PasteWrapping::kIndented}},
    {"a dump's own indentation after its header line stays (a Java thread's tab frames)",
     "\"main\" #1 prio=5 tid=0x1 nid=0x2 runnable\n\tat A.b(A.java:1)\n\tat A.c(A.java:2)",
     "\"main\" #1 prio=5 tid=0x1 nid=0x2 runnable\n\tat A.b(A.java:1)\n\tat A.c(A.java:2)",
     {}},
    {"jstack -l's ownable list after a blank line shares no indentation: stays",
     "\tat A.b(A.java:1)\n\n   Locked ownable synchronizers:\n\t- None\n",
     "\tat A.b(A.java:1)\n\n   Locked ownable synchronizers:\n\t- None\n",
     {}},
    {"a double-spaced paste's lone file line after a blank line stays (go-24267)",
     "main.main()\n\n\t/tmp/x.go:12 +0x20\n\ngoroutine 2 [chan send]:",
     "main.main()\n\n\t/tmp/x.go:12 +0x20\n\ngoroutine 2 [chan send]:",
     {}},
    {"gdb bt full locals follow their frame: they stay",
     "#0  0x1 in f (a=1) at x.c:3\n        i = 0\n        j = 1",
     "#0  0x1 in f (a=1) at x.c:3\n        i = 0\n        j = 1",
     {}},
};

}  // namespace

TEST_CASE("UnpasteUndoesEachWrappingLineByLine") {
  for (const UnwrapRow& row : kRows) {
    INFO(row.what);
    std::vector<PasteWrapping> undone;
    CHECK(unwrap(row.in, undone) == row.out);
    CHECK(undone == row.undone);
    // No line is added or removed: line numbers in messages stay the file's.
    CHECK(split(row.in).size() == split(row.out).size());
  }
}

TEST_CASE("UnpasteDecodesUtf16AndByteOrderMarks") {
  const std::string text = "goroutine 1 [chan receive]:\r\nmain.main()\r\n";
  std::string le, be;
  for (char c : text) {
    le += c;
    le += '\0';
    be += '\0';
    be += c;
  }
  struct Row {
    std::string bytes;
    TextEncoding encoding;
  } rows[] = {
      {"\xff\xfe" + le, TextEncoding::kUtf16Le},       {le, TextEncoding::kUtf16Le},
      {"\xfe\xff" + be, TextEncoding::kUtf16Be},       {be, TextEncoding::kUtf16Be},
      {"\xef\xbb\xbf" + text, TextEncoding::kUtf8Bom}, {text, TextEncoding::kAsIs},
  };
  for (const Row& row : rows) {
    INFO(to_string(row.encoding));
    UnpastedText u = unpaste(row.bytes);
    CHECK(u.encoding == row.encoding);
    CHECK(u.text == text);  // CRLF is left to the line readers
    CHECK(u.undone.empty());
  }
}

TEST_CASE("UnpasteDecodesNonAsciiUtf16AndSurrogatePairs") {
  // "Thread-é 😀\n" in UTF-16LE with a BOM: é is one unit, the emoji a surrogate pair.
  std::string le(
      "\xff\xfe"
      "T\0h\0r\0e\0a\0d\0-\0\xe9\0 \0\x3d\xd8\x00\xde\n\0",
      26);
  UnpastedText u = unpaste(le);
  CHECK(u.encoding == TextEncoding::kUtf16Le);
  CHECK(u.text == "Thread-\xc3\xa9 \xf0\x9f\x98\x80\n");
}

TEST_CASE("UnpastePassesAnUnwrappedDumpThroughWithoutCopying") {
  std::string dump = "goroutine 1 [running]:\nmain.main()\n\t/x.go:3 +0x1\n";
  UnpastedText u = unpaste(dump);
  CHECK(u.text.data() == dump.data());
  CHECK(u.storage == nullptr);
}

TEST_CASE("UnpasteLeavesBinaryBytesAlone") {
  // An ELF header is not UTF-16: the registry reports binary input on the original bytes.
  std::string elf(
      "\x7f"
      "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x04\0\x3e\0",
      20);
  UnpastedText u = unpaste(elf);
  CHECK(u.encoding == TextEncoding::kAsIs);
  CHECK(u.text.data() == elf.data());
}

TEST_CASE("UnpastedTextStaysValidWhenMoved") {
  // The registry move-assigns unpaste()'s result; a short unwrapped dump lived in the moved
  // string's own buffer and the view dangled (fuzz_jvm_json_dump, stack-use-after-scope).
  UnpastedText moved_from = unpaste("> dump:\n> a()\n");
  REQUIRE(moved_from.storage != nullptr);
  UnpastedText moved_to;
  moved_to = std::move(moved_from);
  CHECK(moved_to.text == "dump:\na()\n");  // short: inside a std::string's own buffer
}
