// The JVM tokenizer, one line at a time. Every line here is copied from a captured dump under
// testdata/jvm/ (JDK 17) or from the transcribed JDK 8/11/21 files beside them.
#include <catch2/catch.hpp>

#include "parsers/jvm_thread_dump.h"

using dla::JvmLine;
using dla::tokenize_jvm_line;
using Kind = JvmLine::Kind;

TEST_CASE("JvmTokenizerReadsJdk17JavaThreadHeader") {
  // monitor_cycle.jstack-l.txt
  JvmLine t = tokenize_jvm_line(
      "\"worker-a\" #12 prio=5 os_prio=0 cpu=0.34ms elapsed=0.33s tid=0x00007f73800e4200 "
      "nid=0x2d12 waiting for monitor entry  [0x00007f7368efd000]");
  REQUIRE(t.kind == Kind::kThreadHeader);
  CHECK(t.header.name == "worker-a");
  CHECK(t.header.number == "12");
  CHECK(t.header.nid == 0x2d12);
  CHECK(t.header.os_state == "waiting for monitor entry");
  CHECK(t.header.elapsed_seconds == Approx(0.33));
  CHECK_FALSE(t.header.daemon);
}

TEST_CASE("JvmTokenizerReadsDaemonAndVmInternalHeaders") {
  JvmLine daemon = tokenize_jvm_line(
      "\"Reference Handler\" #2 daemon prio=10 os_prio=0 cpu=0.14ms elapsed=0.36s "
      "tid=0x00007f73800c2ff0 nid=0x2cfd waiting on condition  [0x00007f73845a7000]");
  REQUIRE(daemon.kind == Kind::kThreadHeader);
  CHECK(daemon.header.name == "Reference Handler");
  CHECK(daemon.header.daemon);
  CHECK(daemon.header.os_state == "waiting on condition");

  // VM-internal threads: no "#N", no stack address, trailing spaces.
  JvmLine vm = tokenize_jvm_line(
      "\"GC Thread#0\" os_prio=0 cpu=0.07ms elapsed=0.38s tid=0x00007f738003a280 nid=0x2cf1 "
      "runnable  ");
  REQUIRE(vm.kind == Kind::kThreadHeader);
  CHECK(vm.header.name == "GC Thread#0");
  CHECK(vm.header.number.empty());
  CHECK(vm.header.nid == 0x2cf1);
  CHECK(vm.header.os_state == "runnable");
}

TEST_CASE("JvmTokenizerKeepsQuotesAndSpacesInsideThreadNames") {
  JvmLine t = tokenize_jvm_line(
      "\"pool \"fast\" worker\" #30 prio=5 os_prio=0 cpu=0.10ms elapsed=1.00s "
      "tid=0x00007f73800e4200 nid=0x2d20 runnable  [0x00007f7368efd000]");
  REQUIRE(t.kind == Kind::kThreadHeader);
  CHECK(t.header.name == "pool \"fast\" worker");
}

TEST_CASE("JvmTokenizerReadsStateAndFrames") {
  JvmLine state = tokenize_jvm_line("   java.lang.Thread.State: BLOCKED (on object monitor)");
  REQUIRE(state.kind == Kind::kThreadState);
  CHECK(state.text == "BLOCKED (on object monitor)");

  JvmLine app = tokenize_jvm_line("\tat MonitorCycle.transferAtoB(MonitorCycle.java:30)");
  REQUIRE(app.kind == Kind::kFrame);
  CHECK(app.text == "MonitorCycle.transferAtoB");
  CHECK(app.detail == "MonitorCycle.java:30");

  JvmLine lambda =
      tokenize_jvm_line("\tat MonitorCycle$$Lambda$1/0x00007f7314000400.run(Unknown Source)");
  REQUIRE(lambda.kind == Kind::kFrame);
  CHECK(lambda.text == "MonitorCycle$$Lambda$1/0x00007f7314000400.run");
  CHECK(lambda.detail == "Unknown Source");

  JvmLine native = tokenize_jvm_line("\tat java.lang.Object.wait(java.base@17.0.15/Native Method)");
  REQUIRE(native.kind == Kind::kFrame);
  CHECK(native.text == "java.lang.Object.wait");
  CHECK(native.detail == "Native Method");
  CHECK(native.module == "java.base@17.0.15");

  JvmLine jdk = tokenize_jvm_line("\tat java.lang.Thread.run(java.base@17.0.15/Thread.java:840)");
  CHECK(jdk.detail == "Thread.java:840");
  CHECK(jdk.module == "java.base@17.0.15");
}

TEST_CASE("JvmTokenizerReadsJdk21DumpToFileLines") {
  // transcribed/jdk21_dump_to_file.txt (ThreadDumper.dumpThread, JDK 21)
  JvmLine header = tokenize_jvm_line("#18 \"worker-a\"");
  REQUIRE(header.kind == Kind::kPlainThreadHeader);
  CHECK(header.text == "worker-a");
  CHECK(header.detail == "18");
  CHECK(header.address.empty());

  JvmLine virt = tokenize_jvm_line("#31 \"\" virtual");
  REQUIRE(virt.kind == Kind::kPlainThreadHeader);
  CHECK(virt.text.empty());
  CHECK(virt.address == "virtual");

  JvmLine frame = tokenize_jvm_line("      java.base/java.lang.Object.wait0(Native Method)");
  REQUIRE(frame.kind == Kind::kFrame);
  CHECK(frame.text == "java.lang.Object.wait0");
  CHECK(frame.module == "java.base");
  CHECK(frame.detail == "Native Method");

  JvmLine app = tokenize_jvm_line("      MonitorCycle.transferAtoB(MonitorCycle.java:30)");
  CHECK(app.text == "MonitorCycle.transferAtoB");
  CHECK(app.module.empty());

  // A hidden class's "/0x…" is part of its name, not a module separator.
  JvmLine hidden = tokenize_jvm_line(
      "      "
      "java.base/java.lang.invoke.LambdaForm$DMH/0x0000000801000400.invokeStatic(LambdaForm$DMH)");
  CHECK(hidden.text == "java.lang.invoke.LambdaForm$DMH/0x0000000801000400.invokeStatic");
  CHECK(hidden.module == "java.base");
}

TEST_CASE("JvmTokenizerReadsEveryLockLineShape") {
  JvmLine waiting =
      tokenize_jvm_line("\t- waiting to lock <0x00000000ffd1b078> (a MonitorCycle$Ledger)");
  REQUIRE(waiting.kind == Kind::kLockLine);
  CHECK(waiting.text == "waiting to lock");
  CHECK(waiting.address == "0x00000000ffd1b078");
  CHECK(waiting.detail == "MonitorCycle$Ledger");

  // Two spaces before the object, as HotSpot prints it.
  JvmLine parking = tokenize_jvm_line(
      "\t- parking to wait for  <0x00000000ffd1a828> (a "
      "java.util.concurrent.locks.ReentrantLock$NonfairSync)");
  REQUIRE(parking.kind == Kind::kLockLine);
  CHECK(parking.text == "parking to wait for");
  CHECK(parking.address == "0x00000000ffd1a828");
  CHECK(parking.detail == "java.util.concurrent.locks.ReentrantLock$NonfairSync");

  JvmLine ownable = tokenize_jvm_line(
      "\t- <0x00000000ffd1a828> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)");
  REQUIRE(ownable.kind == Kind::kLockLine);
  CHECK(ownable.text.empty());
  CHECK(ownable.address == "0x00000000ffd1a828");

  JvmLine none = tokenize_jvm_line("\t- None");
  REQUIRE(none.kind == Kind::kLockLine);
  CHECK(none.text == "None");
  CHECK(none.address.empty());

  JvmLine no_ref = tokenize_jvm_line("\t- waiting on <no object reference available>");
  REQUIRE(no_ref.kind == Kind::kLockLine);
  CHECK(no_ref.text == "waiting on");
  CHECK(no_ref.address.empty());

  JvmLine eliminated =
      tokenize_jvm_line("\t- eliminated <owner is scalar replaced> (a java.lang.Object)");
  REQUIRE(eliminated.kind == Kind::kLockLine);
  CHECK(eliminated.text == "eliminated");
  CHECK(eliminated.address.empty());
}

TEST_CASE("JvmTokenizerReadsDumpFramingAndDeadlockSection") {
  CHECK(tokenize_jvm_line("Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 "
                          "mixed mode, sharing):")
            .kind == Kind::kDumpHeader);
  CHECK(tokenize_jvm_line("JNI global refs: 4, weak refs: 0").kind == Kind::kEndOfThreads);
  CHECK(tokenize_jvm_line("JNI global references: 6").kind == Kind::kEndOfThreads);  // JDK 8
  CHECK(tokenize_jvm_line("   Locked ownable synchronizers:").kind == Kind::kOwnableHeader);
  CHECK(tokenize_jvm_line("Found one Java-level deadlock:").kind == Kind::kDeadlockStart);
  CHECK(tokenize_jvm_line("Java stack information for the threads listed above:").kind ==
        Kind::kDeadlockStacks);
  CHECK(tokenize_jvm_line("Found 1 deadlock.").kind == Kind::kDeadlockEnd);
  CHECK(tokenize_jvm_line("Found 2 deadlocks.").kind == Kind::kDeadlockEnd);
  JvmLine member = tokenize_jvm_line("\"worker-a\":");
  REQUIRE(member.kind == Kind::kDeadlockThread);
  CHECK(member.text == "worker-a");
  CHECK(tokenize_jvm_line("").kind == Kind::kBlank);
  CHECK(tokenize_jvm_line("_java_thread_list=0x00007f72f8001f70, length=14, elements={").kind ==
        Kind::kOther);
}

// --- What people paste (testdata/wild/jvm): each row's line is copied from the file it names ---

namespace {

struct PastedLineRow {
  const char* line;
  Kind kind;
  const char* text;     // expected JvmLine::text ("" = not checked)
  const char* address;  // expected JvmLine::address ("" = not checked)
  const char* detail;   // expected JvmLine::detail ("" = not checked)
  const char* from;     // the file under testdata/wild/jvm/
};

const PastedLineRow kPastedLines[] = {
    // Frames and lock lines indented by spaces instead of a tab (a console copy, a forum).
    {"        at pubi.core.TobinojIteci.process(TobinojIteci.java:28)", Kind::kFrame,
     "pubi.core.TobinojIteci.process", "", "TobinojIteci.java:28",
     "hotspot-deadlock-section-jdk8-space-indented-stacks.jadx-274.txt"},
    {"        - waiting to lock <0x0000000405280160> (a pubi.core.vut.info.ClassInfo)",
     Kind::kLockLine, "waiting to lock", "0x0000000405280160", "pubi.core.vut.info.ClassInfo",
     "hotspot-deadlock-section-jdk8-space-indented-stacks.jadx-274.txt"},
    {"    at org.apache.fafibi.pukijoc.CadUfobusi.service(CadUfobusi.java:333)", Kind::kFrame,
     "org.apache.fafibi.pukijoc.CadUfobusi.service", "", "CadUfobusi.java:333",
     "hotspot-deadlock-section-markdown-headings-4-space.threaddump-analyzer-12.txt"},
    // The deadlock report's headings, also as markdown headings.
    {"Found one Java-level deadlock:", Kind::kDeadlockStart, "", "", "",
     "hotspot-deadlock-section-32bit-no-stacks.aprof-3.txt"},
    {"# Found one Java-level deadlock:", Kind::kDeadlockStart, "", "", "",
     "hotspot-deadlock-section-markdown-headings-4-space.threaddump-analyzer-12.txt"},
    {"# Java stack information for the threads listed above:", Kind::kDeadlockStacks, "", "", "",
     "hotspot-deadlock-section-markdown-headings-4-space.threaddump-analyzer-12.txt"},
    {"Found 1 deadlock.", Kind::kDeadlockEnd, "", "", "",
     "partial-jstack-tail-complete-deadlock-section-jdk8-mac.javaperformancetuning-12.txt"},
    // Report entries.
    {"\"qtp199907649-183[scan_[jil_test001]_kokunab-85a87803-a253-46d6-b854-8f1d8f6858a2]\":",
     Kind::kDeadlockThread,
     "qtp199907649-183[scan_[jil_test001]_kokunab-85a87803-a253-46d6-b854-8f1d8f6858a2]", "", "",
     "hotspot-deadlock-section-bracketed-names.druid-13949.txt"},
    {"\"**qtp1272883899-10442**\":", Kind::kDeadlockThread, "qtp1272883899-10442", "", "",
     "hotspot-deadlock-entry-markdown-bold.jetty-11447.txt"},
    {"  waiting to lock monitor 0x39c1d47c (object 0x1af6bc50, a "
     "com.pahepifase.dovim.transformer.GanofEbatApaju),",
     Kind::kDeadlockMonitor, "", "0x1af6bc50", "com.pahepifase.dovim.transformer.GanofEbatApaju",
     "hotspot-deadlock-section-32bit-no-stacks.aprof-3.txt"},
    {"  waiting to lock Monitor@0x00007f9958004848 (Object@0x00000000803c6648, a "
     "org/cetahipo/agent/util/ZataKefirafEkatok),",
     Kind::kDeadlockMonitor, "", "0x00000000803c6648", "org/cetahipo/agent/util/ZataKefirafEkatok",
     "jstack-F-deadlock-section-indented-4.glowroot-264.txt"},
    {"  waiting for ownable synchronizer 0x00000007a769c200, (a "
     "java.util.concurrent.locks.ReentrantLock$FairSync),",
     Kind::kDeadlockSynchronizer, "", "0x00000007a769c200",
     "java.util.concurrent.locks.ReentrantLock$FairSync",
     "hotspot-deadlock-section-jdk17-fairsync-3-listed-1-behind.cosmic-194.txt"},
    {"  which is held by \"main/queue-cluster-2-core-event-loop\"", Kind::kDeadlockHeldBy,
     "main/queue-cluster-2-core-event-loop", "", "",
     "hotspot-deadlock-section-slash-in-name.chronicle-network-93.txt"},
    // A class histogram after a kill -3 dump ends the dump.
    {"num   #instances    #bytes  class name", Kind::kHistogram, "", "", "",
     "jdk5-kill3-with-class-histogram.tda-testwithhistogram.txt"},
};

}  // namespace

TEST_CASE("JvmTokenizerReadsWhatPeoplePaste") {
  for (const PastedLineRow& row : kPastedLines) {
    INFO(row.from << ": " << row.line);
    JvmLine t = tokenize_jvm_line(row.line);
    CHECK(t.kind == row.kind);
    if (*row.text) CHECK(t.text == row.text);
    if (*row.address) CHECK(t.address == row.address);
    if (*row.detail) CHECK(t.detail == row.detail);
  }
}

TEST_CASE("JvmTokenizerStillReadsSixSpaceDumpToFileFramesWithoutAt") {
  // jdk24-dump-to-file-text-virtual-threads.virtual-threads.txt: StackTraceElement text, no "at";
  // the rule for space-indented jstack frames ("at " after any indentation) must not take it.
  JvmLine plain = tokenize_jvm_line("      java.base/jdk.internal.misc.Unsafe.park(Native Method)");
  REQUIRE(plain.kind == Kind::kFrame);
  CHECK(plain.text == "jdk.internal.misc.Unsafe.park");
  CHECK(plain.module == "java.base");
  CHECK(plain.detail == "Native Method");
}

TEST_CASE("JvmTokenizerReadsALineOfHashesAsNothing") {
  // A markdown rule or a script's comment banner (found by the fuzzer: it threw out_of_range).
  CHECK(tokenize_jvm_line("###").kind == JvmLine::Kind::kOther);
  CHECK(tokenize_jvm_line("# Found one Java-level deadlock:").kind ==
        JvmLine::Kind::kDeadlockStart);
}
