// Cores of a JVM (parsers/jvm_core): never the native view; the Java threads through the JDK's own
// Serviceability Agent, or a one-line error naming the JDK and the command to run.
//
// Two kinds of test. Small ELF cores made here, with the JDK in a --sysroot whose bin/jhsdb is a
// script that checks how it is called and prints a real SA capture, test the path to the SA
// everywhere (missing JDK, another build, no jhsdb, SA failure, output of another process). And a
// real one: a deadlocked JDK 17 program, its core made with gcore, read through the installed
// jhsdb, must give exactly what jstack -l of the same process gives. That one needs java and gdb:
// it is skipped, with a warning, where they are missing, and fails in CI (CI=true).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "cli/app.h"
#include "parsers/elf_core.h"
#include "parsers/jvm_core.h"
#include "parsers/run_command.h"
#include "test_util.h"

using namespace dla;
using dla::test::frame_at;
using dla::test::id_of;
using dla::test::testdata;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/dlanalyze-jvm-core-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

void write_file(const std::string& path, const std::string& bytes, bool executable = false) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
  if (executable) chmod(path.c_str(), 0755);
}

// --- Small ELF images, little-endian x86_64 ------------------------------------------------------

void put(std::string& b, size_t at, uint64_t value, int size) {
  if (b.size() < at + size) b.resize(at + size, '\0');
  for (int i = 0; i < size; ++i) b[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

void put_ehdr(std::string& b, uint16_t type, uint16_t phnum) {
  b.replace(0, 4, "\177ELF");
  put(b, 4, 2, 1);  // ELFCLASS64
  put(b, 5, 1, 1);  // ELFDATA2LSB
  put(b, 6, 1, 1);  // EV_CURRENT
  put(b, 16, type, 2);
  put(b, 18, 62, 2);  // EM_X86_64
  put(b, 20, 1, 4);
  put(b, 32, 64, 8);  // e_phoff
  put(b, 52, 64, 2);  // e_ehsize
  put(b, 54, 56, 2);  // e_phentsize
  put(b, 56, phnum, 2);
}

void put_phdr(std::string& b, int index, uint32_t type, uint64_t offset, uint64_t vaddr,
              uint64_t size, uint64_t align) {
  size_t at = 64 + 56 * index;
  put(b, at, type, 4);
  put(b, at + 4, 4, 4);  // PF_R
  put(b, at + 8, offset, 8);
  put(b, at + 16, vaddr, 8);
  put(b, at + 32, size, 8);
  put(b, at + 40, size, 8);
  put(b, at + 48, align, 8);
}

// A 4 KiB shared object whose only content is its GNU build-id note: what the core's memory
// holds of libjvm.so's first page, and what its file on disk says.
std::string libjvm_image(const std::string& build_id) {
  std::string b(4096, '\0');
  put_ehdr(b, 3 /*ET_DYN*/, 2);
  put_phdr(b, 0, 1 /*PT_LOAD*/, 0, 0, 4096, 4096);
  put_phdr(b, 1, 4 /*PT_NOTE*/, 0xb0, 0xb0, 16 + build_id.size(), 4);
  put(b, 0xb0, 4, 4);
  put(b, 0xb4, build_id.size(), 4);
  put(b, 0xb8, 3 /*NT_GNU_BUILD_ID*/, 4);
  b.replace(0xbc, 4, std::string("GNU\0", 4));
  b.replace(0xc0, build_id.size(), build_id);
  return b;
}

void put_note(std::string& notes, uint32_t type, const std::string& desc) {
  size_t at = notes.size();
  put(notes, at, 5, 4);
  put(notes, at + 4, desc.size(), 4);
  put(notes, at + 8, type, 4);
  notes += std::string("CORE\0\0\0\0", 8);
  notes += desc;
  notes.resize((notes.size() + 3) / 4 * 4, '\0');
}

constexpr uint64_t kJavaBase = 0x555555554000, kLibjvmBase = 0x7f0000000000;

// A core of a process whose threads are `lwps` (the first is the pid), mapping `java` and
// `libjvm`, with libjvm.so's first page (and so its build-id) in memory.
std::string jvm_core(const std::vector<int64_t>& lwps, const std::string& java,
                     const std::string& libjvm, const std::string& build_id) {
  std::string notes;
  for (int64_t lwp : lwps) {
    std::string prstatus(336, '\0');  // x86_64 elf_prstatus; pr_pid at 32
    put(prstatus, 32, static_cast<uint64_t>(lwp), 4);
    put_note(notes, 1 /*NT_PRSTATUS*/, prstatus);
  }
  std::string prpsinfo(136, '\0');
  put(prpsinfo, 24, static_cast<uint64_t>(lwps[0]), 4);
  prpsinfo.replace(40, 4, "java");
  put_note(notes, 3 /*NT_PRPSINFO*/, prpsinfo);
  std::string auxv;
  put(auxv, 0, 9 /*AT_ENTRY*/, 8);
  put(auxv, 8, kJavaBase + 0x100, 8);
  put(auxv, 16, 0 /*AT_NULL*/, 8);
  put(auxv, 24, 0, 8);
  put_note(notes, 6 /*NT_AUXV*/, auxv);
  std::string files;
  put(files, 0, 2, 8);
  put(files, 8, 4096, 8);
  put(files, 16, kJavaBase, 8);
  put(files, 24, kJavaBase + 0x1000, 8);
  put(files, 32, 0, 8);
  put(files, 40, kLibjvmBase, 8);
  put(files, 48, kLibjvmBase + 0x1000, 8);
  put(files, 56, 0, 8);
  files += java + '\0' + libjvm + '\0';
  put_note(notes, 0x46494c45 /*NT_FILE*/, files);

  std::string core(64 + 2 * 56, '\0');
  put_ehdr(core, 4 /*ET_CORE*/, 2);
  uint64_t notes_at = core.size();
  uint64_t memory_at = (notes_at + notes.size() + 4095) / 4096 * 4096;
  put_phdr(core, 0, 4 /*PT_NOTE*/, notes_at, 0, notes.size(), 4);
  put_phdr(core, 1, 1 /*PT_LOAD*/, memory_at, kLibjvmBase, 4096, 4096);
  core += notes;
  core.resize(memory_at, '\0');
  core += libjvm_image(build_id);
  return core;
}

const std::string kBuildId = std::string("\x97\xda\x31\xb2\x49\x94\x1f\x25\xff\x26", 10) +
                             std::string("\xa6\x12\x6f\x47\x12\x21\xb5\x79\xd6\x7f", 10);
constexpr const char* kBuildIdHex = "97da31b249941f25ff26a6126f471221b579d67f";

// A JDK under `sysroot`/opt/jdk: libjvm.so with `build_id`, a java launcher, and, unless `sa` is
// empty, a bin/jhsdb script with that body.
void install_jdk(const std::string& sysroot, const std::string& build_id, const std::string& sa) {
  write_file(sysroot + "/opt/jdk/lib/server/libjvm.so", libjvm_image(build_id));
  write_file(sysroot + "/opt/jdk/bin/java", "", true);
  if (!sa.empty()) write_file(sysroot + "/opt/jdk/bin/jhsdb", "#!/bin/sh\n" + sa, true);
}

std::vector<int64_t> nids_of(const std::string& sa_capture) {
  Snapshot s = dla::test::load(sa_capture);
  std::vector<int64_t> out;
  for (const Task& t : s.tasks) out.push_back(*t.lwp);
  return out;
}

struct CoreRun {
  TempDir dir;
  std::string core;
  ParseOptions options;
  std::vector<std::string> progress;
};

// A core of the two_cycles_same_name process (its Java threads' LWPs, and three more for the
// VM's own threads) and a sysroot holding its JDK.
void make_core(CoreRun& run, const std::vector<int64_t>& lwps, const std::string& build_id) {
  run.core = run.dir.path + "/core.13585";
  write_file(run.core,
             jvm_core(lwps, "/opt/jdk/bin/java", "/opt/jdk/lib/server/libjvm.so", build_id));
  run.options.core.sysroot = run.dir.path + "/root";
  run.options.core.progress = [&run](const std::string& note) { run.progress.push_back(note); };
}

std::vector<int64_t> two_cycles_lwps() {
  std::vector<int64_t> lwps = nids_of("jvm-sa/two_cycles_same_name.jhsdb-core.txt");
  lwps.insert(lwps.begin(), 13594);  // the pid (the java launcher's thread)
  lwps.push_back(13595);
  lwps.push_back(13596);
  return lwps;
}

AnalyzedSnapshot analyze_core(const CoreRun& run) {
  InputFile file(run.core);
  return analyze_input({run.core, file.bytes()}, {run.options, {}});
}

std::string error_of(const CoreRun& run) {
  try {
    analyze_core(run);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// Cycles as lines: member, lock, holder, where.
std::vector<std::string> cycles_of(const Snapshot& s, const Findings& f) {
  std::vector<std::string> out;
  for (const Cycle& c : f.cycles) {
    for (const CycleMember& m : c.members) {
      const Resource& r = s.resources[m.resource];
      const HoldEdge& h = s.holds[m.hold];
      out.push_back(id_of(s, m.task) + " lwp " + std::to_string(s.tasks[m.task].lwp.value_or(-1)) +
                    " waits " + std::string(s.str(r.address)) + " (" + std::string(s.str(r.type)) +
                    ") at " + frame_at(s, s.waits[m.wait].app_frame) + " held by " +
                    id_of(s, h.task) + " [" + to_string(h.evidence) + "] since " +
                    frame_at(s, h.frame));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("JvmCoreIsRecognisedByItsLibjvmAndItsBuildIdReadFromMemory") {
  std::string bytes =
      jvm_core({100, 101}, "/opt/jdk/bin/java", "/opt/jdk/lib/server/libjvm.so", kBuildId);
  CoreFile core = read_core_file("core", bytes);
  auto jvm = find_jvm_in_core(core);
  REQUIRE(jvm);
  CHECK(jvm->libjvm == "/opt/jdk/lib/server/libjvm.so");
  CHECK(jvm->home == "/opt/jdk");
  CHECK(jvm->build_id == kBuildIdHex);
  CHECK(shell_words(sa_command(*jvm, "", "/opt/jdk/bin/java", "core.1")) ==
        "/opt/jdk/bin/jhsdb jstack --locks --exe /opt/jdk/bin/java --core core.1");
  // A native program's core is not a JVM's.
  std::string native = jvm_core({100}, "/usr/bin/app", "/usr/lib/libapp.so", kBuildId);
  CHECK_FALSE(find_jvm_in_core(read_core_file("core", native)));
}

TEST_CASE("JvmCoreJdkLayoutsGiveTheHomeAndTheSaCommandOfEachJdk") {
  // One row per layout of graph/resolve_hotspot's kJdkLayouts.
  struct Row {
    std::string libjvm, home, command;
  };
  for (const Row& row : std::vector<Row>{
           {"/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
            "/usr/lib/jvm/java-17-openjdk-amd64",
            "/usr/lib/jvm/java-17-openjdk-amd64/bin/jhsdb jstack --locks --exe J --core C"},
           {"/opt/jdk-11/lib/client/libjvm.so", "/opt/jdk-11",
            "/opt/jdk-11/bin/jhsdb jstack --locks --exe J --core C"},
           {"/usr/lib/jvm/java-8-openjdk-amd64/jre/lib/amd64/server/libjvm.so",
            "/usr/lib/jvm/java-8-openjdk-amd64",
            "/usr/lib/jvm/java-8-openjdk-amd64/bin/jstack -l J C"},
           {"/usr/lib/jvm/java-8-openjdk-arm64/jre/lib/aarch64/server/libjvm.so",
            "/usr/lib/jvm/java-8-openjdk-arm64",
            "/usr/lib/jvm/java-8-openjdk-arm64/bin/jstack -l J C"},
       }) {
    INFO(row.libjvm);
    std::string bytes = jvm_core({100}, "/x/java", row.libjvm, kBuildId);
    auto jvm = find_jvm_in_core(read_core_file("core", bytes));
    REQUIRE(jvm);
    CHECK(jvm->home == row.home);
    CHECK(shell_words(sa_command(*jvm, "", "J", "C")) == row.command);
  }
}

TEST_CASE("JvmCoreWithoutItsJdkIsAOneLineErrorNamingTheJdkAndTheCommand") {
  CoreRun run;
  make_core(run, two_cycles_lwps(), kBuildId);  // nothing installed under the sysroot
  std::string error = error_of(run);
  INFO(error);
  CHECK(error.find(run.core + ": a JVM core (/opt/jdk/lib/server/libjvm.so, build-id " +
                   std::string(kBuildIdHex) + ")") == 0);
  CHECK(error.find("the JDK it ran on, /opt/jdk (JDK 9 or later), which is not installed here") !=
        std::string::npos);
  CHECK(error.find("(" + run.options.core.sysroot + "/opt/jdk/lib/server/libjvm.so is missing)") !=
        std::string::npos);
  // The command as it runs where that JDK is installed.
  CHECK(error.find("and run '/opt/jdk/bin/jhsdb jstack --locks --exe /opt/jdk/bin/java --core " +
                   run.core + "', then dlanalyze its output") != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);
  CHECK(run.progress.empty());  // nothing was run

  // The command line: exit 2, that one line on stderr, nothing on stdout, never "no deadlock".
  std::vector<std::string> args = {"dlanalyze", run.core, "--sysroot", run.options.core.sysroot};
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  CHECK(run_cli(static_cast<int>(argv.size()), argv.data(), out, err, false) == kExitError);
  CHECK(out.str().empty());
  CHECK(err.str() == "dlanalyze: " + error + "\n");
}

TEST_CASE("JvmCoreWithAnotherBuildOfItsJdkSaysWhichBuildIsNeeded") {
  CoreRun run;
  make_core(run, two_cycles_lwps(), kBuildId);
  install_jdk(run.options.core.sysroot, std::string(20, '\x11'), "exit 0\n");
  std::string error = error_of(run);
  INFO(error);
  CHECK(error.find("is another build (its libjvm.so has build-id " + std::string(20, '1') +
                   std::string(20, '1')) != std::string::npos);
  CHECK(error.find("install the JDK whose libjvm.so has build-id " + std::string(kBuildIdHex)) !=
        std::string::npos);
  CHECK(run.progress.empty());
}

TEST_CASE("JvmCoreWhoseJdkHasNoJhsdbSaysWhatToInstall") {
  CoreRun run;
  make_core(run, two_cycles_lwps(), kBuildId);
  install_jdk(run.options.core.sysroot, kBuildId, "");
  std::string error = error_of(run);
  INFO(error);
  CHECK(error.find("has no " + run.options.core.sysroot + "/opt/jdk/bin/jhsdb") !=
        std::string::npos);
  CHECK(error.find("install the full JDK") != std::string::npos);
}

TEST_CASE("JvmCoreReadThroughItsSaGivesTheJavaThreadsTiedToTheCoresThreads") {
  CoreRun run;
  make_core(run, two_cycles_lwps(), kBuildId);
  std::string root = run.options.core.sysroot;
  std::string capture = testdata("jvm-sa/two_cycles_same_name.jhsdb-core.txt");
  // The stand-in SA refuses any other call than the one dlanalyze must make.
  install_jdk(root, kBuildId,
              "[ \"$*\" = \"jstack --locks --exe " + root + "/opt/jdk/bin/java --core " + run.core +
                  "\" ] || { echo \"unexpected arguments: $*\" >&2; exit 9; }\n"
                  "[ \"$SA_ALTROOT\" = \"" +
                  root +
                  "\" ] || { echo \"SA_ALTROOT is '$SA_ALTROOT'\" >&2; exit 9; }\n"
                  "cat '" +
                  capture + "'\n");
  auto [s, f] = analyze_core(run);
  CHECK(s.format == "core");
  CHECK(s.family == RuntimeFamily::kJvm);
  CHECK(s.runtime == "HotSpot JVM 17.0.15+6-Debian-1deb12u1");
  CHECK(s.warnings.empty());
  CHECK(f.warnings.empty());
  CHECK_FALSE(s.damaged);
  // Exactly what the SA's output says by itself.
  Snapshot direct = dla::test::load("jvm-sa/two_cycles_same_name.jhsdb-core.txt");
  CHECK(cycles_of(s, f) == cycles_of(direct, analyze(direct)));
  CHECK(cycles_of(s, f).size() == 4);
  // Every Java thread is one of the core's threads, by its nid.
  std::vector<int64_t> lwps = two_cycles_lwps();
  for (const Task& t : s.tasks) {
    REQUIRE(t.lwp);
    CHECK(std::find(lwps.begin(), lwps.end(), *t.lwp) != lwps.end());
  }
  REQUIRE(run.progress.size() == 2);
  CHECK(run.progress[0].find("a JVM core: reading its Java threads with '" + root +
                             "/opt/jdk/bin/jhsdb jstack --locks") != std::string::npos);
  CHECK(run.progress[1].find("the Serviceability Agent took") != std::string::npos);
}

TEST_CASE("JvmCoreSaFailureIsAOneLineErrorWithTheSasReason") {
  CoreRun run;
  make_core(run, two_cycles_lwps(), kBuildId);
  install_jdk(run.options.core.sysroot, kBuildId,
              "echo 'Attaching to core x from executable y, please wait...'\n"
              "echo 'Error attaching to core file: Can'\\''t attach symbolicator to the process' "
              ">&2\nexit 1\n");
  std::string error = error_of(run);
  INFO(error);
  CHECK(error.find("failed (exit 1): Error attaching to core file: Can't attach symbolicator to "
                   "the process") != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);
}

TEST_CASE("JvmCoreRefusesSaOutputWhoseThreadsAreNotTheCores") {
  CoreRun run;
  make_core(run, {500, 501, 502}, kBuildId);
  install_jdk(run.options.core.sysroot, kBuildId,
              "cat '" + testdata("jvm-sa/two_cycles_same_name.jhsdb-core.txt") + "'\n");
  CHECK(error_of(run).find("none of the 10 Java threads the Serviceability Agent printed is one of "
                           "the core's 3 threads") != std::string::npos);
}

TEST_CASE("JvmCoreIsNeverHandedToTheSaWhenRunningIsNotAllowed") {
  // The fuzzers' setting: the command is named, nothing runs.
  CoreRun run;
  make_core(run, two_cycles_lwps(), kBuildId);
  install_jdk(run.options.core.sysroot, kBuildId, "echo ran > '" + run.dir.path + "/ran'\n");
  run.options.core.run_serviceability_agent = false;
  CHECK(error_of(run).find("which this run may not do") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(run.dir.path + "/ran"));
  CHECK(run.progress.empty());
}

TEST_CASE("JvmCoreFromStandardInputOrWithExeNamesTheCommandItNeeds") {
  CoreRun run;
  make_core(run, two_cycles_lwps(), kBuildId);
  install_jdk(run.options.core.sysroot, kBuildId, "exit 0\n");
  run.options.core.run_serviceability_agent = false;
  run.options.core.exe = "/srv/copy/java";
  CHECK(error_of(run).find("'" + run.options.core.sysroot +
                           "/opt/jdk/bin/jhsdb jstack --locks --exe /srv/copy/java --core " +
                           run.core + "'") != std::string::npos);
  // The SA reads a core from a file.
  InputFile file(run.core);
  REQUIRE_THROWS_WITH(
      analyze_input({"-", file.bytes()}, {run.options, {}}),
      Catch::Contains("read from standard input") && Catch::Contains("save it to a file"));
}

// --- A real JVM core
// ------------------------------------------------------------------------------

namespace {

bool on_path(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// The tools a real JVM core needs, or a skip (a warning) outside CI and a failure in CI.
bool have_tools_or_skip() {
  std::vector<std::string> missing;
  for (const std::string tool : {"java", "javac", "jstack", "jhsdb", "gcore"}) {
    if (!on_path(tool)) missing.push_back(tool);
  }
  if (missing.empty()) return true;
  std::string what =
      "a real JVM core needs java, javac, jstack, jhsdb (openjdk-17-jdk-headless) "
      "and gcore (gdb); missing:";
  for (const std::string& m : missing) what += " " + m;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true") FAIL(what + " (scripts/install-deps.sh)");
  WARN("skipped: " + what);
  return false;
}

// A deadlocked java process, killed when the test ends.
struct JavaProcess {
  pid_t pid = 0;
  ~JavaProcess() {
    if (pid > 0) kill(pid, SIGKILL);
  }
};

// Turns the core's NT_FILE note into a note of no known type, in place: a core as kernels before
// 3.7 write it, where only the dynamic linker's list in memory names libjvm.so.
void hide_file_notes(const std::string& core) {
  int fd = open(core.c_str(), O_RDWR);
  REQUIRE(fd >= 0);
  auto read_u = [fd](uint64_t at, size_t size) {
    uint64_t value = 0;  // little-endian, as the host
    REQUIRE(pread(fd, &value, size, static_cast<off_t>(at)) == static_cast<ssize_t>(size));
    return value;
  };
  uint64_t phoff = read_u(32, 8), phnum = read_u(56, 2);
  int hidden = 0;
  for (uint64_t i = 0; i < phnum; ++i) {
    uint64_t ph = phoff + 56 * i;
    if (read_u(ph, 4) != 4 /*PT_NOTE*/) continue;
    uint64_t at = read_u(ph + 8, 8), end = at + read_u(ph + 32, 8);
    while (at + 12 <= end) {
      uint64_t namesz = read_u(at, 4), descsz = read_u(at + 4, 4), type = read_u(at + 8, 4);
      if (type == 0x46494c45 /*NT_FILE*/) {
        uint32_t none = 0x7fffffff;
        REQUIRE(pwrite(fd, &none, 4, static_cast<off_t>(at + 8)) == 4);
        ++hidden;
      }
      at += 12 + (namesz + 3) / 4 * 4 + (descsz + 3) / 4 * 4;
    }
  }
  close(fd);
  REQUIRE(hidden == 1);
}

}  // namespace

TEST_CASE("JvmCoreOfADeadlockedProgramGivesBothCyclesAsJstackOfTheSameProcessDoes") {
  if (!have_tools_or_skip()) return;
  TempDir dir;
  std::string classes = dir.path + "/classes";
  REQUIRE(std::system(("javac -d '" + classes + "' '" +
                       testdata("jvm/programs/TwoCyclesSameName.java") + "'")
                          .c_str()) == 0);
  JavaProcess java;
  std::string pid_file = dir.path + "/pid";
  REQUIRE(std::system(("java -Xmx128m -cp '" + classes + "' TwoCyclesSameName >/dev/null 2>&1 & " +
                       "echo $! > '" + pid_file + "'")
                          .c_str()) == 0);
  java.pid = std::stoi(dla::test::read_file(pid_file));

  // jstack -l once both deadlocks have formed: the reference.
  std::string jstack_file = dir.path + "/jstack-l.txt";
  bool ready = false;
  for (int i = 0; i < 120 && !ready; ++i) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    CommandResult r = run_command({"jstack", "-l", std::to_string(java.pid)}, {}, 60);
    if (r.exit_code == 0 && r.out.find("\nFound 2 deadlocks.") != std::string::npos) {
      write_file(jstack_file, r.out);
      ready = true;
    }
  }
  REQUIRE(ready);

  CommandResult gcore =
      run_command({"gcore", "-o", dir.path + "/core", std::to_string(java.pid)}, {}, 600);
  REQUIRE(gcore.exit_code == 0);
  kill(java.pid, SIGKILL);
  java.pid = 0;
  std::string core = dir.path + "/core." + dla::test::read_file(pid_file);
  core.erase(core.find_last_not_of("\n") + 1);
  REQUIRE(std::filesystem::exists(core));

  std::vector<std::string> progress;
  PipelineOptions options;
  options.parse.core.progress = [&](const std::string& note) { progress.push_back(note); };
  InputFile core_file(core);
  auto [s, f] = analyze_input({core, core_file.bytes()}, options);
  for (const std::string& note : progress) std::cerr << "[jvm core] " << note << "\n";
  std::cerr << "[jvm core] gcore took " << gcore.seconds << " s for "
            << std::filesystem::file_size(core) / (1 << 20) << " MiB\n";

  CHECK(s.format == "core");
  CHECK(s.family == RuntimeFamily::kJvm);
  CHECK(s.runtime.rfind("HotSpot JVM ", 0) == 0);
  CHECK(s.warnings.empty());
  CHECK(f.warnings.empty());
  CHECK_FALSE(s.damaged);
  CHECK(s.runtime_checked_deadlocks);
  REQUIRE(f.cycles.size() == 2);
  // Both cycles, member by member, lock by lock, holder by holder, as HotSpot's own jstack -l of
  // the same process shows them (ids, nids, object addresses, classes, frames).
  std::string jstack_text = dla::test::read_file(jstack_file);
  Snapshot reference = read_snapshot({jstack_file, jstack_text}, "jvm");
  std::vector<std::string> want = cycles_of(reference, analyze(reference));
  std::vector<std::string> got = cycles_of(s, f);
  CHECK(got == want);
  // The first cycle is the monitor inversion, the second the ReentrantLock one.
  REQUIRE(got.size() == 4);
  CHECK(got[0].find("(TwoCyclesSameName$Payments)") != std::string::npos);
  CHECK(got[1].find("(TwoCyclesSameName$Orders)") != std::string::npos);
  CHECK(got[2].find("(java.util.concurrent.locks.ReentrantLock$NonfairSync)") != std::string::npos);
  CHECK(got[3].find("(java.util.concurrent.locks.ReentrantLock$NonfairSync)") != std::string::npos);
  // Every Java thread is one of the core's threads.
  CoreFile parsed = read_core_file(core, core_file.bytes());
  std::set<int64_t> lwps;
  for (const CoreThread& t : parsed.threads) lwps.insert(t.lwp);
  for (const Task& t : s.tasks) {
    REQUIRE(t.lwp);
    CHECK(lwps.count(*t.lwp) == 1);
  }
  CHECK(s.tasks.size() < parsed.threads.size());  // the VM's own threads are not Java threads

  // Without the file notes that name its JDK, the core is still known for a JVM's by the
  // libjvm.so the dynamic linker loaded: a one-line error, never the native view.
  hide_file_notes(core);
  InputFile hidden(core);
  REQUIRE_THROWS_WITH(analyze_input({core, hidden.bytes()}, options),
                      Catch::StartsWith(core + ": a JVM core (it loads ") &&
                          Catch::Contains("libjvm.so) without the file notes that name its JDK") &&
                          Catch::Contains("'jhsdb jstack --locks --exe JAVA --core " + core + "'"));
}
