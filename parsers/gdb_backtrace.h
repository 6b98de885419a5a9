// Native thread dumps: gdb "thread apply all bt" (also bt full, -frame-arguments all, with the
// attach preamble, and gdb sessions with "thread N"/"where"/"info threads"), the output of
// testdata/gdb/owners.gdb, lldb "bt all", pstack/gstack and eu-stack text. See
// ../shared/FORMATS.md and testdata/gdb/README.md.
//
// The tokenizer (tokenize_gdb_line) turns one line into a GdbLine; the reader is a small state
// machine over those tokens that writes the model. What each frame means (which waits on which
// lock, where its address is) lives in graph/resolve_glibc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "parsers/parser.h"

namespace dla {

// A thread header:
//   gdb    "Thread 2 (Thread 0x7feb9966f6c0 (LWP 4012) \"worker-a\"):", "Thread 2 (LWP 5098):",
//          old gdb "Thread 2408 (Thread 1098357056 (LWP 5557)):", "Thread 11 (Thread 19965):",
//          "Thread 1.2 (…)", "[Switching to thread 5 (Thread 0x7f0d2359f700 (LWP 20496))]"
//   lldb   "* thread #1, name = 'dl', stop reason = signal SIGSTOP", "  thread #8, name = 'node'",
//          "* thread #1: tid = 5097, 0x… libc.so.6`…, name = 'dl', stop reason = …"
//   eu-stack "TID 4012:"
//   info threads rows "* 1    Thread 0x7f… (LWP 4563) \"join_cycle\" 0x… in __libc_pause () at …"
struct GdbThreadHeader {
  std::string_view id;                   // "2", "1.2" (gdb), "8" (lldb "#8"), "4012" (eu-stack TID)
  std::optional<int64_t> lwp;            // LWP / tid where printed
  std::string_view handle;               // pthread_t as gdb prints it ("0x7feb9966f6c0"; old gdb in
                                         // decimal, "1098357056"), where printed
  std::optional<uint64_t> handle_value;  // the same, as a number
  std::string_view name;                 // thread name where printed
  bool switched = false;  // "[Switching to thread N …]": a session selecting a thread, not
                          // a dump listing it
};

// One frame. gdb: "#2  0x00007feb996ff482 in lll_mutex_lock_optimized (mutex=0x5592675d80a0
// <m_alpha>) at ./nptl/pthread_mutex_lock.c:48"; inlined frames have no "0x… in"; "#1  0x… in
// pthread_mutex_lock () from /lib/x86_64-linux-gnu/libc.so.6"; "#3  <signal handler called>".
// lldb: "    frame #2: 0x… node`uv_mutex_lock(mutex=0x0000000005d556d0) at thread.c:331:7",
// "    frame #0: 0x… libpthread.so.0`__lll_lock_wait + 48". eu-stack: "#1  0x…
// __pthread_mutex_lock@GLIBC_2.2.5".
struct GdbFrame {
  std::string_view number;  // "2"
  std::string_view pc;      // "0x00007feb996ff482"; empty when not printed
  std::string_view function;
  // lldb prints arguments inside a name ("Work(__closure=0x0, req=0x…)::'lambda'(uv_work_s*)::
  // operator()"): then `function` is the part before them and `function_tail` the part after.
  std::string_view function_tail;
  std::string_view args;  // between the parentheses: "mutex=0x5592675d80a0 <m_alpha>"
  std::string_view file;  // "./nptl/pthread_mutex_lock.c"
  int32_t line = 0;
  std::string_view module;  // "/lib/x86_64-linux-gnu/libc.so.6" (gdb "from"), "libpthread.so.0"
  bool complete = true;     // false: the argument list is not closed (a wrapped or cut line)
};

// owners.gdb output lines (testdata/gdb/owners.gdb):
//   "owner: #2 lll_mutex_lock_optimized mutex=0x5592675d80a0 <m_alpha> __owner=4012 __lock=2"
//   "futex: #0 uaddr=0x5592675d80a0 <m_alpha> word=2 int32@+8=4012"
struct GdbOwnerLine {
  std::string_view address;      // "0x5592675d80a0"
  std::string_view symbol;       // "m_alpha"
  std::optional<int64_t> owner;  // __owner (owner lines), int32@+8 (futex lines)
  std::optional<int64_t> word;   // the futex word's value (futex lines)
};

struct GdbLine {
  enum class Kind : uint8_t {
    kOther,  // preamble, prompts, program output, "Backtrace stopped: …", source lines
    kBlank,
    kThreadHeader,   // see GdbThreadHeader
    kInfoThreadRow,  // an "info threads" row: thread and its frame 0 (frame.number is empty)
    kFrame,          // see GdbFrame
    kLocal,          // bt full: "        __ret = -512" (8+ spaces), "No locals.",
                     // "No symbol table info available."
    kContinuation,   // a line gdb wrapped at the terminal width: 4 spaces, then "at file:line",
                     // "from lib" or the rest of an argument list
    kOwner,          // owners.gdb "owner:" line
    kFutex,          // owners.gdb "futex:" line
    kProcess,        // eu-stack "PID 4010 - process"
    kEnd,            // "[Inferior 1 (process 4010) detached]" (also "exited normally", "killed")
  };
  Kind kind = Kind::kOther;
  GdbThreadHeader thread;
  GdbFrame frame;
  GdbOwnerLine owner;
  std::string_view text;  // kContinuation: the text after the indent; kOther: the line
  bool current = false;   // info threads "*" and lldb "*": the selected thread
};

// Tokenizes one line (without its line ending).
GdbLine tokenize_gdb_line(std::string_view line);

// " at file.c:12" / " at file.c:12:7" (lldb adds the column): sets f.file and f.line.
void read_gdb_location(std::string_view where, GdbFrame& f);

// The body of a gdb frame after "#N  " (or an info-threads row's frame): "0x… in f (a=1) at x.c:3".
std::optional<GdbFrame> tokenize_gdb_frame_body(std::string_view body);

// One printed argument value, e.g. "0x5592675d80a0 <m_alpha>", "futex@entry=0x… <rw+8>",
// "140649867704000", "0x56291c72a03d \"joiner-c\"", "@0x559ebddad0e0: {…}", "...".
struct GdbValue {
  std::string_view number;  // "0x5592675d80a0", "140649867704000"; empty when not a number
  std::optional<uint64_t> value;
  std::string_view symbol;     // "m_alpha" from "<m_alpha>", "rw_table" from "<rw_table+8>"
  uint64_t symbol_offset = 0;  // 8 from "<rw_table+8>"
  bool string = false;         // a char* shown with its string
  bool reference = false;      // a C++ reference: "@0x…: {…}" or "..."
  std::string_view contents;   // the "{…}" of a printed reference
};
GdbValue parse_gdb_value(std::string_view value);

// The value of argument `name` in an argument list ("futex=futex@entry=0x… <m>, private=0"), with a
// "name@entry=" repeat removed; nullopt when the argument is not printed.
std::optional<std::string_view> find_gdb_argument(std::string_view args, std::string_view name);

// A frame's argument list decoded for graph/ (Snapshot::decode_arguments): each "name=value" with
// the value's number, whether it is a reference, and gdb's <symbol+offset>.
std::vector<ArgumentValue> decode_gdb_arguments(std::string_view args);

std::unique_ptr<Parser> make_gdb_backtrace_parser();

}  // namespace dla
