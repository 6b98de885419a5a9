#include "parsers/go_core.h"

#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "graph/resolve_go.h"
#include "graph/text_numbers.h"
#include "parsers/go_core_binary.h"
#include "parsers/go_core_leaks.h"
#include "parsers/go_core_memory.h"

namespace dla {

namespace {

using go::FieldId;
using go::GlobalId;

// Bounds against garbage in a damaged core: no real program comes near them.
constexpr uint64_t kMaxGoroutines = 20'000'000;
constexpr size_t kMaxFrames = 1024;           // physical frames per goroutine
constexpr size_t kMaxListLength = 1'000'000;  // threads, sudogs of one select, semaphore waiters

// The Go linker's build ID note ("Go", type 4) among the notes in `bytes`, or nullopt.
std::optional<std::string> go_build_id_note(std::string_view bytes) {
  for (size_t pos = 0; pos + 12 <= bytes.size();) {
    uint32_t namesz = 0, descsz = 0, type = 0;
    std::memcpy(&namesz, bytes.data() + pos, 4);
    std::memcpy(&descsz, bytes.data() + pos + 4, 4);
    std::memcpy(&type, bytes.data() + pos + 8, 4);
    size_t name = pos + 12, desc = name + (namesz + 3) / 4 * 4;
    if (desc > bytes.size() || descsz > bytes.size() - desc) break;
    // The name is "Go" and its NUL, padded: namesz 4 as the Go linker writes it.
    if (type == 4 && (namesz == 3 || namesz == 4) &&
        bytes.substr(name, 3) == std::string_view("Go\0", 3)) {
      return std::string(bytes.substr(desc, descsz));
    }
    pos = desc + (descsz + 3) / 4 * 4;
  }
  return std::nullopt;
}

// The Go build ID of the executable file of `mod` (its .note.go.buildid section).
std::optional<std::string> go_build_id_of_file(Elf* elf) {
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) return std::nullopt;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_NOTE) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr || data->d_buf == nullptr) continue;
    if (auto id = go_build_id_note({static_cast<const char*>(data->d_buf), data->d_size})) {
      return id;
    }
  }
  return std::nullopt;
}

bool has_section(Elf* elf, std::string_view name) {
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) return false;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) continue;
    const char* section = elf_strptr(elf, shstrndx, shdr.sh_name);
    if (section != nullptr && name == section) return true;
  }
  return false;
}

// A goroutine as read from its g, before it becomes a task.
struct Goroutine {
  uint64_t g = 0;
  int64_t goid = 0;
  uint32_t status = 0;  // scan bit removed
  uint64_t wait_reason = 0;
  int64_t wait_since = 0;
  uint64_t stack_lo = 0, stack_hi = 0;
  uint64_t sched_pc = 0, sched_sp = 0, sched_bp = 0;
  uint64_t syscall_pc = 0, syscall_sp = 0;
  uint64_t m = 0, go_pc = 0, waiting = 0;
  uint64_t live_sp = 0;  // where its stack's live part starts (for the leak scan)
  TaskIndex task = kNone;
};

// Where unwinding starts: a pc that is a return address is looked up one byte back (the call
// instruction's line), as Go's own traceback does; a trapped pc (a thread's register) is exact.
struct UnwindStart {
  uint64_t pc = 0, sp = 0, bp = 0;
  bool exact = false;
};

class GoCoreReader {
 public:
  GoCoreReader(const Input& input, const CoreOptions& options, const CoreFile& core, Dwfl* dwfl,
               SnapshotBuilder& out)
      : in_(input), options_(options), core_(core), dwfl_(dwfl), out_(out) {}

  GoCoreResult run() {
    Dwfl_Module* mod = executable_module();
    if (mod == nullptr) {
      if (!given_executable_is_go()) return GoCoreResult::kNotGo;
      return unreadable(
          "the core does not say where its executable is loaded (its notes are "
          "cut off)");
    }
    Dwarf_Addr bias = 0;
    Elf* elf = dwfl_module_getelf(mod, &bias);
    std::string in_memory_id;
    bool go_in_memory = is_go_image_in_memory(core_, exe_base_, &in_memory_id);
    if (elf == nullptr) {
      if (!go_in_memory) return GoCoreResult::kNotGo;
      return unreadable(
          fmt::format("its executable {} is not found; give it with -e/--exe", exe_path_));
    }
    if (!has_section(elf, ".gopclntab") && !has_section(elf, ".go.buildinfo") && !go_in_memory) {
      return GoCoreResult::kNotGo;
    }
    if (auto file_id = go_build_id_of_file(elf);
        go_in_memory && file_id && !in_memory_id.empty() && *file_id != in_memory_id) {
      return unreadable(
          fmt::format("the executable {} is not this core's (Go build ID {}, the "
                      "core's is {})",
                      exe_file(mod), *file_id, in_memory_id));
    }
    if (core_.arch != kernel::Arch::kX86_64) {
      return unreadable("goroutines are read on x86_64 only");
    }
    std::string why_not;
    binary_ = GoBinary::open(mod, why_not);
    if (binary_ == nullptr) return unreadable(why_not);
    memory_ = std::make_unique<GoMemory>(core_, binary_->image());
    layout_ = &binary_->layout();

    Snapshot& s = out_.snapshot();
    s.task_noun = "goroutine";
    s.family = RuntimeFamily::kGo;
    // Frames carry their arguments as a debug=2 dump prints them: holders are tied to waiters
    // by those values (a method's receiver, a lock passed down).
    s.decode_arguments = go::decode_arguments;
    s.runtime = read_version();
    read_wait_reasons();
    read_threads();
    read_semaphore_waiters();
    std::vector<uint64_t> gs = read_allgs();
    if (gs.empty()) return unreadable("runtime.allgs is empty or not in the core");
    for (uint64_t g : gs) read_goroutine(g);
    if (goroutines_.empty()) return unreadable("no goroutine in runtime.allgs could be read");
    estimate_now();
    for (Goroutine& gr : goroutines_) add_task(gr);
    for (const Goroutine& gr : goroutines_) add_wait(gr);
    find_leaks();
    report();
    return GoCoreResult::kGoroutines;
  }

 private:
  GoCoreResult unreadable(const std::string& why) {
    Snapshot& s = out_.snapshot();
    s.task_noun = "thread";
    s.family = RuntimeFamily::kNative;
    s.runtime.clear();
    out_.warn(in_.name, fmt::format("a Go program, but its goroutines cannot be read: {}; its "
                                    "threads are listed instead and nothing is called clean",
                                    why));
    out_.set_damaged();
    return GoCoreResult::kUnreadable;
  }

  // The module the process's entry point (AT_ENTRY) is in, and where its file is mapped.
  Dwfl_Module* executable_module() {
    if (dwfl_ == nullptr || !core_.entry) return nullptr;
    exe_path_ = std::string(core_.mapping_path(*core_.entry));
    for (const CoreMapping& m : core_.mappings) {
      if (m.path == exe_path_ && m.file_offset == 0) {
        exe_base_ = m.start;
        break;
      }
    }
    return dwfl_addrmodule(dwfl_, *core_.entry);
  }

  bool given_executable_is_go() const {
    if (options_.exe.empty()) return false;
    int fd = open(options_.exe.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
    bool go = elf != nullptr && elf_kind(elf) == ELF_K_ELF && has_section(elf, ".gopclntab");
    if (elf != nullptr) elf_end(elf);
    close(fd);
    return go;
  }

  static std::string exe_file(Dwfl_Module* mod) {
    const char* file = nullptr;
    dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, &file, nullptr);
    return file != nullptr ? file : "?";
  }

  // --- The runtime's globals ---------------------------------------------------------------------

  std::string read_version() {
    if (auto at = binary_->global(GlobalId::kBuildVersion)) {
      if (auto v = memory_->go_string(*at, 64); v && v->starts_with("go")) return *v;
    }
    return binary_->version();
  }

  void read_wait_reasons() {
    auto at = binary_->global(GlobalId::kWaitReasonStrings);
    auto size = binary_->global_size(GlobalId::kWaitReasonStrings);
    if (at && size && *size % 16 == 0 && *size / 16 < 1000) {
      for (uint64_t i = 0; i < *size / 16; ++i) {
        auto text = memory_->go_string(*at + 16 * i, 256);
        if (!text) {
          wait_reasons_.clear();
          break;
        }
        wait_reasons_.push_back(*text);
      }
    }
    if (!wait_reasons_.empty()) return;
    if (const go::WaitReasonTable* t = go::find_wait_reasons(out_.snapshot().runtime)) {
      wait_reasons_.assign(t->reasons.begin(), t->reasons.end());
      return;
    }
    out_.warn(in_.name, fmt::format("runtime.waitReasonStrings is not readable and {} has no "
                                    "table here: waiting goroutines show as \"waiting\"",
                                    out_.snapshot().runtime));
  }

  // Every thread (m): its LWP and current goroutine, for running goroutines; its g0 and signal
  // stacks, for the leak scan.
  void read_threads() {
    auto allm = binary_->global(GlobalId::kAllm);
    auto procid = layout_->at(FieldId::kMProcId);
    if (!allm || !procid) return;
    std::unordered_map<int64_t, size_t> thread_by_lwp;
    for (size_t i = 0; i < core_.threads.size(); ++i) thread_by_lwp[core_.threads[i].lwp] = i;
    std::unordered_set<uint64_t> seen;
    for (auto m = memory_->word(*allm); m && *m != 0 && seen.insert(*m).second;
         m = memory_->word(*m + *layout_->at(FieldId::kMAllLink))) {
      if (seen.size() > kMaxListLength || !layout_->at(FieldId::kMAllLink)) break;
      auto lwp = memory_->uint(*m + *procid, layout_->width(FieldId::kMProcId));
      if (lwp) {
        auto it = thread_by_lwp.find(static_cast<int64_t>(*lwp));
        if (it != thread_by_lwp.end()) thread_of_m_[*m] = it->second;
      }
      for (FieldId f : {FieldId::kMG0, FieldId::kMGSignal}) {
        auto off = layout_->at(f);
        auto g = off ? memory_->word(*m + *off) : std::nullopt;
        if (!g || *g == 0) continue;
        auto lo = memory_->word(*g + *layout_->at(FieldId::kGStackLo));
        auto hi = memory_->word(*g + *layout_->at(FieldId::kGStackHi));
        if (lo && hi && *lo < *hi) thread_stacks_.emplace_back(*lo, *hi);
      }
    }
  }

  // runtime.semtable: a treap of sudogs per bucket, keyed by semaphore address (sudog.elem),
  // each node heading the list (waitlink) of the other waiters on the same address.
  void read_semaphore_waiters() {
    const go::RuntimeLayout& L = *layout_;
    auto table = binary_->global(GlobalId::kSemtable);
    auto root = L.at(FieldId::kSemtableRoot), treap = L.at(FieldId::kSemaRootTreap);
    if (!table || !root || !treap || L.semtable_stride == 0 || !L.at(FieldId::kSudogElem) ||
        !L.at(FieldId::kSudogG) || !L.at(FieldId::kSudogPrev) || !L.at(FieldId::kSudogNext) ||
        !L.at(FieldId::kSudogWaitLink)) {
      return;
    }
    semtable_ = {*table, *table + uint64_t{L.semtable_stride} * L.semtable_count};
    std::unordered_set<uint64_t> seen;
    std::vector<uint64_t> stack;
    for (uint32_t i = 0; i < L.semtable_count; ++i) {
      auto top = memory_->word(*table + uint64_t{i} * L.semtable_stride + *root + *treap);
      if (top && *top != 0) stack.push_back(*top);
      while (!stack.empty() && seen.size() < kMaxListLength) {
        uint64_t node = stack.back();
        stack.pop_back();
        if (!seen.insert(node).second) continue;
        for (FieldId child : {FieldId::kSudogPrev, FieldId::kSudogNext}) {
          if (auto c = memory_->word(node + *L.at(child)); c && *c != 0) stack.push_back(*c);
        }
        for (uint64_t s = node; s != 0 && seen.size() < kMaxListLength;) {
          auto g = memory_->word(s + *L.at(FieldId::kSudogG));
          auto elem = memory_->word(s + *L.at(FieldId::kSudogElem));
          if (g && elem && *g != 0) sema_of_g_.emplace(*g, *elem);
          auto next = memory_->word(s + *L.at(FieldId::kSudogWaitLink));
          if (!next || *next == s || (s != node && !seen.insert(*next).second)) break;
          s = *next;
        }
      }
    }
  }

  std::vector<uint64_t> read_allgs() {
    auto allgs = binary_->global(GlobalId::kAllgs);
    auto data = memory_->word(*allgs), len = memory_->word(*allgs + 8);
    if (!data || !len) return {};
    uint64_t n = *len;
    if (auto allglen = binary_->global(GlobalId::kAllglen)) {
      if (auto published = memory_->word(*allglen)) n = std::min(n, *published);
    }
    if (n > kMaxGoroutines) {
      out_.warn(in_.name, fmt::format("runtime.allgs claims {} goroutines: damaged; the first {} "
                                      "are read",
                                      n, kMaxGoroutines));
      out_.set_damaged();
      n = kMaxGoroutines;
    }
    if (n > 0 && !memory_->word(*data + (n - 1) * 8) && !memory_->word(*data)) {
      return {};  // neither end of the array is in the core: damaged, not worth a vector
    }
    std::vector<uint64_t> gs(n);
    if (n > 0 && !memory_->read(*data, gs.data(), n * 8)) {
      // Read what is there, one pointer at a time.
      size_t kept = 0;
      for (uint64_t i = 0; i < n; ++i) {
        if (auto g = memory_->word(*data + 8 * i)) gs[kept++] = *g;
      }
      out_.warn(in_.name, fmt::format("runtime.allgs is partly missing from the core: {} of {} "
                                      "goroutines read",
                                      kept, n));
      out_.set_damaged();
      gs.resize(kept);
    }
    return gs;
  }

  // --- Goroutines --------------------------------------------------------------------------------

  void read_goroutine(uint64_t g) {
    const go::RuntimeLayout& L = *layout_;
    GoRecord r;
    if (g == 0 || !r.load(*memory_, g, *L.size(go::TypeId::kG))) {
      ++unreadable_gs_;
      return;
    }
    Goroutine gr;
    gr.g = g;
    gr.status =
        static_cast<uint32_t>(r.get_or(L, FieldId::kGStatus, 0)) & ~binary_->statuses().scan_bit;
    if (go::is_dead(binary_->statuses(), gr.status)) return;
    gr.goid = static_cast<int64_t>(r.get_or(L, FieldId::kGGoid, 0));
    gr.wait_reason = r.get_or(L, FieldId::kGWaitReason, 0);
    gr.wait_since = static_cast<int64_t>(r.get_or(L, FieldId::kGWaitSince, 0));
    gr.stack_lo = r.get_or(L, FieldId::kGStackLo, 0);
    gr.stack_hi = r.get_or(L, FieldId::kGStackHi, 0);
    gr.sched_pc = r.get_or(L, FieldId::kGSchedPc, 0);
    gr.sched_sp = r.get_or(L, FieldId::kGSchedSp, 0);
    gr.sched_bp = r.get_or(L, FieldId::kGSchedBp, 0);
    gr.syscall_pc = r.get_or(L, FieldId::kGSyscallPc, 0);
    gr.syscall_sp = r.get_or(L, FieldId::kGSyscallSp, 0);
    gr.m = r.get_or(L, FieldId::kGM, 0);
    gr.go_pc = r.get_or(L, FieldId::kGGoPc, 0);
    gr.waiting = r.get_or(L, FieldId::kGWaiting, 0);
    goroutines_.push_back(gr);
  }

  // The core's own clock is not in it: the latest nanotime() the runtime recorded is a lower
  // bound (the last GC's start, the last network poll, any goroutine's park stamp), so the
  // minutes derived from it are "at least".
  void estimate_now() {
    for (const Goroutine& gr : goroutines_) now_ = std::max(now_, gr.wait_since);
    auto read_clock = [&](GlobalId global, FieldId field) {
      auto at = binary_->global(global);
      auto off = layout_->at(field);
      if (!at || !off) return;
      if (auto v = memory_->uint(*at + *off, layout_->width(field))) {
        now_ = std::max(now_, static_cast<int64_t>(*v));
      }
    };
    read_clock(GlobalId::kWork, FieldId::kWorkTstart);
    read_clock(GlobalId::kSched, FieldId::kSchedLastPoll);
  }

  std::string state_of(const Goroutine& gr) const {
    const go::StatusValues& st = binary_->statuses();
    if (go::is_status(st, gr.status, "runtime._Gwaiting") && gr.wait_reason != 0) {
      if (gr.wait_reason < wait_reasons_.size()) return wait_reasons_[gr.wait_reason];
      return "unknown wait reason";
    }
    return std::string(go::status_word(st, gr.status).value_or("???"));
  }

  // Where gr's stack starts: a running goroutine at its thread's registers (when the thread is
  // on the goroutine's own stack, not the scheduler's), one in a system call at the call, any
  // other at its saved context.
  UnwindStart start_of(Goroutine& gr, std::optional<int64_t>& lwp) const {
    const go::StatusValues& st = binary_->statuses();
    if (gr.m != 0) {
      if (auto it = thread_of_m_.find(gr.m); it != thread_of_m_.end()) {
        const CoreThread& t = core_.threads[it->second];
        lwp = t.lwp;
        const kernel::ThreadRegsLayout* l = core_.regs_layout;
        if (go::is_status(st, gr.status, "runtime._Grunning") && l != nullptr && !t.regs.empty()) {
          uint64_t sp = t.regs[l->sp];
          if (sp >= gr.stack_lo && sp < gr.stack_hi) {
            return {t.regs[l->pc], sp, t.regs[4 /* rbp in user_regs_struct */], true};
          }
        }
      }
    }
    if (go::is_status(st, gr.status, "runtime._Gsyscall") && gr.syscall_sp != 0) {
      return {gr.syscall_pc, gr.syscall_sp, gr.sched_bp, false};
    }
    return {gr.sched_pc, gr.sched_sp, gr.sched_bp, false};
  }

  struct PhysicalFrame {
    uint64_t pc = 0;
    uint64_t lookup = 0;  // the pc its lines and arguments are looked up at
    uint64_t cfa = 0;     // its canonical frame address: where its arguments are; 0 if unknown
    const std::vector<GoFrameInfo>* frames = nullptr;
  };

  // The goroutine's physical frames, innermost first; `complete` says whether the unwinder got
  // down to the frame every goroutine starts from (runtime.goexit).
  std::vector<PhysicalFrame> unwind(UnwindStart at, const Goroutine& gr, bool& complete) {
    std::vector<PhysicalFrame> out;
    uint64_t pc = at.pc, sp = at.sp, bp = at.bp;
    bool exact = at.exact;
    complete = false;
    while (pc != 0 && out.size() < kMaxFrames) {
      uint64_t lookup = exact ? pc : pc - 1;
      const std::vector<GoFrameInfo>& frames = binary_->frames_at(lookup);
      if (go::is_stack_bottom(frames.back().function)) {
        complete = true;
        break;
      }
      out.push_back({pc, lookup, 0, &frames});
      uint64_t next_sp = 0, ra_at = 0;
      if (binary_->has_cfi()) {
        auto rule = binary_->unwind_rule(lookup);
        if (!rule) break;
        next_sp = sp + static_cast<uint64_t>(rule->cfa_offset);
        ra_at = next_sp + static_cast<uint64_t>(rule->ra_offset);
      } else {
        // No .debug_frame: the frame-pointer chain (amd64 Go keeps one since Go 1.7).
        if (bp < sp || bp >= gr.stack_hi) break;
        ra_at = bp + 8;
        next_sp = bp + 16;
        auto saved = memory_->word(bp);
        if (!saved) break;
        bp = *saved;
      }
      out.back().cfa = next_sp;
      auto ra = memory_->word(ra_at);
      if (!ra || next_sp <= sp || next_sp > gr.stack_hi) break;
      pc = *ra;
      sp = next_sp;
      exact = false;
    }
    return out;
  }

  void add_task(Goroutine& gr) {
    std::optional<int64_t> lwp;
    UnwindStart start = start_of(gr, lwp);
    gr.live_sp = start.sp;
    // A running goroutine whose thread is not on its stack (in a signal handler, on the system
    // stack) may have live frames below its saved sp: the leak scan reads all of its stack.
    const go::StatusValues& status = binary_->statuses();
    if (go::is_status(status, gr.status, "runtime._Grunning") && !start.exact) {
      gr.live_sp = gr.stack_lo;
    }
    std::vector<PhysicalFrame> stack;
    bool complete = true;
    if (!go::is_status(binary_->statuses(), gr.status, "runtime._Gidle") && start.pc != 0) {
      stack = unwind(start, gr, complete);
    }
    if (!complete) cut_stacks_.push_back(gr.goid);
    TaskIndex t = out_.begin_task(std::to_string(gr.goid), 0);
    gr.task = t;
    Task& task = out_.task(t);
    task.lwp = lwp;
    task.state = out_.intern(state_of(gr));
    const go::StatusValues& st = binary_->statuses();
    if ((go::is_status(st, gr.status, "runtime._Gwaiting") ||
         go::is_status(st, gr.status, "runtime._Gsyscall")) &&
        gr.wait_since != 0 && now_ > gr.wait_since) {
      int64_t minutes = (now_ - gr.wait_since) / 60'000'000'000;
      if (minutes >= 1) task.parked_minutes = static_cast<double>(minutes);
    }
    // "created by": the function of the go statement, as a traceback prints it (not for
    // goroutine 1, nor when that function is one a traceback hides: the runtime's own).
    if (gr.go_pc != 0 && gr.goid != 1) {
      const GoFrameInfo& creator = binary_->frames_at(gr.go_pc - 1).back();
      if (go::traceback_shows(creator.function, creator.file, creator.wrapper)) {
        task.created_by = out_.intern(creator.function);
      }
    }
    // The frames a debug=2 traceback prints; all of them when it would print none (a system
    // goroutine: only runtime frames).
    bool any_shown = false;
    for (const PhysicalFrame& p : stack) {
      for (const GoFrameInfo& f : *p.frames) {
        any_shown |= go::traceback_shows(f.function, f.file, f.wrapper);
      }
    }
    for (const PhysicalFrame& p : stack) {
      for (size_t i = 0; i < p.frames->size(); ++i) {
        const GoFrameInfo& f = (*p.frames)[i];
        if (any_shown && !go::traceback_shows(f.function, f.file, f.wrapper)) continue;
        Frame frame;
        frame.function = out_.intern(f.function.empty() ? "?" : f.function);
        frame.file = f.file.empty() ? kNoString : out_.intern(f.file);
        frame.line = f.line;
        frame.pc = p.pc;
        // Inlined calls have no frame of their own: a traceback prints "(...)" for them.
        bool inlined = i + 1 < p.frames->size();
        frame.args = out_.store(inlined ? std::string("...") : arguments(p));
        out_.add_frame(frame);
      }
    }
    Task& done = out_.task(t);
    const Snapshot& s = out_.snapshot();
    uint32_t end = done.first_frame + done.frame_count;
    if (uint32_t f = go::first_program_frame(s, done.first_frame, end); f != end) {
      done.app_frame = f - done.first_frame;
    }
  }

  // A frame's arguments as a Go traceback prints them ("0xc000012345, {0x4f52ef, 0x6}"), read
  // from its argument area where the location lists put them there; "_" for one that is not
  // (in a register, optimized away).
  std::string arguments(const PhysicalFrame& p) const {
    std::string out;
    for (const GoArgLocation& arg : binary_->args_at(p.lookup)) {
      if (!out.empty()) out += ", ";
      std::string words;
      for (const GoArgLocation::Piece& piece : arg.pieces) {
        if (!words.empty()) words += ", ";
        std::optional<uint64_t> value;
        if (piece.in_memory && p.cfa != 0 && piece.size > 0 && piece.size <= 8) {
          value = memory_->uint(p.cfa + static_cast<uint64_t>(piece.cfa_offset),
                                static_cast<uint8_t>(piece.size));
        }
        words += value ? hex_address(*value) : "_";
      }
      out += arg.aggregate ? "{" + words + "}" : words;
    }
    return out;
  }

  // --- Waits -------------------------------------------------------------------------------------

  // The sync object whose semaphore `sema` is, from the frame that called the runtime's
  // semacquire and, for a lock inside another (RWMutex.w), the entry frame.
  std::optional<uint64_t> sync_object(const Task& task, uint64_t sema, uint32_t entry) const {
    const Snapshot& s = out_.snapshot();
    auto frames = s.frames_of(task);
    for (size_t i = 0; i + 1 < frames.size(); ++i) {
      if (!s.str(frames[i].function).starts_with("sync.runtime_Semacquire")) continue;
      const go::SemaFieldRow* row = go::find_sema_field(s.str(frames[i + 1].function));
      if (row == nullptr) return std::nullopt;
      auto offset = binary_->offset_of(row->type, row->fields);
      if (!offset) return std::nullopt;
      uint64_t object = sema - *offset;
      std::string_view entry_fn = entry != kNone ? s.str(s.frames[entry].function) : "";
      for (const go::EmbeddedLockRow& e : go::embedded_lock_rows()) {
        if (e.outer_frame != entry_fn) continue;
        bool inner = false;
        for (size_t j = i + 1; j < frames.size(); ++j) {
          inner |= s.str(frames[j].function) == e.inner_frame;
        }
        auto field = binary_->offset_of(e.outer_type, e.field);
        if (inner && field) object -= *field;
      }
      return object;
    }
    return std::nullopt;
  }

  // The channels a goroutine parked in a channel operation or select waits on: g.waiting and
  // the sudogs linked to it.
  std::vector<uint64_t> channels_of(const Goroutine& gr) const {
    std::vector<uint64_t> out;
    auto c = layout_->at(FieldId::kSudogC), link = layout_->at(FieldId::kSudogWaitLink);
    if (!c || !link) return out;
    std::unordered_set<uint64_t> seen;
    for (uint64_t s = gr.waiting;
         s != 0 && seen.insert(s).second && seen.size() < kMaxListLength;) {
      auto chan = memory_->uint(s + *c, layout_->width(FieldId::kSudogC));
      if (!chan) return {};
      if (*chan != 0) out.push_back(*chan);
      auto next = memory_->word(s + *link);
      if (!next) return {};
      s = *next;
    }
    return out;
  }

  // A channel's state (runtime.hchan), as far as the layout has it.
  struct ChannelFacts {
    uint64_t queued = 0, capacity = 0;
    bool closed = false, receivers = false, senders = false;
  };
  std::optional<ChannelFacts> channel_facts(uint64_t hchan) const {
    auto size = layout_->size(go::TypeId::kHchan);
    GoRecord r;
    if (!size || !r.load(*memory_, hchan, *size)) return std::nullopt;
    auto queued = r.get(*layout_, FieldId::kHchanQcount);
    auto capacity = r.get(*layout_, FieldId::kHchanDataqsiz);
    auto closed = r.get(*layout_, FieldId::kHchanClosed);
    auto recvq = r.get(*layout_, FieldId::kHchanRecvqFirst);
    auto sendq = r.get(*layout_, FieldId::kHchanSendqFirst);
    if (!queued || !capacity || !closed || !recvq || !sendq || *queued > *capacity) {
      return std::nullopt;
    }
    return ChannelFacts{*queued, *capacity, *closed != 0, *recvq != 0, *sendq != 0};
  }

  static std::string describe(const ChannelFacts& c) {
    std::string out = c.capacity == 0
                          ? "chan, unbuffered"
                          : fmt::format("chan, {} of {} buffered", c.queued, c.capacity);
    if (c.closed) out += ", closed";
    return out;
  }

  void add_wait(const Goroutine& gr) {
    const Snapshot& s = out_.snapshot();
    const Task& task = s.tasks[gr.task];
    std::optional<go::GoWait> wait = go::classify_wait(s, task);
    if (!wait) return;
    std::optional<uint64_t> address;
    std::vector<uint64_t> objects;
    std::string type(wait->type);
    switch (wait->kind) {
      case ResourceKind::kChannel:
      case ResourceKind::kSelect:
        if (!wait->never_wakes.empty()) break;
        objects = channels_of(gr);
        if (wait->kind == ResourceKind::kChannel && objects.size() == 1) {
          address = objects[0];
          auto facts = channel_facts(*address);
          type = facts ? describe(*facts) : "chan";
          // Only a wait its channel agrees with may be called leaked: a parked sender's channel
          // is open with no receiver waiting and no free buffer slot, a receiver's is open and
          // empty with no sender waiting (the goroutine itself is in the other queue). Anything
          // else (a core taken in the middle of a channel operation) is unsure.
          bool send = out_.snapshot().str(task.state).starts_with("chan send");
          if (!facts || facts->closed ||
              (send ? facts->receivers || facts->queued < facts->capacity
                    : facts->senders || facts->queued > 0)) {
            objects.clear();
          }
        }
        break;
      case ResourceKind::kMutex:
      case ResourceKind::kRwlock:
      case ResourceKind::kWaitgroup:
      case ResourceKind::kSemaphore:
      case ResourceKind::kUnknown:
        if (auto it = sema_of_g_.find(gr.g); it != sema_of_g_.end()) {
          objects = {it->second};
          address = sync_object(task, it->second, wait->frame);
          if (!address && wait->kind == ResourceKind::kSemaphore) address = it->second;
        }
        break;
      default:
        break;
    }
    ResourceIndex r = address ? out_.resource(wait->kind, hex_address(*address), type)
                              : out_.unknown_resource(wait->kind, type);
    WaitEdge w;
    w.task = gr.task;
    w.resource = r;
    w.evidence = Evidence::kMemory;  // the status, wait reason and object are the runtime's own
    w.frame =
        wait->frame != kNone ? wait->frame : (task.frame_count > 0 ? task.first_frame : kNone);
    w.app_frame = task.app_frame == kNone ? kNone : task.first_frame + task.app_frame;
    if (!wait->never_wakes.empty()) w.never_wakes = out_.intern(wait->never_wakes);
    if (w.frame == kNone) return;
    wait_index_[gr.task] = s.waits.size();
    waits_on_[gr.task] = std::move(objects);
    out_.add_wait(w);
  }

  // --- Leaks -------------------------------------------------------------------------------------

  void find_leaks() {
    Snapshot& s = out_.snapshot();
    if (s.damaged) {
      out_.warn(in_.name, "the core is incomplete: no goroutine is called leaked");
      return;
    }
    GoLeakScanInput input;
    std::vector<TaskIndex> task_of;
    for (const Goroutine& gr : goroutines_) {
      GoLeakScanInput::Goroutine g;
      g.g = gr.g;
      g.stack_lo = gr.stack_lo;
      g.stack_hi = gr.stack_hi;
      g.sp = gr.live_sp;
      auto w = wait_index_.find(gr.task);
      if (w != wait_index_.end() && s.waits[w->second].never_wakes == kNoString) {
        g.waits_on = waits_on_[gr.task];
      }
      input.goroutines.push_back(std::move(g));
      task_of.push_back(gr.task);
    }
    for (const ExecutableImage::Segment& seg : binary_->image().segments) {
      if (seg.writable) input.globals.emplace_back(seg.vaddr, seg.vaddr + seg.memsz);
    }
    // The live part of each thread's own stack (g0 or signal stack: the scheduler, a system
    // call made from it), from its stack pointer up; the rest holds stale frames only. A thread
    // on no stack of the runtime's (cgo: C code on its own stack) up to the end of its mapping.
    const kernel::ThreadRegsLayout* l = core_.regs_layout;
    for (const CoreThread& t : core_.threads) {
      if (l == nullptr || t.regs.empty()) continue;
      uint64_t sp = t.regs[l->sp];
      bool known = false;
      for (auto [lo, hi] : thread_stacks_) {
        if (sp >= lo && sp < hi) {
          input.thread_stacks.emplace_back(sp, hi);
          known = true;
        }
      }
      for (const Goroutine& gr : goroutines_) known |= sp >= gr.stack_lo && sp < gr.stack_hi;
      if (known) continue;
      for (const CoreSegment& seg : core_.segments) {
        if (sp >= seg.vaddr && sp < seg.vaddr + seg.memsz) {
          input.thread_stacks.emplace_back(sp, seg.vaddr + seg.memsz);
        }
      }
    }
    for (const CoreThread& t : core_.threads) {
      input.thread_registers.insert(input.thread_registers.end(), t.regs.begin(), t.regs.end());
    }
    if (semtable_.second > semtable_.first) input.not_roots.push_back(semtable_);
    GoLeakScan scan = find_leaked_goroutines(*memory_, *binary_, input);
    if (!scan.complete) {
      out_.warn(in_.name, fmt::format("no goroutine is called leaked: {}", scan.why_not));
      return;
    }
    StrId leaked = out_.intern("leaked");
    for (size_t i = 0; i < scan.leaked.size(); ++i) {
      if (!scan.leaked[i]) continue;
      s.waits[wait_index_.at(task_of[i])].never_wakes = leaked;
      ++leaked_;
    }
  }

  void report() {
    if (unreadable_gs_ > 0) {
      out_.warn(in_.name, fmt::format("{} goroutine{} of runtime.allgs could not be read from the "
                                      "core",
                                      unreadable_gs_, unreadable_gs_ == 1 ? "" : "s"));
      out_.set_damaged();
    }
    if (!cut_stacks_.empty()) {
      std::string ids;
      for (size_t i = 0; i < cut_stacks_.size() && i < 8; ++i) {
        ids += fmt::format("{}{}", i ? ", " : "", cut_stacks_[i]);
      }
      if (cut_stacks_.size() > 8) ids += fmt::format(" and {} more", cut_stacks_.size() - 8);
      out_.warn(in_.name, fmt::format("the stacks of goroutine{} {} could not be unwound to their "
                                      "first frame (not in the core, no call-frame information "
                                      "for a pc, or deeper than {} frames): outer frames are "
                                      "missing",
                                      cut_stacks_.size() == 1 ? "" : "s", ids, kMaxFrames));
    }
    if (!binary_->has_cfi()) {
      out_.warn(in_.name,
                "the executable has no .debug_frame: stacks are unwound by frame "
                "pointers");
    }
  }

  const Input& in_;
  const CoreOptions& options_;
  const CoreFile& core_;
  Dwfl* dwfl_;
  SnapshotBuilder& out_;
  std::string exe_path_;
  uint64_t exe_base_ = 0;
  std::unique_ptr<GoBinary> binary_;
  std::unique_ptr<GoMemory> memory_;
  const go::RuntimeLayout* layout_ = nullptr;
  std::vector<std::string> wait_reasons_;
  std::unordered_map<uint64_t, size_t> thread_of_m_;          // m → index into core_.threads
  std::vector<std::pair<uint64_t, uint64_t>> thread_stacks_;  // g0 and signal stacks [lo, hi)
  std::unordered_map<uint64_t, uint64_t> sema_of_g_;  // g → the semaphore word it sleeps on
  std::pair<uint64_t, uint64_t> semtable_{0, 0};
  std::vector<Goroutine> goroutines_;
  std::unordered_map<TaskIndex, size_t> wait_index_;  // task → its wait in Snapshot::waits
  std::unordered_map<TaskIndex, std::vector<uint64_t>> waits_on_;
  int64_t now_ = 0;
  size_t unreadable_gs_ = 0;
  std::vector<int64_t> cut_stacks_;  // goroutines whose unwinding stopped early
  size_t leaked_ = 0;
};

}  // namespace

bool is_go_image_in_memory(const CoreFile& core, uint64_t base, std::string* build_id) {
  unsigned char ehdr[64];
  if (base == 0 || !core.read(base, ehdr, sizeof ehdr) || std::memcmp(ehdr, "\177ELF", 4) != 0 ||
      ehdr[4] != ELFCLASS64 || ehdr[5] != ELFDATA2LSB) {
    return false;
  }
  uint64_t phoff = 0;
  uint16_t phnum = 0;
  std::memcpy(&phoff, ehdr + 32, 8);
  std::memcpy(&phnum, ehdr + 56, 2);
  if (phnum == 0 || phnum > 256) return false;
  std::string phdrs(size_t{phnum} * 56, '\0');
  if (!core.read(base + phoff, phdrs.data(), phdrs.size())) return false;
  uint64_t first_load = UINT64_MAX;
  for (uint16_t i = 0; i < phnum && first_load == UINT64_MAX; ++i) {
    uint32_t type = 0;
    std::memcpy(&type, phdrs.data() + i * 56, 4);
    if (type == PT_LOAD) std::memcpy(&first_load, phdrs.data() + i * 56 + 16, 8);
  }
  if (first_load == UINT64_MAX) return false;
  first_load &= ~uint64_t{0xfff};
  for (uint16_t i = 0; i < phnum; ++i) {
    uint32_t type = 0;
    uint64_t vaddr = 0, size = 0;
    std::memcpy(&type, phdrs.data() + i * 56, 4);
    if (type != PT_NOTE) continue;
    std::memcpy(&vaddr, phdrs.data() + i * 56 + 16, 8);
    std::memcpy(&size, phdrs.data() + i * 56 + 32, 8);
    std::string notes(std::min<uint64_t>(size, 4096), '\0');
    if (!core.read(base + vaddr - first_load, notes.data(), notes.size())) continue;
    if (auto id = go_build_id_note(notes)) {
      if (build_id != nullptr) *build_id = *id;
      return true;
    }
  }
  return false;
}

GoCoreResult read_go_core(const Input& input, const CoreOptions& options, const CoreFile& core,
                          Dwfl* dwfl, SnapshotBuilder& out) {
  return GoCoreReader(input, options, core, dwfl, out).run();
}

}  // namespace dla
