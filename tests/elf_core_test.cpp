// Every committed ELF core (testdata/core/), end to end through the core parser and the analysis:
// the exact cycle (LWPs in wait-for order, lock kind, address and symbol, the owner read from the
// core's memory), who is blocked behind it, and that the gdb dump of the same process shows the
// same cycle. Ground truth: testdata/core/README.md and <case>.truth.txt, read with gdb from the
// same cores. The cores are stored xz-compressed; each test unpacks what it needs into a scratch
// directory and passes the executable explicitly (as `dlanalyze -e EXE core` will).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "graph/resolve_glibc.h"
#include "parsers/elf_core.h"
#include "parsers/glibc_layouts.h"
#include "test_util.h"

using namespace dla;
using dla::test::frame_at;
using dla::test::id_of;
using dla::test::testdata;

namespace {

// --- Unpacking -----------------------------------------------------------------------------------

struct ScratchDir {
  std::string path;
  ScratchDir() {
    char tmpl[] = "/tmp/dlanalyze-core-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

const std::string& scratch() {
  static ScratchDir dir;
  return dir.path;
}

// testdata/core/<file>.xz decompressed into the scratch directory (once); its path.
std::string unpack(const std::string& file) {
  static std::map<std::string, std::string> done;
  if (auto it = done.find(file); it != done.end()) return it->second;
  std::string out = scratch() + "/" + file;
  std::string cmd = "xz -dc '" + testdata("core/" + file + ".xz") + "' > '" + out + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  done.emplace(file, out);
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Snapshot load_path(const std::string& path, std::string_view format = {},
                   const CoreOptions& core = {}) {
  InputFile file(path);
  return read_snapshot({path, file.bytes()}, ParseOptions{std::string(format), core});
}

// The core of `name` ("gcore" or "kernel"), read with its executable given explicitly.
Snapshot load_core(const std::string& name, const std::string& kind, CoreOptions options = {}) {
  if (options.exe.empty()) options.exe = unpack(name + ".exe");
  if (options.sysroot.empty()) options.sysroot = dla::test::cores_sysroot();
  return load_path(unpack(name + "." + kind), {}, options);
}

TaskIndex task_by_lwp(const Snapshot& s, int64_t lwp) {
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    if (s.tasks[t].lwp == lwp) return t;
  }
  FAIL("no thread with LWP " << lwp);
  return kNone;
}

const WaitEdge* wait_of(const Snapshot& s, int64_t lwp) {
  return dla::test::wait_of_task(s, task_by_lwp(s, lwp));
}

using dla::test::holders_of;

bool warned(const Snapshot& s, const std::string& text) {
  return std::any_of(s.warnings.begin(), s.warnings.end(),
                     [&](const Warning& w) { return w.message.find(text) != std::string::npos; });
}

// The cores were taken on Debian 12 (libc6 2.36-9+deb12u14, with libc6-dbg). Frames inside glibc,
// and so the frames that say what a futex wait is, need that very libc.so.6 (its CFI to unwind,
// its symbols) and, for inlined frames and lines, its debug file: every core is read with
// testdata/sysroot-deb12 as its --sysroot, whatever glibc this machine runs.

// --- Ground truth (testdata/core/README.md) ------------------------------------------------------

struct Member {
  int64_t lwp;
  ResourceKind kind;
  std::string address;  // the lock (for a join: the joinee's tid word)
  std::string symbol;
  std::string blocked_at;  // application frame, "function:line"; "" when stripped
};

struct Blocked {
  int64_t lwp;
  std::string address;
  int64_t holder;
};

struct CoreCase {
  std::string name;
  int64_t pid;
  std::vector<Member> cycle;  // wait-for order: each waits for what the next one holds
  std::vector<Blocked> blocked;
};

constexpr auto kMutex = ResourceKind::kMutex;
constexpr auto kRwlock = ResourceKind::kRwlock;
// A join waits on a condition keyed by the joinee's pthread_t (its descriptor; the futex word
// is that descriptor's tid field, 0x2d0 into it on x86_64 glibc 2.36), as in gdb dumps.
constexpr auto kJoin = ResourceKind::kCondition;

const std::vector<CoreCase>& cases() {
  static const std::vector<CoreCase> all = {
      {"mutex_cycle2",
       4105,
       {{4108, kMutex, "0x55f2e07b10e0", "m_beta", "transfer_alpha_beta:21"},
        {4109, kMutex, "0x55f2e07b10a0", "m_alpha", "transfer_beta_alpha:32"}},
       {{4105, "0x7f39711e26c0", 4108}}},
      {"mutex_cycle3",
       4167,
       {{4169, kMutex, "0x561bbd11f0e0", "m_beta", "move_alpha_beta:22"},
        {4170, kMutex, "0x561bbd11f120", "m_gamma", "move_beta_gamma:32"},
        {4171, kMutex, "0x561bbd11f0a0", "m_alpha", "move_gamma_alpha:42"}},
       {{4167, "0x7fae5a45a6c0", 4169}}},
      {"self_deadlock",
       4235,
       {{4237, kMutex, "0x556d893ca080", "m_alpha", "audit_ledger:16"}},
       {{4235, "0x7ff6222846c0", 4237}}},
      {"rwlock",
       4293,
       {{4295, kMutex, "0x5590da684100", "m_index", "rebuild_table:23"},
        {4296, kRwlock, "0x5590da6840c0", "rw_table", "lookup_row:34"}},
       {{4293, "0x7f353237f6c0", 4295}, {4297, "0x5590da6840c0", 4295}}},
      {"join_cycle",
       4461,
       {{4463, kJoin, "0x7f91349886c0", "", "wait_for:26"},
        {4464, kJoin, "0x7f91349476c0", "", "wait_for:26"},
        {4465, kJoin, "0x7f91349c96c0", "", "wait_for:26"}},
       {}},
      {"cpp_mutex",
       4556,
       {{4558, kMutex, "0x55e573abe120", "m_beta", "transfer_alpha_beta:22"},
        {4559, kMutex, "0x55e573abe0e0", "m_alpha", "transfer_beta_alpha:31"}},
       {{4556, "0x7fade10a26c0", 4558}}},
      {"cpp_shared_mutex",
       4638,
       {{4641, kMutex, "0x561aa505b120", "m_index", "rebuild_table:26"},
        {4642, kRwlock, "0x561aa505b0e0", "sm_table", "lookup_row:34"}},
       {{4638, "0x7f64b28866c0", 4641}, {4643, "0x561aa505b0e0", 4641}}},
      // -O2, strip --strip-all: no symbols in the program, so no lock names and no program
      // frames; the owners come from memory all the same.
      {"mutex_cycle2_O2",
       14617,
       {{14619, kMutex, "0x5645139640c0", "", ""}, {14620, kMutex, "0x564513964100", "", ""}},
       {{14617, "0x7fad2b4b46c0", 14619}}},
  };
  return all;
}

// `frames`: glibc's frames say what each wait is (evidence "memory" throughout). Otherwise only
// the program's own frames may (the C++ cases' inlined std::mutex::lock): where none does, the
// memory shows it, and a lock recognised by its contents is "inferred".
void check_cycle(const Snapshot& s, const Findings& f, const CoreCase& c, bool frames = true) {
  REQUIRE(f.cycles.size() == 1);
  const Cycle& cycle = f.cycles[0];
  REQUIRE(cycle.members.size() == c.cycle.size());
  auto expected_ok = [&](Evidence e) {
    return e == Evidence::kMemory || (!frames && e == Evidence::kInferred);
  };
  CHECK(expected_ok(cycle.weakest));
  for (size_t i = 0; i < c.cycle.size(); ++i) {
    const Member& want = c.cycle[i];
    INFO("member " << i << ", LWP " << want.lwp);
    const CycleMember& m = cycle.members[i];
    CHECK(s.tasks[m.task].lwp == want.lwp);
    CHECK(id_of(s, m.task) == std::to_string(want.lwp));
    const Resource& r = s.resources[m.resource];
    CHECK(r.kind == want.kind);
    CHECK(s.str(r.address) == want.address);
    CHECK(s.str(r.symbol) == want.symbol);
    if (want.kind == kJoin) CHECK(s.str(r.type) == "pthread_t");
    const WaitEdge& w = s.waits[m.wait];
    CHECK(expected_ok(w.evidence));
    if (want.kind == kJoin) CHECK(w.evidence == Evidence::kMemory);  // a tid word is exact
    if (frames && !want.blocked_at.empty()) CHECK(frame_at(s, w.app_frame) == want.blocked_at);
    const HoldEdge& h = s.holds[m.hold];
    CHECK(s.tasks[h.task].lwp == c.cycle[(i + 1) % c.cycle.size()].lwp);
    CHECK(h.evidence == w.evidence);
    CHECK(h.frame == kNone);
  }
}

void check_blocked(const Snapshot& s, const Findings& f, const CoreCase& c, bool frames = true) {
  REQUIRE(f.blocked.size() == c.blocked.size());
  for (const Blocked& b : c.blocked) {
    INFO("blocked LWP " << b.lwp);
    const WaitEdge* w = wait_of(s, b.lwp);
    REQUIRE(w != nullptr);
    const Resource& r = s.resources[w->resource];
    CHECK(s.str(r.address) == b.address);
    CHECK(holders_of(s, w->resource) ==
          std::vector<std::string>{std::to_string(b.holder) + "/" + to_string(w->evidence)});
    CHECK((w->evidence == Evidence::kMemory || (!frames && w->evidence == Evidence::kInferred)));
    CHECK(std::any_of(f.blocked.begin(), f.blocked.end(),
                      [&](const BlockedWaiter& bw) { return s.tasks[bw.task].lwp == b.lwp; }));
  }
}

// --- The same cycle in the gdb dump of the same process, at grep level ---------------------------
//
// <case>.gdb.txt is gdb's `thread apply all bt` of the live process, taken just before the cores;
// <case>.truth.txt has one "owner <symbol> <address> <LWP>" line per lock, printed by gdb from the
// gcore. A thread waits for the address of its first `mutex=`/`rwlock=` argument, or joins the
// thread whose pthread_t is its `threadid=`; following waits to owners gives the cycle.
std::vector<int64_t> gdb_cycle(const std::string& name) {
  std::string text = slurp(testdata("core/" + name + ".gdb.txt"));
  std::string truth = slurp(testdata("core/" + name + ".truth.txt"));
  static const std::regex kHeader(R"(^Thread \d+ \(Thread (0x[0-9a-f]+) \(LWP (\d+)\))");
  static const std::regex kLock(R"(\b(?:mutex|rwlock)=(0x[0-9a-f]+))");
  static const std::regex kJoinArg(R"(threadid=(\d+))");
  static const std::regex kOwner(R"(^owner \S+ (0x[0-9a-f]+) (\d+)$)");
  std::map<uint64_t, int64_t> lwp_of_handle;
  std::map<int64_t, int64_t> next;  // waiter → the thread it waits on
  std::map<int64_t, std::string> waits_for_lock;
  std::map<int64_t, uint64_t> joins;
  std::map<std::string, int64_t> owner;
  std::istringstream lines(text);
  std::string line;
  int64_t current = 0;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, m, kHeader)) {
      current = std::stoll(m[2]);
      lwp_of_handle[std::stoull(m[1], nullptr, 16)] = current;
    } else if (current != 0 && line.starts_with("#") && !waits_for_lock.count(current) &&
               !joins.count(current)) {
      if (std::regex_search(line, m, kLock)) {
        waits_for_lock[current] = m[1];
      } else if (std::regex_search(line, m, kJoinArg)) {
        joins[current] = std::stoull(m[1]);
      }
    }
  }
  std::istringstream owners(truth);
  while (std::getline(owners, line)) {
    if (std::regex_search(line, m, kOwner)) owner[m[1]] = std::stoll(m[2]);
  }
  for (auto& [waiter, lock] : waits_for_lock) {
    if (owner.count(lock) && owner[lock] != 0) next[waiter] = owner[lock];
  }
  for (auto& [waiter, handle] : joins) {
    if (lwp_of_handle.count(handle)) next[waiter] = lwp_of_handle[handle];
  }
  // The one cycle, starting at its lowest LWP.
  for (auto& [start, ignored] : next) {
    std::vector<int64_t> path{start};
    for (int64_t at = start; next.count(at);) {
      at = next[at];
      if (at == start) {
        auto lowest = std::min_element(path.begin(), path.end());
        std::rotate(path.begin(), lowest, path.end());
        return path;
      }
      if (std::find(path.begin(), path.end(), at) != path.end()) break;
      path.push_back(at);
    }
  }
  return {};
}

std::vector<int64_t> core_cycle(const Snapshot& s, const Findings& f) {
  std::vector<int64_t> out;
  if (f.cycles.empty()) return out;
  for (const CycleMember& m : f.cycles[0].members) out.push_back(*s.tasks[m.task].lwp);
  std::rotate(out.begin(), std::min_element(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

// --- Every committed core ------------------------------------------------------------------------

TEST_CASE("CoreCyclesAreExactOnEveryCommittedCore") {
  for (const CoreCase& c : cases()) {
    for (std::string kind : {"gcore", "kernel"}) {
      INFO(c.name << "." << kind);
      Snapshot s = load_core(c.name, kind);
      Findings f = analyze(s);
      CHECK(s.format == "core");
      CHECK(s.task_noun == "thread");
      CHECK(s.family == RuntimeFamily::kNative);
      CHECK(s.runtime == "glibc 2.36 (Debian GLIBC 2.36-9+deb12u14), x86_64");
      CHECK_FALSE(s.damaged);
      check_cycle(s, f, c);
      check_blocked(s, f, c);
      CHECK(f.verdict() == Findings::Verdict::kDeadlock);
      // The main thread comes first, named after the program: the kernel writes its comm (15
      // characters at most), gdb fills all 16 bytes of pr_fname.
      REQUIRE(!s.tasks.empty());
      CHECK(s.tasks[0].lwp == c.pid);
      CHECK(s.str(s.tasks[0].name) == c.name.substr(0, kind == "kernel" ? 15 : 16));
      for (size_t t = 1; t < s.tasks.size(); ++t) CHECK(s.tasks[t].name == kNoString);
      if (c.name != "mutex_cycle2_O2") CHECK(s.warnings.empty());
    }
  }
}

TEST_CASE("CoreCyclesFromMemoryAloneOnEveryCommittedCore") {
  // As on a machine without the crashed one's libraries: only the executable is there. No frame
  // says what a wait is, the lock words do: the same cycles, owners and addresses.
  for (const CoreCase& c : cases()) {
    for (std::string kind : {"gcore", "kernel"}) {
      INFO(c.name << "." << kind);
      CoreOptions o;
      o.sysroot = scratch() + "/empty-sysroot";
      o.debug_dir = "/nonexistent";
      Snapshot s = load_core(c.name, kind, o);
      Findings f = analyze(s);
      check_cycle(s, f, c, false);
      check_blocked(s, f, c, false);
      CHECK(warned(s, "--sysroot"));
    }
  }
}

TEST_CASE("CoreAndGdbDumpOfTheSameProcessShowTheSameCycle") {
  for (const CoreCase& c : cases()) {
    INFO(c.name);
    std::vector<int64_t> from_gdb = gdb_cycle(c.name);
    REQUIRE(from_gdb.size() == c.cycle.size());
    for (std::string kind : {"gcore", "kernel"}) {
      INFO(kind);
      Snapshot s = load_core(c.name, kind);
      CHECK(core_cycle(s, analyze(s)) == from_gdb);
    }
  }
}

TEST_CASE("CoreIdlePoolHasNoCycleAndSixteenConditionWaits") {
  for (std::string kind : {"gcore", "kernel"}) {
    INFO(kind);
    Snapshot s = load_core("idle_pool", kind);
    Findings f = analyze(s);
    CHECK(f.cycles.empty());
    CHECK(f.blocked.empty());
    CHECK(f.verdict() == Findings::Verdict::kClean);
    REQUIRE(s.tasks.size() == 17);
    size_t conditions = 0;
    for (const WaitEdge& w : s.waits) {
      const Resource& r = s.resources[w.resource];
      if (r.kind != ResourceKind::kCondition || s.str(r.type) == "pthread_t") continue;
      ++conditions;
      // Waiters sleep on __g_signals[0] at q_cond+40: the condition itself is q_cond.
      CHECK(s.str(r.address) == "0x555d8bd380e0");
      CHECK(s.str(r.symbol) == "q_cond");
      CHECK(frame_at(s, w.app_frame) == "pool_worker:30");
      CHECK(holders_of(s, w.resource).empty());
    }
    CHECK(conditions == 16);
    // Main joins pool-0 (LWP 4707), which waits on the condition: no cycle, nothing blocked.
    const WaitEdge* join = wait_of(s, 4705);
    REQUIRE(join != nullptr);
    CHECK(holders_of(s, join->resource) == std::vector<std::string>{"4707/memory"});
  }
}

// --- Frames --------------------------------------------------------------------------------------

TEST_CASE("CoreFramesCarryFunctionFileAndLineIncludingInlinedOnes") {
  Snapshot s = load_core("mutex_cycle2", "kernel");
  TaskIndex t = task_by_lwp(s, 4108);
  const Task& task = s.tasks[t];
  std::vector<std::string> frames;
  for (const Frame& f : s.frames_of(task)) {
    frames.push_back(std::string(s.str(f.function)) + " " + std::string(s.str(f.file)) + ":" +
                     std::to_string(f.line));
  }
  // As gdb prints them (mutex_cycle2.gdb.txt), inlined frames included.
  CHECK(frames == std::vector<std::string>{
                      "futex_wait ../sysdeps/nptl/futex-internal.h:146",
                      "__GI___lll_lock_wait ./nptl/lowlevellock.c:49",
                      "lll_mutex_lock_optimized ./nptl/pthread_mutex_lock.c:48",
                      "___pthread_mutex_lock ./nptl/pthread_mutex_lock.c:93",
                      "transfer_alpha_beta mutex_cycle2.c:21",
                      "worker_a_main mutex_cycle2.c:43",
                      "start_thread ./nptl/pthread_create.c:442",
                      "__clone3 ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81",
                  });
  CHECK(task.app_frame == 4);
  CHECK(s.str(task.state) == "futex");
  CHECK(s.str(s.frames[task.first_frame].module) == "/usr/lib/x86_64-linux-gnu/libc.so.6");
  // The wait shows at the innermost frame that says what it is.
  const WaitEdge* w = wait_of(s, 4108);
  CHECK(frame_at(s, w->frame) == "lll_mutex_lock_optimized:48");
}

TEST_CASE("CoreCppFramesAreQualifiedAndDemangled") {
  Snapshot s = load_core("cpp_shared_mutex", "gcore");
  const Task& task = s.tasks[task_by_lwp(s, 4642)];
  std::vector<std::string> functions;
  for (const Frame& f : s.frames_of(task)) functions.emplace_back(s.str(f.function));
  REQUIRE(functions.size() >= 8);
  CHECK(functions[3] == "std::__glibcxx_rwlock_rdlock");  // static, no linkage name: from DWARF
  CHECK(functions[4] == "std::__shared_mutex_pthread::lock_shared");
  CHECK(functions[6] == "std::shared_lock<std::shared_mutex>::shared_lock");
  CHECK(functions[7] == "lookup_row");
  CHECK(task.app_frame == 7);
}

// --- Holders and layouts -------------------------------------------------------------------------

TEST_CASE("CoreJoinFutexIsTheJoineesTidFieldInItsDescriptor") {
  // join_cycle.truth.txt: &((struct pthread *) t_joiner_b)->tid = 0x7f9134988990 = fs_base of
  // LWP 4464 (0x7f91349886c0) + 0x2d0, the x86_64 layout row's pthread_tid.
  const glibc::LockLayout* l =
      glibc::find_lock_layout(kernel::Arch::kX86_64, glibc::GlibcVersion{2, 36});
  REQUIRE(l != nullptr);
  CHECK(0x7f91349886c0 + l->pthread_tid == 0x7f9134988990);
  CoreFile core = read_core_file("join_cycle", slurp(unpack("join_cycle.kernel")));
  const kernel::ThreadRegsLayout* regs = kernel::find_regs_layout(kernel::Arch::kX86_64);
  std::string bytes = slurp(unpack("join_cycle.kernel"));
  core = read_core_file("join_cycle", bytes);
  for (const CoreThread& t : core.threads) {
    if (t.lwp != 4463) continue;
    CHECK(t.regs[regs->syscall_nr] == 202);
    CHECK(t.regs[regs->syscall_arg0] == 0x7f9134988990);
    CHECK(core.read_u32(0x7f9134988990) == 4464u);  // the word holds the joinee's LWP
  }
  // The main thread sleeps in pause(), not in a futex: it waits for nothing we can name.
  Snapshot s = load_core("join_cycle", "kernel");
  CHECK(wait_of(s, 4461) == nullptr);
  CHECK(s.str(s.tasks[task_by_lwp(s, 4461)].state) == "pause");
}

TEST_CASE("CoreRwlockWaitersAreToldApartByTheFutexWordsAlignment") {
  // Readers sleep on rw_table+8 (8-aligned), writers on rw_table+12: both map to rw_table.
  Snapshot s = load_core("rwlock", "gcore");
  const WaitEdge* reader = wait_of(s, 4296);
  const WaitEdge* writer2 = wait_of(s, 4297);
  REQUIRE(reader != nullptr);
  REQUIRE(writer2 != nullptr);
  CHECK(reader->resource == writer2->resource);
  CHECK(frame_at(s, reader->frame) == "__pthread_rwlock_rdlock_full64:460");
  CHECK(frame_at(s, writer2->frame) == "__pthread_rwlock_wrlock_full64:730");
  // __cur_writer is the writer's LWP; readers are only counted (rw_table holds no reader).
  CHECK(holders_of(s, reader->resource) == std::vector<std::string>{"4295/memory"});
}

TEST_CASE("GlibcLayoutTablesAgreeWithTheFrameTablesAndTheHeaders") {
  using kernel::Arch;
  const glibc::LockLayout* x86 = glibc::find_lock_layout(Arch::kX86_64, glibc::GlibcVersion{2, 36});
  REQUIRE(x86 != nullptr);
  CHECK(x86->verified);
  CHECK(x86->mutex_owner == 8);
  CHECK(x86->rwlock_writer == 24);
  // Robust (16) and priority-inheritance (32) mutexes keep the owner's tid in __lock, under the
  // kernel's FUTEX_TID_MASK; priority-protect ones (64) keep their ceiling there.
  CHECK(x86->mutex_kind_tid_in_lock == (16 | 32));
  CHECK(kernel::kFutexTidMask == 0x3fffffff);
  CHECK(x86->lock_alignment == 8);
  CHECK(x86->rwlock_read_futex % x86->lock_alignment == 0);
  CHECK(x86->rwlock_write_futex % x86->lock_alignment != 0);
  const kernel::ThreadRegsLayout* x86_regs = kernel::find_regs_layout(Arch::kX86_64);
  REQUIRE(x86_regs != nullptr);
  CHECK(x86_regs->not_in_syscall == UINT64_MAX);  // orig_rax = -1
  CHECK(kernel::syscall_name(Arch::kX86_64, 202) == "futex");
  // Which mapped file is glibc: the one whose version and debug info the core reader looks for.
  CHECK(glibc::is_libc_file("/usr/lib/x86_64-linux-gnu/libc.so.6"));
  CHECK(glibc::is_libc_file("/lib64/libc-2.17.so"));
  CHECK_FALSE(glibc::is_libc_file("/usr/lib/x86_64-linux-gnu/libcrypt.so.1"));
  CHECK_FALSE(glibc::is_libc_file("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"));
  // The futex words the frame tables (graph/resolve_glibc) know agree with the layouts.
  CHECK(glibc::futex_word_offset(glibc::WaitOp::kMutexLock) == x86->mutex_lock);
  CHECK(glibc::futex_word_offset(glibc::WaitOp::kRwlockRead) == x86->rwlock_read_futex);
  CHECK(glibc::futex_word_offset(glibc::WaitOp::kRwlockWrite) == x86->rwlock_write_futex);
  // Before 2.25: the old rwlock keeps its writer at +24 too, the old condition sleeps on +4.
  const glibc::LockLayout* old = glibc::find_lock_layout(Arch::kX86_64, glibc::GlibcVersion{2, 17});
  REQUIRE(old != nullptr);
  CHECK(old != x86);
  CHECK(old->cond_futex[0] == 4);
  CHECK(old->rwlock_writer == 24);
  // aarch64 on paper (sysdeps/aarch64/nptl/bits/struct_rwlock.h, nptl/descr.h).
  const glibc::LockLayout* arm = glibc::find_lock_layout(Arch::kAarch64, std::nullopt);
  REQUIRE(arm != nullptr);
  CHECK_FALSE(arm->verified);
  CHECK(arm->mutex_owner == 8);
  CHECK(arm->rwlock_writer == 24);
  CHECK(arm->pthread_tid == 0xd0);
  CHECK_FALSE(arm->thread_pointer_is_descriptor);
  const kernel::ThreadRegsLayout* arm_regs = kernel::find_regs_layout(Arch::kAarch64);
  REQUIRE(arm_regs != nullptr);
  CHECK(arm_regs->futex_syscall == 98);
  CHECK_FALSE(arm_regs->not_in_syscall.has_value());  // x8 outside a syscall says nothing
  CHECK(kernel::syscall_name(Arch::kAarch64, 98) == "futex");
  CHECK(kernel::syscall_name(Arch::kX86_64, 202) == "futex");
  CHECK(kernel::arch_of_machine(62) == Arch::kX86_64);
  CHECK_FALSE(kernel::arch_of_machine(3).has_value());
}

// --- The bytes of a core -------------------------------------------------------------------------

TEST_CASE("CoreFileNotesGiveThreadsProcessMappingsAndEntry") {
  for (std::string kind : {"gcore", "kernel"}) {
    INFO(kind);
    std::string bytes = slurp(unpack("mutex_cycle3." + kind));
    CoreFile core = read_core_file("mutex_cycle3", bytes);
    CHECK(core.arch == kernel::Arch::kX86_64);
    CHECK(core.threads.size() == 4);
    CHECK(core.pid == 4167);
    CHECK(core.command == "mutex_cycle3");
    CHECK(core.entry.has_value());
    CHECK(core.mapping_path(*core.entry).ends_with("/mutex_cycle3"));
    CHECK(core.file_size >= core.expected_size);  // gcore adds section headers at the end
    CHECK_FALSE(core.notes_truncated);
    // m_beta.__data.__owner, straight from the core's memory.
    CHECK(core.read_u32(0x561bbd11f0e0 + 8) == 4170u);
    CHECK_FALSE(core.read_u32(0x10).has_value());
  }
}

// --- Damage --------------------------------------------------------------------------------------

TEST_CASE("CoreTruncatedByTheKernelsSizeLimitGivesAPartialResultAndSaysWhatIsMissing") {
  // testdata/core/truncated: mutex_cycle2 again, its kernel core cut at 749,568 of 1,138,688
  // bytes: the worker stacks and the locks are there, the main thread's stack is not.
  Snapshot s = load_core("truncated", "kernel");
  Findings f = analyze(s);
  CHECK(s.damaged);
  CHECK(warned(s, "truncated core: 749568 of 1138688 bytes"));
  CHECK(warned(s, "the stacks of thread 4901"));
  REQUIRE(f.cycles.size() == 1);
  CHECK(core_cycle(s, f) == std::vector<int64_t>{4903, 4904});
  // The main thread shows only its innermost frame, but its join is still read from memory:
  // the futex word is LWP 4903's tid field.
  const WaitEdge* join = wait_of(s, 4901);
  REQUIRE(join != nullptr);
  CHECK(holders_of(s, join->resource) == std::vector<std::string>{"4903/memory"});
}

TEST_CASE("CoreCutAnywhereNeverCrashesAndIsEitherPartialOrAOneLineError") {
  std::string bytes = slurp(unpack("rwlock.kernel"));
  ParseOptions options{"core", {unpack("rwlock.exe"), "", ""}};
  std::vector<size_t> cuts = {0, 3, 17, 63, 64, 100, 1000, 0x698, 0x1000, 0x2000, 0x3000};
  for (size_t cut = 0x4000; cut < bytes.size(); cut += 0x11000) cuts.push_back(cut);
  for (size_t cut : cuts) {
    INFO("cut at " << cut);
    std::string_view part(bytes.data(), cut);
    try {
      Snapshot s = read_snapshot({"cut.core", part}, options);
      CHECK(s.damaged);
      CHECK(warned(s, "truncated core"));
      CHECK_FALSE(s.tasks.empty());
    } catch (const Error& e) {
      std::string message = e.what();
      CHECK(message.starts_with("cut.core"));
      CHECK(message.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("CoreProbeClaimsOnlyElfCores") {
  const Parser* core = find_parser("core");
  REQUIRE(core != nullptr);
  std::string kernel = slurp(unpack("mutex_cycle2.kernel"));
  std::string exe = slurp(unpack("mutex_cycle2.exe"));
  CHECK(core->probe(std::string_view(kernel).substr(0, kProbeBytes)) == 100);
  CHECK(core->probe(std::string_view(exe).substr(0, kProbeBytes)) == 0);
  CHECK(core->probe("Thread 1 (Thread 0x7f (LWP 1)):\n") == 0);
  CHECK(core->probe("\177EL") == 0);
  CHECK(describe_non_core_elf(exe) == "an ELF executable, not a core");
  CHECK(describe_non_core_elf(kernel) == std::nullopt);
  // Detection picks the core parser for a core, and no parser for an executable.
  CHECK(load_core("mutex_cycle2", "kernel").format == "core");
}

TEST_CASE("CoreParserGivesAOneLineErrorForAnExecutableOrANonElfFile") {
  std::string exe_path = unpack("mutex_cycle2.exe");
  InputFile exe(exe_path);
  try {
    read_snapshot({exe_path, exe.bytes()}, "core");
    FAIL("an executable was read as a core");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == exe_path + ": an ELF executable, not a core");
  }
  try {
    read_snapshot({"dump.txt", "Thread 1 (Thread 0x7f (LWP 1)):\n"}, "core");
    FAIL("text was read as a core");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "dump.txt: not an ELF file");
  }
  // Without --input-format, an executable is refused by every parser: still one line, naming it.
  try {
    read_snapshot({exe_path, exe.bytes()});
    FAIL("an executable was accepted");
  } catch (const Error& e) {
    std::string message = e.what();
    CHECK(message.starts_with(exe_path + ": "));
    CHECK(message.find('\n') == std::string::npos);
  }
}

// --- Missing files -------------------------------------------------------------------------------

TEST_CASE("CoreWithoutItsFilesStillFindsTheCycleFromMemoryAndSaysWhatIsMissing") {
  // A sysroot where nothing is: no executable, no libraries (as on another machine).
  CoreOptions o;
  o.exe = "/nonexistent/mutex_cycle2";
  o.sysroot = scratch() + "/empty-sysroot";
  o.debug_dir = "/nonexistent";
  Snapshot s = load_core("mutex_cycle2", "kernel", o);
  Findings f = analyze(s);
  CHECK(warned(s, "the executable /work/main/testdata/core/build/mutex_cycle2 (build-id"));
  CHECK(warned(s, "give it with -e/--exe"));
  CHECK(warned(s, "--sysroot"));
  // Frames are addresses, so no frame says what the futex waits are: memory alone does. A word
  // whose __owner (+8) is a thread of the core and whose __lock is 1 or 2 is taken for a mutex
  // (inferred); the main thread's word is LWP 4108's tid field in its descriptor (exact).
  REQUIRE(f.cycles.size() == 1);
  CHECK(core_cycle(s, f) == std::vector<int64_t>{4108, 4109});
  CHECK(f.cycles[0].weakest == Evidence::kInferred);
  const WaitEdge* join = wait_of(s, 4105);
  REQUIRE(join != nullptr);
  CHECK(join->evidence == Evidence::kMemory);
  CHECK(holders_of(s, join->resource) == std::vector<std::string>{"4108/memory"});
}

TEST_CASE("CoreWithoutGlibcDebugInfoStillNamesTheWaits") {
  CoreOptions o;
  o.debug_dir = "/nonexistent";
  Snapshot s = load_core("mutex_cycle3", "gcore", o);
  Findings f = analyze(s);
  CHECK(warned(s, "no debug info for the C library"));
  CHECK(warned(s, "--debug-dir"));
  REQUIRE(f.cycles.size() == 1);
  CHECK(core_cycle(s, f) == std::vector<int64_t>{4169, 4170, 4171});
  // The exported pthread_mutex_lock frame still says "mutex", so the evidence stays exact.
  CHECK(f.cycles[0].weakest == Evidence::kMemory);
  CHECK(frame_at(s, wait_of(s, 4169)->app_frame) == "move_alpha_beta:22");
}

TEST_CASE("CoreStrippedProgramWarnsAndAnUnstrippedCopyGivenAsExeNamesItsLocks") {
  Snapshot stripped = load_core("mutex_cycle2_O2", "kernel");
  CHECK(warned(stripped, "has no symbols (stripped)"));
  CoreOptions o;
  o.exe = unpack("mutex_cycle2_O2.unstripped");  // same build-id: strip keeps it
  Snapshot named = load_core("mutex_cycle2_O2", "kernel", o);
  Findings f = analyze(named);
  CHECK(named.warnings.empty());
  REQUIRE(f.cycles.size() == 1);
  CHECK(named.str(named.resources[f.cycles[0].members[0].resource].symbol) == "m_beta");
  CHECK(named.str(named.resources[f.cycles[0].members[1].resource].symbol) == "m_alpha");
}

TEST_CASE("CoreSaysWhenTheExecutableGivenIsNotTheCoresOwn") {
  CoreOptions o;
  o.exe = unpack("rwlock.exe");  // another program: its build-id is not the core's
  o.sysroot = scratch() + "/empty-sysroot";
  Snapshot s = load_core("mutex_cycle2", "kernel", o);
  CHECK(warned(s, o.exe + " (given with -e/--exe) is not the executable of this core (build-id "
                          "06502f422c5456f92d4f03b98bff08a91cfa92e7): not used"));
  // The locks get no names from the wrong file, but the cycle is still the memory's.
  Findings f = analyze(s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(core_cycle(s, f) == std::vector<int64_t>{4108, 4109});
  CHECK(s.resources[f.cycles[0].members[0].resource].symbol == kNoString);
}
