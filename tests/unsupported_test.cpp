// Formats dlanalyze refuses (parsers/unsupported.h): each row is the start of a file in
// testdata/wild that shows the format, and the refusal must name it in one line. Supported dumps
// that share words with them must not be refused.
#include <catch2/catch.hpp>

#include "parsers/unsupported.h"

using namespace dla;

namespace {

struct Row {
  const char* from;  // testdata/wild/…
  const char* text;
  const char* format;  // expected UnsupportedFormat::name, "" = not refused
  uint32_t line;
};

const Row kRows[] = {
    {"other/jrockit-r26-jdk14-dump.tda-jrockit_14.txt",
     "===== FULL THREAD DUMP ===============\nWed Nov 14 05:15:46 2007\n", "jrockit", 1},
    {"other/jrockit-r26-jdk15-two-dumps.tda-jrockit_15.txt (thread lines alone)",
     "\"Main Thread\" id=1 idx=0x2 tid=1256 prio=5 alive, in native, waiting\n\n"
     "\"(Signal Handler)\" id=2 idx=0x4 tid=3360 prio=5 alive, in native, daemon\n",
     "jrockit", 1},
    {"other/android-dalvik-anr-2011.congress-android-429.txt",
     "Joleka in:\n\n```\nDALVIK THREADS:\n\"main\" prio=5 tid=1 NATIVE\n", "android", 4},
    {"other/android-dalvik-native-threads-unindented.signal-android-3733.txt",
     "\"Signal Jozolic\" daemon prio=5 tid=3 RUNNABLE\n"
     "| group=\"system\" sCount=0 dsCount=0 obj=0x41af4318 self=0x4edbd830\n"
     "| sysTid=17018 nice=0 sched=0/0 cgrp=fibe handle=1366846424\n",
     "android", 2},
    {"other/threadinfo-tostring-in-prose.javamelody-203.txt",
     "it will contain:\n\n\"gohisosi-4\" Id=13 BLOCKED on java.lang.Object@32a88bc2 owned by "
     "\"gohisosi-0\" \nId=9\n",
     "threadinfo", 3},
    {"other/visualvm-jmx-remote-dump-crlf.tda-visualvmremote.txt",
     "\n2008-11-20 09:28:02\nFull thread dump Java HotSpot(TM) 64-Bit Server VM (11.0-b15 mixed "
     "mode):\n\n\"Timer-180\" - Thread t@332\n",
     "jmx", 5},
    {"other/jmx-threadinfo-dumps-three-in-log.tda-test.txt",
     "Full thread dump Java HotSpot(TM) Client VM 1.6.0_03-b05\n\n\"RMI TCP "
     "Connection(23)-127.0.1.1\" id=3149 in RUNNABLE (running in native)\n",
     "jmx", 3},
    {"other/intellij-deadlock-report.builder-generator-idea-plugin-4.txt",
     "Java-level deadlock has been detected\n\nThis means that some threads are blocked\n",
     "intellij", 1},
    {"native/illumos-pstack.smartos-live-990.txt",
     "83950:  cat\n kobi0f35 read     (0, 80632a0, 2000)\n 08051cc5 cat      (806b2c0, 8047adc, "
     "8047b6c, 8052819) + 7e\n 080524ef main     (8047c1c, fef5b784, 8047c58, 805146b) + 458\n",
     "pstack-solaris", 3},
    // Supported dumps are not refused.
    {"jvm/jdk8-openjdk-jstack.tda-java8dump.txt (HotSpot)",
     "2016-07-12 14:02:38\nFull thread dump OpenJDK 64-Bit Server VM (25.91-b14 mixed mode):\n\n"
     "\"Thread-2\" #20 prio=6 os_prio=0 tid=0x00007f92b01aa000 nid=0x2a43 waiting on condition "
     "[0x00007f92f507e000]\n   java.lang.Thread.State: TIMED_WAITING (sleeping)\n",
     "", 0},
    {"native/gdb-btfull-20-threads-core (gdb)",
     "Thread 20 (Thread 0x7f557dffb700 (LWP 10039)):\n#0  pthread_cond_timedwait@@GLIBC_2.3.2 () "
     "at ../movirof/unix/sysv/linux/x86_64/pthread_cond_timedwait.S:238\n",
     "", 0},
    {"go/cgo-sigabrt-goroutine-0-unknown-pc-compose-prefix (a compose log prefix has '| ')",
     "nozucu_1  | SIGABRT: abort\nnozucu_1  | PC=0x7fb7caaba337 m=14 "
     "sigcode=18446744073709551610\n",
     "", 0},
};

}  // namespace

TEST_CASE("UnsupportedFormatsAreRecognisedByTheirOwnLines") {
  for (const Row& row : kRows) {
    INFO(row.from);
    auto match = recognise_unsupported(row.text);
    if (*row.format == '\0') {
      CHECK_FALSE(match.has_value());
      continue;
    }
    REQUIRE(match.has_value());
    CHECK(match->format->name == row.format);
    CHECK(match->line == row.line);
    std::string message = refusal_message("dump.txt", *match);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.starts_with("dump.txt:" + std::to_string(row.line) + ": "));
    CHECK(message.find("not supported") != std::string::npos);
  }
}
