// The native-dump tokenizer, one line at a time, and the glibc tables it feeds. Every line here is
// copied from a captured dump under testdata/gdb/ (gdb 13, glibc 2.36, eu-stack 0.188) or from the
// transcribed glibc 2.17 / pstack / lldb dumps beside them; the file is named with each.
#include <catch2/catch.hpp>

#include <optional>

#include "graph/resolve_glibc.h"
#include "parsers/gdb_backtrace.h"

using dla::GdbLine;
using dla::parse_gdb_value;
using dla::tokenize_gdb_line;
using Kind = GdbLine::Kind;
namespace glibc = dla::glibc;

TEST_CASE("GdbTokenizerReadsLiveThreadHeaderWithPthreadLwpAndName") {
  // mutex_cycle2.gdb-full.txt
  GdbLine t = tokenize_gdb_line("Thread 3 (Thread 0x7feb98e6e6c0 (LWP 4013) \"worker-b\"):");
  REQUIRE(t.kind == Kind::kThreadHeader);
  CHECK(t.thread.id == "3");
  CHECK(t.thread.handle == "0x7feb98e6e6c0");
  CHECK(t.thread.lwp == 4013);
  CHECK(t.thread.name == "worker-b");
}

TEST_CASE("GdbTokenizerReadsHeadersWithoutNamesOrLibthreadDb") {
  // glibc217.pstack.txt (RHEL 7 pstack, a core: no names)
  GdbLine core = tokenize_gdb_line("Thread 5 (Thread 0x7f0d2359f700 (LWP 20496)):");
  REQUIRE(core.kind == Kind::kThreadHeader);
  CHECK(core.thread.id == "5");
  CHECK(core.thread.lwp == 20496);
  CHECK(core.thread.name.empty());
  // No libthread_db (FORMATS.md), and several inferiors.
  GdbLine lwp = tokenize_gdb_line("Thread 2 (LWP 5098):");
  REQUIRE(lwp.kind == Kind::kThreadHeader);
  CHECK(lwp.thread.lwp == 5098);
  CHECK(lwp.thread.handle.empty());
  GdbLine inferior =
      tokenize_gdb_line("Thread 1.2 (Thread 0x7ff33b73d6c0 (LWP 5098) \"worker-a\"):");
  REQUIRE(inferior.kind == Kind::kThreadHeader);
  CHECK(inferior.thread.id == "1.2");
  CHECK(inferior.thread.name == "worker-a");
  // glibc217-attach-owners.gdb.txt: a session's "thread 5".
  GdbLine sw = tokenize_gdb_line("[Switching to thread 5 (Thread 0x7f0d2359f700 (LWP 20496))]");
  REQUIRE(sw.kind == Kind::kThreadHeader);
  CHECK(sw.thread.id == "5");
  CHECK(sw.thread.lwp == 20496);
}

TEST_CASE("GdbTokenizerReadsLldbAndEuStackThreadHeaders") {
  // node-openssl.lldb-btall.txt (one leading space on the first header, two on the others).
  GdbLine lldb = tokenize_gdb_line(" thread #8, name = 'node'");
  REQUIRE(lldb.kind == Kind::kThreadHeader);
  CHECK(lldb.thread.id == "8");
  CHECK(lldb.thread.name == "node");
  CHECK_FALSE(lldb.thread.lwp);
  // FORMATS.md: the selected thread, older lldb with its tid.
  GdbLine selected = tokenize_gdb_line(
      "* thread #1: tid = 5097, 0x00007f3c libc.so.6`__futex_abstimed_wait_common at "
      "futex-internal.c:57:12, name = 'dl', stop reason = signal SIGSTOP");
  REQUIRE(selected.kind == Kind::kThreadHeader);
  CHECK(selected.current);
  CHECK(selected.thread.id == "1");
  CHECK(selected.thread.lwp == 5097);
  CHECK(selected.thread.name == "dl");
  // mutex_cycle2.eu-stack.txt
  GdbLine tid = tokenize_gdb_line("TID 4012:");
  REQUIRE(tid.kind == Kind::kThreadHeader);
  CHECK(tid.thread.id == "4012");
  CHECK(tid.thread.lwp == 4012);
  CHECK(tokenize_gdb_line("PID 4010 - process").kind == Kind::kProcess);
}

TEST_CASE("GdbTokenizerReadsFullLevelFramesWithAndWithoutAddress") {
  // mutex_cycle2.gdb-full.txt: frame 0 has no "0x… in"; inlined frames neither.
  GdbLine f0 = tokenize_gdb_line(
      "#0  futex_wait (private=0, expected=2, futex_word=0x5592675d80a0 <m_alpha>) at "
      "../sysdeps/nptl/futex-internal.h:146");
  REQUIRE(f0.kind == Kind::kFrame);
  CHECK(f0.frame.number == "0");
  CHECK(f0.frame.pc.empty());
  CHECK(f0.frame.function == "futex_wait");
  CHECK(f0.frame.args == "private=0, expected=2, futex_word=0x5592675d80a0 <m_alpha>");
  CHECK(f0.frame.file == "../sysdeps/nptl/futex-internal.h");
  CHECK(f0.frame.line == 146);
  GdbLine f2 = tokenize_gdb_line(
      "#2  0x00007feb996ff482 in lll_mutex_lock_optimized (mutex=0x5592675d80a0 <m_alpha>) at "
      "./nptl/pthread_mutex_lock.c:48");
  REQUIRE(f2.kind == Kind::kFrame);
  CHECK(f2.frame.pc == "0x00007feb996ff482");
  CHECK(f2.frame.function == "lll_mutex_lock_optimized");
  CHECK(f2.frame.line == 48);
  CHECK(f2.frame.complete);
  // Two-digit frame numbers take one space (cpp_mutex.gdb-full.txt).
  GdbLine f17 = tokenize_gdb_line(
      "#17 0x00007f51f35278ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81");
  REQUIRE(f17.kind == Kind::kFrame);
  CHECK(f17.frame.number == "17");
  CHECK(f17.frame.function == "clone3");
  CHECK(f17.frame.args.empty());
}

TEST_CASE("GdbTokenizerReadsNodebugAndStrippedFrames") {
  // mutex_cycle2.gdb-nodebug.txt
  GdbLine unnamed =
      tokenize_gdb_line("#0  0x00007feb996f912b in ?? () from /lib/x86_64-linux-gnu/libc.so.6");
  REQUIRE(unnamed.kind == Kind::kFrame);
  CHECK(unnamed.frame.function == "??");
  CHECK(unnamed.frame.module == "/lib/x86_64-linux-gnu/libc.so.6");
  CHECK(unnamed.frame.file.empty());
  GdbLine exported = tokenize_gdb_line(
      "#1  0x00007feb996ff482 in pthread_mutex_lock () from /lib/x86_64-linux-gnu/libc.so.6");
  CHECK(exported.frame.function == "pthread_mutex_lock");
  // mutex_cycle2.gdb-stripped-exe.txt: the program's own frames lose everything.
  GdbLine exe = tokenize_gdb_line("#2  0x00005592675d52a3 in ?? ()");
  REQUIRE(exe.kind == Kind::kFrame);
  CHECK(exe.frame.function == "??");
  CHECK(exe.frame.module.empty());
  // glibc217.pstack.txt
  GdbLine rhel =
      tokenize_gdb_line("#1  0x00007f0d2396ad02 in _L_lock_791 () from /lib64/libpthread.so.0");
  CHECK(rhel.frame.function == "_L_lock_791");
  CHECK(rhel.frame.module == "/lib64/libpthread.so.0");
}

TEST_CASE("GdbTokenizerFindsArgumentsAfterCppNamesWithParentheses") {
  // cpp_mutex.gdb-full.txt
  GdbLine invoke = tokenize_gdb_line(
      "#10 0x0000559ebdda9abb in std::__invoke_impl<void, main()::<lambda()> >(std::__invoke_"
      "other, struct {...} &&) (__f=...) at /usr/include/c++/12/bits/invoke.h:61");
  REQUIRE(invoke.kind == Kind::kFrame);
  CHECK(invoke.frame.function ==
        "std::__invoke_impl<void, main()::<lambda()> >(std::__invoke_other, struct {...} &&)");
  CHECK(invoke.frame.args == "__f=...");
  CHECK(invoke.frame.line == 61);
  GdbLine join = tokenize_gdb_line(
      "#4  0x00007f51f36d4517 in std::thread::join() () from "
      "/lib/x86_64-linux-gnu/libstdc++.so.6");
  CHECK(join.frame.function == "std::thread::join()");
  CHECK(join.frame.module == "/lib/x86_64-linux-gnu/libstdc++.so.6");
  // A " (" inside a template argument is not the argument list.
  GdbLine fn = tokenize_gdb_line(
      "#3  0x0000000000401234 in std::function<void ()>::operator() (this=0x7ffd5c1c3f40) at "
      "/usr/include/c++/12/bits/std_function.h:591");
  CHECK(fn.frame.function == "std::function<void ()>::operator()");
  CHECK(fn.frame.args == "this=0x7ffd5c1c3f40");
}

TEST_CASE("GdbTokenizerKeepsFrameArgumentsAllValuesWhole") {
  // cpp_mutex.gdb-frameargs-all.txt: strings with escapes and braces inside the argument list.
  GdbLine t = tokenize_gdb_line(
      "#7  0x0000559ebdda9d01 in std::unique_lock<std::mutex>::unique_lock (this=0x7f51f2c1bdc0, "
      "__m=@0x559ebddad0e0: {<std::__mutex_base> = {_M_mutex = {__data = {__lock = 2, __count = "
      "0, __owner = 4833, __nusers = 1, __kind = 0, __spins = 0, __elision = 0, __list = {__prev "
      "= 0x0, __next = 0x0}}, __size = \"\\002\\000\\000\\000\\000\\000\\000\\000\\341\\022\\000"
      "\\000\\001\", '\\000' <repeats 26 times>, __align = 2}}, <No data fields>}) at "
      "/usr/include/c++/12/bits/unique_lock.h:69");
  REQUIRE(t.kind == Kind::kFrame);
  CHECK(t.frame.function == "std::unique_lock<std::mutex>::unique_lock");
  CHECK(t.frame.line == 69);
  auto m = dla::find_gdb_argument(t.frame.args, "__m");
  REQUIRE(m);
  dla::GdbValue v = parse_gdb_value(*m);
  CHECK(v.reference);
  CHECK(v.number == "0x559ebddad0e0");
  CHECK(v.contents.find("__owner = 4833") != std::string_view::npos);
}

TEST_CASE("GdbTokenizerReadsEuStackAndLldbFrames") {
  // mutex_cycle2.eu-stack.txt: names with symbol versions, no arguments.
  GdbLine eu = tokenize_gdb_line("#1  0x00007feb996ff482 __pthread_mutex_lock@GLIBC_2.2.5");
  REQUIRE(eu.kind == Kind::kFrame);
  CHECK(eu.frame.pc == "0x00007feb996ff482");
  CHECK(eu.frame.function == "__pthread_mutex_lock@GLIBC_2.2.5");
  // node-openssl.lldb-btall.txt
  GdbLine plus =
      tokenize_gdb_line("    frame #0: 0x00007ffff76b7610 libpthread.so.0`__lll_lock_wait + 48");
  REQUIRE(plus.kind == Kind::kFrame);
  CHECK(plus.frame.number == "0");
  CHECK(plus.frame.module == "libpthread.so.0");
  CHECK(plus.frame.function == "__lll_lock_wait");
  GdbLine args = tokenize_gdb_line(
      "    frame #2: 0x0000000002024223 node`uv_mutex_lock(mutex=0x0000000005d556d0) at "
      "thread.c:331:7");
  CHECK(args.frame.function == "uv_mutex_lock");
  CHECK(args.frame.args == "mutex=0x0000000005d556d0");
  CHECK(args.frame.file == "thread.c");
  CHECK(args.frame.line == 331);
  GdbLine lambda = tokenize_gdb_line(
      "    frame #10: 0x000000000101171e node`node::ThreadPoolWork::ScheduleWork(__closure="
      "0x0000000000000000, req=0x0000000005d54458)::'lambda'(uv_work_s*)::operator()(uv_work_s*) "
      "const at threadpoolwork-inl.h:39:31");
  CHECK(lambda.frame.function == "node::ThreadPoolWork::ScheduleWork");
  CHECK(lambda.frame.function_tail == "::'lambda'(uv_work_s*)::operator()(uv_work_s*) const");
  CHECK(lambda.frame.args == "__closure=0x0000000000000000, req=0x0000000005d54458");
  CHECK(lambda.frame.line == 39);
}

TEST_CASE("GdbTokenizerTellsLocalsContinuationsAndOwnersLinesApart") {
  // mutex_cycle2.gdb-btfull.txt
  CHECK(tokenize_gdb_line("        __ret = -512").kind == Kind::kLocal);
  CHECK(tokenize_gdb_line("No locals.").kind == Kind::kLocal);
  // gdb on a terminal wraps frames at its width.
  GdbLine wrap = tokenize_gdb_line("    at ../nptl/pthread_mutex_lock.c:80");
  CHECK(wrap.kind == Kind::kContinuation);
  CHECK(wrap.text == "at ../nptl/pthread_mutex_lock.c:80");
  // mutex_cycle2.gdb-owners.txt and .gdb-owners-nodebug.txt
  GdbLine owner = tokenize_gdb_line(
      "owner: #2 lll_mutex_lock_optimized mutex=0x5592675d80a0 <m_alpha> __owner=4012 __lock=2");
  REQUIRE(owner.kind == Kind::kOwner);
  CHECK(owner.owner.address == "0x5592675d80a0");
  CHECK(owner.owner.symbol == "m_alpha");
  CHECK(owner.owner.owner == 4012);
  GdbLine futex =
      tokenize_gdb_line("futex: #0 uaddr=0x7feb9966f990 word=4012 int32@+8=-1721304672");
  REQUIRE(futex.kind == Kind::kFutex);
  CHECK(futex.owner.address == "0x7feb9966f990");
  CHECK(futex.owner.word == 4012);
  CHECK(futex.owner.owner == -1721304672);
  CHECK(tokenize_gdb_line("[Inferior 1 (process 4010) detached]").kind == Kind::kEnd);
}

TEST_CASE("GdbTokenizerReadsInfoThreadsRows") {
  // join_cycle.gdb-truth.txt
  GdbLine row = tokenize_gdb_line(
      "* 1    Thread 0x7f6ca7ba6740 (LWP 4563) \"join_cycle\" 0x00007f6ca7c7cdf2 in __libc_pause "
      "() at ../sysdeps/unix/sysv/linux/pause.c:29");
  REQUIRE(row.kind == Kind::kInfoThreadRow);
  CHECK(row.current);
  CHECK(row.thread.id == "1");
  CHECK(row.thread.lwp == 4563);
  CHECK(row.thread.name == "join_cycle");
  CHECK(row.frame.function == "__libc_pause");
  // glibc217-attach.gdb.txt
  GdbLine rhel = tokenize_gdb_line(
      "  5    Thread 0x7f0d2359f700 (LWP 20496) \"deadlock\" 0x00007f0d2396f1bd in __lll_lock_wait "
      "() from /lib64/libpthread.so.0");
  REQUIRE(rhel.kind == Kind::kInfoThreadRow);
  CHECK(rhel.thread.id == "5");
  CHECK(rhel.frame.function == "__lll_lock_wait");
  CHECK(tokenize_gdb_line("  Id   Target Id         Frame ").kind == Kind::kOther);
}

TEST_CASE("GdbTokenizerRefusesLinesOfOtherFormats") {
  // jvm/transcribed/jdk21_dump_to_file.txt, Go tracebacks and pprof debug=1.
  CHECK(tokenize_gdb_line("#1 \"main\"").kind == Kind::kOther);
  CHECK(tokenize_gdb_line("goroutine 1 [semacquire]:").kind == Kind::kOther);
  CHECK(tokenize_gdb_line("#\t0x45da64\tsync.runtime_SemacquireMutex+0x24\t/x/sema.go:77").kind ==
        Kind::kOther);
  CHECK(tokenize_gdb_line("\tat MonitorCycle.transferAtoB(MonitorCycle.java:30)").kind ==
        Kind::kOther);
  CHECK(tokenize_gdb_line("Thread 2 is not a header").kind == Kind::kOther);
}

TEST_CASE("GdbTokenizerMarksACutArgumentList") {
  GdbLine cut = tokenize_gdb_line(
      "#2  0x00007feb996ff482 in lll_mutex_lock_optimized (mutex=0x5592675d80a0 <m_al");
  REQUIRE(cut.kind == Kind::kFrame);
  CHECK_FALSE(cut.frame.complete);
  CHECK(cut.frame.function == "lll_mutex_lock_optimized");
}

TEST_CASE("GdbValuesGiveAddressSymbolOffsetAndKind") {
  dla::GdbValue entry = parse_gdb_value("futex_word@entry=0x55ea46dd10c8 <rw_table+8>");
  CHECK(entry.number == "0x55ea46dd10c8");
  CHECK(entry.value == 0x55ea46dd10c8u);
  CHECK(entry.symbol == "rw_table");
  CHECK(entry.symbol_offset == 8);
  dla::GdbValue decimal = parse_gdb_value("140649867704000");
  CHECK(decimal.value == 140649867704000u);
  dla::GdbValue string = parse_gdb_value("0x56291c72a03d \"joiner-c\"");
  CHECK(string.string);
  CHECK(parse_gdb_value("...").reference);
  CHECK_FALSE(parse_gdb_value("<optimized out>").value);
  auto arg =
      dla::find_gdb_argument("futex=futex@entry=0x5592675d80a0 <m_alpha>, private=0", "futex");
  REQUIRE(arg);
  CHECK(parse_gdb_value(*arg).value == 0x5592675d80a0u);
  CHECK_FALSE(dla::find_gdb_argument("private=0", "futex"));
}

TEST_CASE("GlibcTablesNormalizeEverySpellingOfOneFunction") {
  CHECK(glibc::normalize_function("__GI___pthread_mutex_lock") == "__pthread_mutex_lock");
  CHECK(glibc::normalize_function("__pthread_mutex_lock@GLIBC_2.2.5") == "__pthread_mutex_lock");
  CHECK(glibc::normalize_function("__libc_start_main@@GLIBC_2.34") == "__libc_start_main");
  CHECK(glibc::normalize_function("std::thread::join()") == "std::thread::join");
  CHECK(glibc::normalize_function(
            "std::__1::condition_variable::wait(std::__1::unique_lock<std::__1::mutex>&)") ==
        "std::__1::condition_variable::wait");
}

TEST_CASE("GlibcTablesKnowWaitsOfEveryGlibcEra") {
  using Op = glibc::WaitOp;
  auto op = [](std::string_view f) {
    const auto* row = glibc::find_wait_frame(glibc::normalize_function(f));
    return row ? row->op : Op::kNone;
  };
  CHECK(op("pthread_mutex_lock") == Op::kMutexLock);                // nodebug, 2.17 pstack
  CHECK(op("___pthread_mutex_lock") == Op::kMutexLock);             // 2.34+ debug
  CHECK(op("lll_mutex_lock_optimized") == Op::kMutexLock);          // 2.34+ debug, inlined
  CHECK(op("__GI___pthread_mutex_lock") == Op::kMutexLock);         // lldb, < 2.34
  CHECK(op("__pthread_mutex_lock@GLIBC_2.2.5") == Op::kMutexLock);  // eu-stack
  CHECK(op("std::mutex::lock") == Op::kMutexLock);
  CHECK(op("__psynch_mutexwait") == Op::kMutexLock);  // macOS
  CHECK(op("__pthread_rwlock_rdlock_full64") == Op::kRwlockRead);
  CHECK(op("std::__glibcxx_rwlock_rdlock") == Op::kRwlockRead);
  CHECK(op("pthread_rwlock_wrlock") == Op::kRwlockWrite);
  CHECK(op("__pthread_cond_wait_common") == Op::kCondWait);
  CHECK(op("__psynch_cvwait") == Op::kCondWait);
  CHECK(op("__pthread_clockjoin_ex") == Op::kJoin);
  CHECK(op("std::thread::join()") == Op::kJoin);
  CHECK(op("sem_wait") == Op::kSemWait);
  // Low-level futex frames prove nothing alone.
  CHECK(op("futex_wait") == Op::kNone);
  CHECK(op("__lll_lock_wait") == Op::kNone);
  CHECK(op("_L_lock_791") == Op::kNone);
  CHECK(op("__futex_abstimed_wait_common64") == Op::kNone);
  CHECK(glibc::futex_word_offset(Op::kRwlockRead) == 8u);
  CHECK(glibc::futex_word_offset(Op::kRwlockWrite) == 12u);
  CHECK_FALSE(glibc::futex_word_offset(Op::kCondWait));
}

TEST_CASE("GlibcTablesTellRuntimeFramesFromTheProgram") {
  CHECK(glibc::is_runtime_frame("??", "/lib/x86_64-linux-gnu/libc.so.6"));
  CHECK(glibc::is_runtime_frame("start_thread", ""));
  CHECK(glibc::is_runtime_frame("std::lock_guard<std::mutex>::lock_guard", ""));
  CHECK(glibc::is_runtime_frame("__gthread_mutex_lock", ""));
  CHECK(glibc::is_runtime_frame("__lll_lock_wait", "libpthread.so.0"));
  CHECK_FALSE(glibc::is_runtime_frame("??", ""));  // the stripped program itself
  CHECK_FALSE(glibc::is_runtime_frame("transfer_alpha_beta", ""));
  CHECK_FALSE(glibc::is_runtime_frame("operator()", ""));
  CHECK_FALSE(glibc::is_runtime_frame("uv_mutex_lock", "node"));
}

// --- What people paste (testdata/wild/native): each row's line is copied from the file named ---

namespace {

struct PastedHeaderRow {
  const char* line;
  const char* id;
  std::optional<int64_t> lwp;
  std::optional<uint64_t> handle;
  const char* from;
};

const PastedHeaderRow kPastedHeaders[] = {
    {"Thread 20 (Thread 0x7f557dffb700 (LWP 10039)):", "20", 10039, 0x7f557dffb700,
     "gdb-btfull-20-threads-core.satyr-rhbz-1032472.txt"},
    // gdb 6/7.0 with libthread_db printed the pthread_t in decimal.
    {"Thread 20 (Thread 140005162858240 (LWP 10039)):", "20", 10039, 140005162858240,
     "variant.old-gdb-decimal-pthread-id.satyr-rhbz-1032472.txt"},
    // Old gdb on a core without libthread_db: "Thread N" is the LWP ("[New Thread 19965]").
    {"Thread 11 (Thread 19965):", "11", 19965, std::nullopt,
     "gdb-old-core-thread-no-lwp.satyr-rhbz-621492.txt"},
    {"Thread 2 (LWP 5448):", "2", 5448, std::nullopt,
     "variant.gdb-lwp-only-headers.satyr-rhbz-1032472.txt"},
    // A header that kept one space of a paste's indentation.
    {" Thread 7 (Thread 0x7fb664bfb6c0 (LWP 8736)):", "7", 8736, 0x7fb664bfb6c0,
     "coredumpctl-stack-then-indented-gdb.sfwbar-441.txt"},
};

}  // namespace

TEST_CASE("GdbTokenizerReadsOldAndPastedThreadHeaders") {
  for (const PastedHeaderRow& row : kPastedHeaders) {
    INFO(row.from << ": " << row.line);
    GdbLine t = tokenize_gdb_line(row.line);
    REQUIRE(t.kind == GdbLine::Kind::kThreadHeader);
    CHECK(t.thread.id == row.id);
    CHECK(t.thread.lwp == row.lwp);
    CHECK(t.thread.handle_value == row.handle);
    CHECK_FALSE(t.thread.switched);
  }
  GdbLine session =
      tokenize_gdb_line("[Switching to thread 5 (Thread 0x7f0d2359f700 (LWP 20496))]");
  REQUIRE(session.kind == GdbLine::Kind::kThreadHeader);
  CHECK(session.thread.switched);
}

TEST_CASE("GdbTokenizerReadsPastedFrameLines") {
  // gdb-email-quoted-hash-space-frames.slash2-404.txt: a mailing list put a space after '#'.
  GdbLine spaced = tokenize_gdb_line(
      "# 2  0x00000038620093d7 in pthread_mutex_lock () from /lib64/libpthread.so.0");
  REQUIRE(spaced.kind == GdbLine::Kind::kFrame);
  CHECK(spaced.frame.number == "2");
  CHECK(spaced.frame.function == "pthread_mutex_lock");
  CHECK(spaced.frame.module == "/lib64/libpthread.so.0");
  // gdb-indented-2-spaces-trailing-blanks-fenced.trafficserver-10129.txt (as the tokenizer sees it
  // without the paste step: two spaces in).
  GdbLine indented = tokenize_gdb_line(
      "  #5  0x000000000086e868 in std::mutex::lock (this=0x28c29b0) at "
      "/usr/include/c++/13/bits/std_mutex.h:113");
  REQUIRE(indented.kind == GdbLine::Kind::kFrame);
  CHECK(indented.frame.number == "5");
  CHECK(indented.frame.args == "this=0x28c29b0");
  // Go debug=1's "#\t0x…" and a markdown heading are no frames.
  CHECK(tokenize_gdb_line("#\t0x45da64\tsync.runtime_SemacquireMutex+0x24\t/x/sema.go:77").kind !=
        GdbLine::Kind::kFrame);
  CHECK(tokenize_gdb_line("# Found one Java-level deadlock:").kind != GdbLine::Kind::kFrame);
}
