// The command line as a user runs it: exit codes, the one-line errors for bad input, the JSON
// contract, colour, standard input. Runs run_cli in-process, and the built binary for pipes.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/app.h"
#include "test_util.h"

using dla::test::testdata;

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run run(std::vector<std::string> args, bool tty = false) {
  args.insert(args.begin(), "dlanalyze");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = dla::run_cli(static_cast<int>(argv.size()), argv.data(), out, err, tty);
  return {code, out.str(), err.str()};
}

// A scratch directory for inputs made from real dumps (truncated, corrupted, …).
std::string scratch(const std::string& name, const std::string& content) {
  static std::string dir = [] {
    char tmpl[] = "/tmp/dlanalyze-test-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

using dla::test::read_file;

// Shell-out for what only a process can show: standard input from a pipe.
Run run_shell(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WEXITSTATUS(status), out, ""};
}

}  // namespace

TEST_CASE("CliDeadlockDumpExitsOneAndSummarisesFirst") {
  Run r = run({testdata("jvm/monitor_cycle.jstack-l.txt")});
  CHECK(r.code == 1);
  CHECK(r.out.rfind("DEADLOCK: 21 threads, 1 cycle, 0 stuck, 0 blocked behind a cycle", 0) == 0);
  CHECK(r.out.find("thread \"worker-a\" (lwp 11538, BLOCKED (on object monitor))") !=
        std::string::npos);
  CHECK(r.out.find("waits for   monitor 0x00000000ffd1b078 (MonitorCycle$Ledger)") !=
        std::string::npos);
  CHECK(r.out.find("held by     thread \"worker-b\", taken at MonitorCycle.transferBtoA "
                   "(MonitorCycle.java:39)") != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("CliCleanDumpExitsZeroAndShowsGroups") {
  Run r = run({testdata("jvm/idle_pool.jstack-l.txt")});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("no deadlock: 220 threads, 0 cycles", 0) == 0);
  CHECK(r.out.find("    200  WAITING (parking)  pool-worker-0, pool-worker-1, pool-worker-2, …") !=
        std::string::npos);
}

TEST_CASE("CliJsonFollowsTheDlanalyzeOneContract") {
  Run r = run({testdata("jvm/mixed_cycle.jstack-l.txt"), "--output-format", "json"});
  CHECK(r.code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema"] == "dlanalyze/1");
  CHECK(j["tool"]["name"] == "dlanalyze");
  CHECK(j["inputs"][0]["format"] == "jvm");
  CHECK(j["inputs"][0]["tasks"] == 22);
  CHECK(j["verdict"] == "deadlock");
  REQUIRE(j["cycles"].size() == 1);
  auto members = j["cycles"][0]["members"];
  REQUIRE(members.size() == 3);
  CHECK(members[0]["task"] == "stage-1");
  CHECK(members[1]["task"] == "stage-2");
  CHECK(members[2]["task"] == "stage-3");
  CHECK(j["cycles"][0]["confidence"] == "certain");
  auto r1 = j["resources"][members[0]["waits_for"].get<std::string>()];
  CHECK(r1["kind"] == "ownable_synchronizer");
  CHECK(r1["address"] == "0x00000000ffd1a828");
  CHECK(r1["type"] == "java.util.concurrent.locks.ReentrantLock$NonfairSync");
  CHECK(r1["holders"][0]["task"] == "stage-2");
  CHECK(r1["holders"][0]["evidence"] == "lock_record");
  CHECK(r1["waiters"] == nlohmann::json::array({"stage-1"}));
  auto r2 = j["resources"][members[1]["waits_for"].get<std::string>()];
  CHECK(r2["kind"] == "monitor");
  CHECK(r2["holders"][0]["task"] == "stage-3");
  // Only tasks named by findings are listed, each with its frames and group.
  CHECK(j["tasks"].size() == 3);
  CHECK(j["tasks"][0]["id"] == "stage-1");
  CHECK(j["tasks"][0]["lwp"] == 0x2ec5);
  CHECK(j["tasks"][0]["frames"][0]["function"] == "jdk.internal.misc.Unsafe.park");
  CHECK(j["tasks"][0]["frames"][6]["line"] == 32);
  for (const char* key : {"stuck", "blocked", "groups", "warnings"}) CHECK(j.contains(key));
  CHECK(j["warnings"].empty());

  Run all =
      run({testdata("jvm/mixed_cycle.jstack-l.txt"), "--output-format", "json", "--all-tasks"});
  CHECK(nlohmann::json::parse(all.out)["tasks"].size() == 22);
}

TEST_CASE("CliReadsStandardInputFromAPipe") {
  std::string file = testdata("jvm/reentrant_lock_cycle.jstack-l.txt");
  Run r = run_shell("cat '" + file + "' | '" + DLA_BINARY + "' - --output-format json");
  CHECK(r.code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["inputs"][0]["path"] == "-");
  CHECK(j["cycles"][0]["members"][0]["task"] == "worker-a");
}

TEST_CASE("CliColourOnlyOnATerminalUnlessAsked") {
  std::string file = testdata("jvm/monitor_cycle.jstack-l.txt");
  CHECK(run({file}).out.find("\x1b[") == std::string::npos);
  CHECK(run({file, "--color=always"}).out.find("\x1b[") != std::string::npos);
  CHECK(run({file, "--color=never"}, true).out.find("\x1b[") == std::string::npos);
  if (getenv("NO_COLOR") == nullptr)
    CHECK(run({file}, true).out.find("\x1b[") != std::string::npos);
}

TEST_CASE("CliHelpAndVersion") {
  Run version = run({"--version"});
  CHECK(version.code == 0);
  CHECK(version.out.find("dlanalyze 0.1.0") != std::string::npos);
  Run help = run({"--help"});
  CHECK(help.code == 0);
  CHECK(help.out.find("--output-format") != std::string::npos);
  CHECK(help.out.find("jvm") != std::string::npos);
}

TEST_CASE("CliUsageErrorsExitTwo") {
  CHECK(run({}).code == 2);
  Run bad_format = run({testdata("jvm/idle_pool.jcmd.txt"), "--output-format", "yaml"});
  CHECK(bad_format.code == 2);
  CHECK(bad_format.err.rfind("dlanalyze: ", 0) == 0);
}

TEST_CASE("CliBadInputGivesOneLineNamingTheFileAndExitsTwo") {
  auto one_line = [](const Run& r) { return std::count(r.err.begin(), r.err.end(), '\n') == 1; };
  SECTION("missing file") {
    Run r = run({"/nonexistent/dump.txt"});
    CHECK(r.code == 2);
    CHECK(r.err == "dlanalyze: /nonexistent/dump.txt: No such file or directory\n");
  }
  SECTION("directory") {
    Run r = run({testdata("jvm")});
    CHECK(r.code == 2);
    CHECK(r.err == "dlanalyze: " + testdata("jvm") + ": is a directory, not a dump\n");
  }
  SECTION("empty") {
    std::string path = scratch("empty.txt", "");
    Run r = run({path});
    CHECK(r.code == 2);
    CHECK(r.err == "dlanalyze: " + path + ": empty input\n");
  }
  SECTION("binary") {
    std::string path = scratch("binary.bin", std::string("\x7f"
                                                         "ELF\x02\x01\x01\0\0\0",
                                                         10));
    Run r = run({path});
    CHECK(r.code == 2);
    CHECK(r.err == "dlanalyze: " + path + ": binary data at byte offset 7: not a thread dump\n");
  }
  SECTION("not a thread dump") {
    std::string path = scratch("notes.txt", "Meeting notes\nnothing to see\n");
    Run r = run({path});
    CHECK(r.code == 2);
    CHECK(one_line(r));
    CHECK(r.err.rfind(
              "dlanalyze: " + path + ":1: not a recognised dump (starts with 'Meeting notes')",
              0) == 0);
  }
  SECTION("a dump header with no thread") {
    std::string path = scratch("header_only.txt",
                               "2026-11-24 00:56:32\nFull thread dump OpenJDK 64-Bit Server VM "
                               "(17.0.15+6-Debian-1deb12u1 mixed mode, sharing):\n\n");
    Run r = run({path});
    CHECK(r.code == 2);
    CHECK(r.err == "dlanalyze: " + path + ":3: thread dump ends before its first thread\n");
  }
  SECTION("forced format that does not fit") {
    std::string path = scratch("notes2.txt", "Meeting notes\n");
    Run r = run({path, "--input-format", "jvm"});
    CHECK(r.code == 2);
    CHECK(r.err == "dlanalyze: " + path + ": no thread found: not a JVM thread dump\n");
  }
}

TEST_CASE("CliTruncatedDumpGivesPartialResultAndAWarning") {
  // The monitor cycle dump cut in the middle of worker-b's stack (after line 117).
  std::string full = read_file(testdata("jvm/monitor_cycle.jstack-l.txt"));
  size_t cut = 0;
  for (int line = 0; line < 117; ++line) cut = full.find('\n', cut) + 1;
  std::string path = scratch("truncated.txt", full.substr(0, cut));
  Run r = run({path});
  // worker-b's lock record survives the cut, so the cycle is still proven; the JVM's own report
  // is lost, and the warning says the result is partial.
  CHECK(r.code == 1);
  CHECK(r.err ==
        "dlanalyze: warning: " + path +
            ":117: input ends inside thread \"worker-b\" (started at line 113): truncated; "
            "results are partial\n");
  CHECK(r.out.find("(partial: input damaged)") != std::string::npos);

  // Cut before worker-b's lock record: no cycle can be proven, and a damaged input is never
  // called clean.
  cut = 0;
  for (int line = 0; line < 115; ++line) cut = full.find('\n', cut) + 1;
  std::string early = scratch("truncated_early.txt", full.substr(0, cut));
  Run e = run({early});
  CHECK(e.code == 2);
  CHECK(e.err.find(":115: input ends inside thread \"worker-b\"") != std::string::npos);
}

TEST_CASE("CliJsonStaysValidWhenTheDumpIsNotUtf8") {
  // The monitor cycle dump with worker-a renamed in Latin-1 ("worker-\xe4"), as a JVM running
  // with file.encoding=ISO-8859-1 prints it. Found by the fuzzer.
  std::string dump = read_file(testdata("jvm/monitor_cycle.jstack-l.txt"));
  for (size_t at = dump.find("\"worker-a\""); at != std::string::npos;
       at = dump.find("\"worker-a\"", at)) {
    dump.replace(at, 10, "\"worker-\xe4\"");
  }
  std::string path = scratch("latin1.txt", dump);
  Run r = run({path, "--output-format", "json"});
  CHECK(r.code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["cycles"][0]["members"][0]["task"] == "worker-\xef\xbf\xbd");
}

TEST_CASE("CliInputBytesAreEscapedAndWarningsKeptToThreeLines") {
  // The monitor cycle dump with worker-a renamed in Latin-1 and an escape byte in it, and its
  // seven "- locked" lines damaged into a verb HotSpot never prints: five warnings (the other two
  // are in the deadlock report's stack part, which is not read for lock records).
  std::string dump = read_file(testdata("jvm/monitor_cycle.jstack-l.txt"));
  for (size_t at = dump.find("\"worker-a\""); at != std::string::npos;
       at = dump.find("\"worker-a\"", at)) {
    dump.replace(at, 10, "\"worker-\xe4\x1b]0;x\"");
  }
  for (size_t at = dump.find("- locked <"); at != std::string::npos;
       at = dump.find("- locked <", at)) {
    dump.replace(at, 10, "- lockex <");
  }
  std::string path = scratch("escaped.txt", dump);
  Run r = run({path});
  CHECK(r.out.find("worker-\\xe4\\x1b]0;x") != std::string::npos);
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.out.find('\xe4') == std::string::npos);
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = r.err.find('\n', start)) != std::string::npos;
       start = end + 1) {
    lines.push_back(r.err.substr(start, end - start));
  }
  REQUIRE(lines.size() == 3);
  for (const std::string& line : lines) CHECK(line.rfind("dlanalyze: warning: " + path, 0) == 0);
  CHECK(lines[2] ==
        "dlanalyze: warning: " + path + ": 3 more warnings (--output-format json lists every one)");
}

TEST_CASE("CliGoDumpFromAPipeWithSourceRootFindsTheCycle") {
  std::string file = testdata("go/server_cycle2.debug2.txt");
  std::string root = "/tmp/dlanalyze-go=" + testdata("go/programs");
  Run r = run_shell("cat '" + file + "' | '" + DLA_BINARY + "' - --source-root '" + root +
                    "' --output-format json");
  CHECK(r.code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["inputs"][0]["format"] == "go-debug2");
  REQUIRE(j["cycles"].size() == 1);
  CHECK(j["cycles"][0]["confidence"] == "likely");
  CHECK(j["cycles"][0]["summary"] ==
        "goroutine 21 holds inventory.mu and waits for billing.mu; goroutine 22 holds billing.mu "
        "and waits for inventory.mu");
  auto billing = j["resources"][j["cycles"][0]["members"][0]["waits_for"].get<std::string>()];
  CHECK(billing["address"] == "0x8fda80");
  CHECK(billing["symbol"] == "billing.mu");
  CHECK(billing["holders"][0]["task"] == "22");
  CHECK(billing["holders"][0]["evidence"] == "source");
}

TEST_CASE("CliGoExitCodesFollowWhatIsCertain") {
  // Without source: waiters, a warning, nothing certain: exit 0.
  Run unsure = run(
      {testdata("go/server_cycle2.debug2.txt"), "--source-root", "/tmp/dlanalyze-go=/nonexistent"});
  CHECK(unsure.code == 0);
  CHECK(unsure.out.rfind("no deadlock proven (lock holders unknown): 5 goroutines", 0) == 0);
  CHECK(unsure.err.find("dlanalyze: warning: ") == 0);
  CHECK(unsure.err.find("--source-root /tmp/dlanalyze-go/server_cycle2=DIR") != std::string::npos);
  // A nil channel and select {} are certain without any source: exit 1.
  Run stuck =
      run({testdata("go/channels.debug2.txt"), "--source-root", "/tmp/dlanalyze-go=/nonexistent"});
  CHECK(stuck.code == 1);
  CHECK(stuck.out.rfind("STUCK: 8 goroutines, 0 cycles, 2 stuck", 0) == 0);
  // A leak of 500 senders is a group, not a deadlock.
  Run leak = run({testdata("go/leak.debug2.txt")});
  CHECK(leak.code == 0);
  CHECK(leak.out.find("    500  chan send  goroutines 19, 20, 21, …") != std::string::npos);
}

TEST_CASE("CliGdbCommandsPrintsTheScriptThatMadeTheOwnersCaptures") {
  // testdata/gdb/capture.sh ran gdb with cli/gdb_commands.gdb to make the .gdb-owners.txt dumps.
  Run r = run({"gdb-commands"});
  CHECK(r.code == 0);
  CHECK(r.out == read_file(std::string(DLA_SOURCE_DIR) + "/cli/gdb_commands.gdb"));
  CHECK(r.out.find("dl-owners") != std::string::npos);
  Run owners = run({testdata("gdb/mutex_cycle2.gdb-owners.txt")});
  CHECK(owners.code == 1);
  CHECK(owners.out.find("[read from memory]") != std::string::npos);
}

TEST_CASE("CliReadsACoreWithItsExecutableAndRefusesWhatIsNotACore") {
  // The committed cores are xz-compressed: as a user would, decompress them first.
  std::string core = scratch("mutex_cycle2.core", "");
  std::string exe = scratch("mutex_cycle2.exe", "");
  REQUIRE(std::system(("xz -dkc '" + testdata("core/mutex_cycle2.gcore.xz") + "' > '" + core + "'")
                          .c_str()) == 0);
  REQUIRE(std::system(
              ("xz -dkc '" + testdata("core/mutex_cycle2.exe.xz") + "' > '" + exe + "'").c_str()) ==
          0);
  Run r = run({core, "-e", exe, "--output-format", "json"});
  CHECK(r.code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["inputs"][0]["format"] == "core");
  REQUIRE(j["cycles"].size() == 1);
  CHECK(j["cycles"][0]["members"][0]["task"] == "4108");
  CHECK(j["cycles"][0]["members"][1]["task"] == "4109");
  CHECK(j["cycles"][0]["confidence"] == "certain");

  Run compressed = run({testdata("core/mutex_cycle2.gcore.xz")});
  CHECK(compressed.code == 2);
  CHECK(compressed.err == "dlanalyze: " + testdata("core/mutex_cycle2.gcore.xz") +
                              ": xz-compressed: decompress it first (xz -dk FILE)\n");
  Run executable = run({exe});
  CHECK(executable.code == 2);
  CHECK(executable.err == "dlanalyze: " + exe + ": an ELF executable, not a core\n");
}

TEST_CASE("CliReadsServiceabilityAgentDumpsDetectedNamedOrPiped") {
  Run r = run({testdata("jvm-sa/monitor_cycle.jhsdb.txt")});
  CHECK(r.code == 1);
  CHECK(r.out.rfind("DEADLOCK: 8 threads, 1 cycle, 0 stuck, 0 blocked behind a cycle", 0) == 0);
  CHECK(r.out.find(": jvm-sa, HotSpot JVM 17.0.15+6-Debian-1deb12u1]") != std::string::npos);
  CHECK(r.out.find("blocked at  MonitorCycle.transferAtoB (line 30)") != std::string::npos);
  CHECK(r.err.empty());

  Run named = run({"--input-format", "jvm-sa", testdata("jvm-sa/lost_notify.jhsdb-locks.txt")});
  CHECK(named.code == 0);
  CHECK(named.out.rfind("no deadlock: 7 threads", 0) == 0);

  Run json = run({"--output-format", "json", testdata("jvm-sa/reentrant_lock_cycle.jhsdb.txt")});
  CHECK(json.code == 1);
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["inputs"][0]["format"] == "jvm-sa");
  CHECK(doc["verdict"] == "deadlock");

  // The pipe: jhsdb jstack --locks --exe java --core core.PID | dlanalyze -
  Run piped = run_shell("cat '" + testdata("jvm-sa/two_cycles_same_name.jhsdb-core.txt") + "' | '" +
                        DLA_BINARY + "' -");
  CHECK(piped.code == 1);
  CHECK(piped.out.rfind("DEADLOCK: 10 threads, 2 cycles", 0) == 0);
}

TEST_CASE("CliJsonNeverSaysCleanWhenLockHoldersAreUnknown") {
  // server_cycle2 deadlocks on two sync.Mutexes; without its source no holder is known: no cycle,
  // exit 0 (nothing found), and the verdict says why it is not "clean".
  Run r = run({testdata("go/server_cycle2.debug2.txt"), "--output-format", "json"});
  CHECK(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["verdict"] == "unproven");
  CHECK(j["unproven_because"] == "lock holders unknown");
  CHECK(j["cycles"].empty());
  CHECK(j["unresolved"].size() == 2);
  Run text = run({testdata("go/server_cycle2.debug2.txt")});
  CHECK(text.out.starts_with("no deadlock proven (lock holders unknown)"));
}
