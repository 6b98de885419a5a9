// The ELF core parser: libdwfl finds the core's modules (from its NT_FILE note, by build-id),
// unwinds every thread and symbolizes its frames (function, file, line, inlined calls) into tasks;
// then hands the threads to the glibc waits (core_glibc_waits.cpp) and reports what was missing
// (core_warnings.cpp). The core's bytes are taken apart without libdw in core_file.cpp; a Go or
// JVM process is handed to parsers/go_core and parsers/jvm_core.
#include "parsers/elf_core.h"

#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include <fmt/format.h>

#include "graph/resolve_glibc.h"
#include "graph/text_numbers.h"
#include "parsers/core_glibc_waits.h"
#include "parsers/core_warnings.h"
#include "parsers/go_core.h"
#include "parsers/jvm_core.h"

namespace dla {

namespace {

std::vector<std::string> split_dirs(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    size_t colon = list.find(':');
    std::string_view dir = list.substr(0, colon);
    if (!dir.empty()) out.emplace_back(dir);
    if (colon == std::string_view::npos) break;
    list.remove_prefix(colon + 1);
  }
  return out;
}

// C++ names demangled, without their parameter list (as gdb prints a frame's function); C names
// as they are, without a symbol version ("pthread_cond_wait@@GLIBC_2.3.2").
std::string display_name(const char* raw) {
  std::string_view name(raw);
  if (size_t at = name.find('@'); at != std::string_view::npos && at > 0) {
    name = name.substr(0, at);
  }
  if (name.starts_with("_Z")) {
    std::string mangled(name);
    int status = 0;
    char* demangled = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
    if (status == 0 && demangled != nullptr) {
      std::string out(glibc::normalize_function(demangled));
      std::free(demangled);
      return out;
    }
    std::free(demangled);
  }
  return std::string(name);
}

bool is_cplusplus(Dwarf_Die* cu) {
  switch (dwarf_srclang(cu)) {
    case DW_LANG_C_plus_plus:
    case DW_LANG_C_plus_plus_03:
    case DW_LANG_C_plus_plus_11:
    case DW_LANG_C_plus_plus_14:
      return true;
    default:
      return false;
  }
}

// The function a DWARF subprogram or inlined-subroutine DIE is: its linkage name demangled where
// there is one; otherwise its DW_AT_name, qualified by the namespaces and classes around its
// declaration in C++ (gdb's "std::__glibcxx_rwlock_rdlock" for a static function in std).
std::string die_function(Dwarf_Die* die, bool cplusplus) {
  Dwarf_Attribute attr;
  for (int at : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name}) {
    if (const char* linkage = dwarf_formstring(dwarf_attr_integrate(die, at, &attr))) {
      return display_name(linkage);
    }
  }
  const char* name = dwarf_diename(die);
  if (name == nullptr) return "??";
  if (!cplusplus) return name;
  Dwarf_Die decl = *die, next;
  for (int hops = 0; hops < 4; ++hops) {
    if (dwarf_formref_die(dwarf_attr(&decl, DW_AT_abstract_origin, &attr), &next) == nullptr &&
        dwarf_formref_die(dwarf_attr(&decl, DW_AT_specification, &attr), &next) == nullptr) {
      break;
    }
    decl = next;
  }
  Dwarf_Die* scopes = nullptr;
  int n = dwarf_getscopes_die(&decl, &scopes);
  std::string qualified;
  for (int i = n - 1; i >= 1; --i) {
    int tag = dwarf_tag(&scopes[i]);
    if (tag == DW_TAG_namespace || tag == DW_TAG_class_type || tag == DW_TAG_structure_type ||
        tag == DW_TAG_union_type) {
      const char* scope = dwarf_diename(&scopes[i]);
      qualified += scope != nullptr ? scope : "(anonymous namespace)";
      qualified += "::";
    }
  }
  std::free(scopes);
  return qualified + name;
}

// A frame's function, file and line, without its pc: the same for every thread that stops at
// the same address.
struct SymbolizedFrame {
  StrId function = kNoString;
  StrId file = kNoString;
  StrId module = kNoString;
  int32_t line = 0;
};

struct ThreadStack {
  size_t core_index = 0;                       // into CoreFile::threads
  std::vector<std::pair<uint64_t, bool>> pcs;  // pc, and whether it is exact (frame 0, signal)
  std::string unwind_error;
};

class CoreReader;
thread_local CoreReader* tl_reader = nullptr;  // for libdwfl's find_elf callback

constexpr size_t kMaxFrames = 1024;

class CoreReader {
 public:
  CoreReader(const Input& input, const CoreOptions& options, SnapshotBuilder& out)
      : in_(input), out_(out), options_(options) {}
  ~CoreReader() {
    if (dwfl_ != nullptr) dwfl_end(dwfl_);
    if (elf_ != nullptr) elf_end(elf_);
    if (tl_reader == this) tl_reader = nullptr;
  }
  CoreReader(const CoreReader&) = delete;
  CoreReader& operator=(const CoreReader&) = delete;

  void run() {
    core_ = read_core_file(in_.name, in_.bytes);
    Snapshot& s = out_.snapshot();
    s.task_noun = "thread";
    s.family = RuntimeFamily::kNative;
    if (core_.threads.empty()) {
      throw Error(
          core_.notes_truncated
              ? fmt::format("{}: truncated core ({} of {} bytes): the notes with the "
                            "threads are cut off",
                            in_.name, core_.file_size, core_.expected_size)
              : fmt::format("{}: ELF core without threads (no NT_PRSTATUS note)", in_.name));
    }
    if (!core_.arch) {
      out_.warn(in_.name, fmt::format("ELF machine {} is not supported: threads are listed "
                                      "without stacks or locks",
                                      core_.machine));
    }
    tl_reader = this;
    unknown_function_ = out_.intern("??");
    open_dwfl();
    // --- Hook: a Go program's tasks are its goroutines (parsers/go_core), not these threads.
    // kUnreadable leaves a warning and a damaged snapshot, and the threads are listed below.
    if (read_go_core(in_, options_, core_, dwfl_, out_) == GoCoreResult::kGoroutines) {
      report_what_is_missing();
      return;
    }
    unwind();
    find_glibc();
    build_tasks();
    read_core_waits({in_.name, core_, layout_, layout_version_known_, task_of_thread_,
                     [this](uint64_t address) { return data_symbol(address); }},
                    out_);
    report_what_is_missing();
  }

  // The files, symbols and bytes the core lacks (core_warnings.cpp).
  void report_what_is_missing() {
    CoreReport report{in_.name, core_, options_, dwfl_, unnamed_, unwind_failures_};
    report_missing_files(report, out_);
    report_truncation(report, out_);
  }

  // --- libdwfl callbacks -------------------------------------------------------------------------

  // Dwfl_Callbacks::find_elf, for modules whose file was not found when they were reported.
  int find_elf(Dwfl_Module* mod, const char* modname, char** file_name, Elf** elfp) {
    Dwarf_Addr start = 0;
    dwfl_module_info(mod, nullptr, &start, nullptr, nullptr, nullptr, nullptr, nullptr);
    const unsigned char* id = nullptr;
    GElf_Addr id_vaddr = 0;
    int id_len = dwfl_module_build_id(mod, &id, &id_vaddr);
    std::string_view want(reinterpret_cast<const char*>(id), id_len > 0 ? id_len : 0);
    std::string path(core_.mapping_path(start));
    if (path.empty() && modname != nullptr && modname[0] == '/') path = modname;
    std::string found;
    int fd = open_matching(path, want, core_.is_executable(path), found, elfp);
    if (fd >= 0) {
      std::free(*file_name);
      *file_name = strdup(found.c_str());
    }
    return fd;
  }

  // The file a module of the core is: the executable given with --exe, the path the core
  // recorded (under the sysroot, when there is one), then by build-id under the debug
  // directories.
  // A file is taken only when its build-id is the one the core recorded (when it recorded one).
  // Returns an open descriptor (and, when `elfp` is given, its Elf) or -1.
  int open_matching(const std::string& path, std::string_view want, bool is_exe, std::string& found,
                    Elf** elfp) {
    std::vector<std::string> candidates;
    if (!options_.exe.empty() && (is_exe || !want.empty())) candidates.push_back(options_.exe);
    // With a sysroot the core comes from another machine: this machine's files at the same
    // paths are not taken (gdb's `set sysroot` does the same).
    if (!path.empty()) candidates.push_back(options_.sysroot + path);
    if (!want.empty()) {
      std::string hexid;
      for (unsigned char c : want) hexid += fmt::format("{:02x}", c);
      for (const std::string& dir : debug_dirs_) {
        candidates.push_back(
            fmt::format("{}/.build-id/{}/{}", dir, hexid.substr(0, 2), hexid.substr(2)));
      }
    }
    for (const std::string& candidate : candidates) {
      int fd = open(candidate.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
      bool ok = elf != nullptr && elf_kind(elf) == ELF_K_ELF;
      if (ok && !want.empty()) {
        const void* have = nullptr;
        ssize_t have_len = dwelf_elf_gnu_build_id(elf, &have);
        ok = have_len == static_cast<ssize_t>(want.size()) &&
             std::memcmp(have, want.data(), want.size()) == 0;
      }
      if (ok) {
        found = candidate;
        if (elfp != nullptr) {
          *elfp = elf;
        } else {
          elf_end(elf);
        }
        return fd;
      }
      if (elf != nullptr) elf_end(elf);
      close(fd);
    }
    return -1;
  }

  pid_t next_thread(void** thread_arg) {
    auto next = reinterpret_cast<uintptr_t>(*thread_arg);  // index + 1 of the next thread
    while (next < core_.threads.size() && core_.threads[next].regs.empty()) ++next;
    if (next >= core_.threads.size()) return 0;
    *thread_arg = reinterpret_cast<void*>(next + 1);
    return static_cast<pid_t>(core_.threads[next].lwp);
  }

  bool set_initial_registers(Dwfl_Thread* thread, void* thread_arg) {
    const CoreThread& t = core_.threads[reinterpret_cast<uintptr_t>(thread_arg) - 1];
    const kernel::ThreadRegsLayout& l = *core_.regs_layout;
    std::vector<Dwarf_Word> dwarf(l.dwarf_count);
    for (uint32_t i = 0; i < l.dwarf_count; ++i) dwarf[i] = t.regs[l.dwarf_to_reg[i]];
    if (!dwfl_thread_state_registers(thread, 0, l.dwarf_count, dwarf.data())) return false;
    dwfl_thread_state_register_pc(thread, t.regs[l.pc]);
    return true;
  }

  bool memory_read(Dwarf_Addr address, Dwarf_Word* result) {
    uint64_t word = 0;
    if (!core_.read(address, &word, sizeof word)) return false;
    *result = word;
    return true;
  }

 private:
  // --- Modules and threads -----------------------------------------------------------------------

  void open_dwfl() {
    // Debug directories: --debug-dir (or /usr/lib/debug), each also under the sysroot.
    std::vector<std::string> dirs =
        split_dirs(options_.debug_dir.empty() ? std::string_view("/usr/lib/debug")
                                              : std::string_view(options_.debug_dir));
    for (const std::string& dir : dirs) {
      if (!options_.sysroot.empty()) debug_dirs_.push_back(options_.sysroot + dir);
      debug_dirs_.push_back(dir);
    }
    // "-": no CRC check of .gnu_debuglink files (the build-id is checked); "" and ".debug": next
    // to the object, as libdw's default.
    debuginfo_path_ = "-:.debug";
    for (const std::string& dir : debug_dirs_) debuginfo_path_ += ":" + dir;
    debuginfo_path_ptr_ = debuginfo_path_.data();
    callbacks_.find_elf = [](Dwfl_Module* mod, void**, const char* modname, Dwarf_Addr,
                             char** file_name, Elf** elfp) {
      return tl_reader != nullptr ? tl_reader->find_elf(mod, modname, file_name, elfp) : -1;
    };
    callbacks_.find_debuginfo = dwfl_standard_find_debuginfo;
    callbacks_.section_address = dwfl_offline_section_address;
    callbacks_.debuginfo_path = &debuginfo_path_ptr_;

    elf_version(EV_CURRENT);
    elf_ = elf_memory(const_cast<char*>(in_.bytes.data()), in_.bytes.size());
    dwfl_ = dwfl_begin(&callbacks_);
    if (elf_ == nullptr || dwfl_ == nullptr) {
      out_.warn(in_.name, fmt::format("libdwfl cannot read the core ({}): threads are listed "
                                      "without stacks",
                                      elf_ == nullptr ? elf_errmsg(-1) : dwfl_errmsg(-1)));
      return;
    }
    dwfl_report_begin(dwfl_);
    if (!report_modules_from_nt_file()) {
      // No NT_FILE note (kernels before 3.7, other writers): libdwfl finds the modules from the
      // dynamic linker's list and by scanning every segment.
      const char* exe = options_.exe.empty() ? nullptr : options_.exe.c_str();
      if (dwfl_core_file_report(dwfl_, elf_, exe) < 0) {
        out_.warn(in_.name, fmt::format("no modules found in the core ({}): frames show no "
                                        "functions",
                                        dwfl_errmsg(-1)));
      }
      refuse_jvm_without_file_notes();
    }
    dwfl_report_end(dwfl_, nullptr, nullptr);
  }

  // A JVM's threads are HotSpot's to tell (parsers/jvm_core.h), and without the file notes the
  // core does not say which JDK it ran on: say what to run rather than give the native view.
  void refuse_jvm_without_file_notes() {
    std::string libjvm;
    dwfl_getmodules(
        dwfl_,
        [](Dwfl_Module*, void**, const char* name, Dwarf_Addr, void* arg) -> int {
          if (name == nullptr || !std::string_view(name).ends_with("libjvm.so")) return DWARF_CB_OK;
          *static_cast<std::string*>(arg) = name;
          return DWARF_CB_ABORT;
        },
        &libjvm, 0);
    if (libjvm.empty()) return;
    throw Error(
        fmt::format("{}: a JVM core (it loads {}) without the file notes that name its JDK: "
                    "its Java threads can only be read by the Serviceability Agent of the "
                    "JDK it ran on: run 'jhsdb jstack --locks --exe JAVA --core {}' with "
                    "that JDK, then dlanalyze its output",
                    in_.name, libjvm, in_.name));
  }

  // The ELF files the core maps, from its NT_FILE note: each file mapped from offset 0 whose
  // first bytes in memory (or on disk) are an ELF header, at the address it was loaded at, with
  // the build-id the core's memory records. Unlike dwfl_core_file_report this reads no other
  // segment (which would fault in every page of a 1,000-thread core's stacks).
  bool report_modules_from_nt_file() {
    struct FileRange {
      std::string_view path;
      uint64_t start = UINT64_MAX, end = 0, base = 0;
      bool has_header = false;
    };
    std::vector<FileRange> files;
    std::unordered_map<std::string_view, size_t> index;
    for (const CoreMapping& m : core_.mappings) {
      auto [it, fresh] = index.try_emplace(m.path, files.size());
      if (fresh) files.push_back({m.path});
      FileRange& f = files[it->second];
      f.start = std::min(f.start, m.start);
      f.end = std::max(f.end, m.end);
      if (m.file_offset == 0 && !f.has_header) {
        f.has_header = true;
        f.base = m.start;
      }
    }
    size_t reported = 0;
    for (const FileRange& f : files) {
      if (!f.has_header) continue;
      std::string path(f.path);
      if (path.ends_with(" (deleted)")) path.resize(path.size() - 10);
      std::optional<std::string> id = core_.build_id_at(f.base);  // nullopt: not an ELF image
      bool in_memory = core_.read_u32(f.base).has_value();
      if (in_memory && !id) continue;  // a mapped data file (locale-archive, …)
      std::string found;
      int fd = open_matching(path, id.value_or(""), core_.is_executable(f.path), found, nullptr);
      if (!in_memory && fd < 0) continue;  // neither in the core nor on disk: nothing to show
      std::string name(std::string_view(path).substr(path.rfind('/') + 1));
      Dwfl_Module* mod = nullptr;
      if (fd >= 0) {
        mod = dwfl_report_elf(dwfl_, name.c_str(), found.c_str(), fd, f.base, false);
        if (mod == nullptr) close(fd);
      }
      if (mod == nullptr) {
        mod = dwfl_report_module(dwfl_, path.c_str(), f.start, f.end);
        if (mod != nullptr && id && !id->empty()) {
          dwfl_module_report_build_id(mod, reinterpret_cast<const unsigned char*>(id->data()),
                                      id->size(), 0);
        }
      }
      if (mod != nullptr) ++reported;
    }
    return reported > 0;
  }

  void unwind() {
    stacks_.resize(core_.threads.size());
    for (size_t i = 0; i < core_.threads.size(); ++i) {
      stacks_[i].core_index = i;
      const CoreThread& t = core_.threads[i];
      if (!t.regs.empty()) stacks_[i].pcs.push_back({t.regs[core_.regs_layout->pc], true});
    }
    if (dwfl_ == nullptr || core_.regs_layout == nullptr) return;
    static const Dwfl_Thread_Callbacks kThreadCallbacks = {
        [](Dwfl*, void* arg, void** thread_arg) {
          return static_cast<CoreReader*>(arg)->next_thread(thread_arg);
        },
        nullptr,
        [](Dwfl*, Dwarf_Addr address, Dwarf_Word* result, void* arg) {
          return static_cast<CoreReader*>(arg)->memory_read(address, result);
        },
        [](Dwfl_Thread* thread, void* thread_arg) {
          return tl_reader->set_initial_registers(thread, thread_arg);
        },
        nullptr,
        nullptr,
    };
    pid_t pid = static_cast<pid_t>(core_.pid.value_or(core_.threads.front().lwp));
    if (!dwfl_attach_state(dwfl_, elf_, pid, &kThreadCallbacks, this)) {
      out_.warn(in_.name, fmt::format("cannot unwind {} threads ({}): only the innermost frame "
                                      "of each is shown",
                                      kernel::to_string(*core_.arch), dwfl_errmsg(-1)));
      return;
    }
    dwfl_getthreads(
        dwfl_,
        [](Dwfl_Thread* thread, void* arg) -> int {
          auto* self = static_cast<CoreReader*>(arg);
          pid_t tid = dwfl_thread_tid(thread);
          ThreadStack* stack = self->stack_of(tid);
          if (stack == nullptr) return DWARF_CB_OK;
          // Frame 0 from the registers stays when the unwinder cannot even start.
          std::vector<std::pair<uint64_t, bool>> from_registers;
          from_registers.swap(stack->pcs);
          int rc = dwfl_thread_getframes(
              thread,
              [](Dwfl_Frame* frame, void* frame_arg) -> int {
                auto* st = static_cast<ThreadStack*>(frame_arg);
                Dwarf_Addr pc = 0;
                bool activation = false;
                if (!dwfl_frame_pc(frame, &pc, &activation)) return DWARF_CB_ABORT;
                st->pcs.push_back({pc, activation});
                return st->pcs.size() >= kMaxFrames ? DWARF_CB_ABORT : DWARF_CB_OK;
              },
              stack);
          if (rc != 0 && stack->pcs.size() <= 1) stack->unwind_error = dwfl_errmsg(-1);
          if (stack->pcs.empty()) stack->pcs.swap(from_registers);
          return DWARF_CB_OK;
        },
        this);
  }

  ThreadStack* stack_of(pid_t tid) {
    if (stack_by_lwp_.empty()) {
      for (ThreadStack& st : stacks_) stack_by_lwp_.emplace(core_.threads[st.core_index].lwp, &st);
    }
    auto it = stack_by_lwp_.find(tid);
    return it == stack_by_lwp_.end() ? nullptr : it->second;
  }

  // --- Symbols -----------------------------------------------------------------------------------

  StrId module_name(Dwfl_Module* mod, uint64_t address) {
    auto it = module_names_.find(mod);
    if (it != module_names_.end()) return it->second;
    const char* mainfile = nullptr;
    const char* name =
        dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, &mainfile, nullptr);
    std::string_view recorded = core_.mapping_path(address);
    std::string_view text = !recorded.empty()     ? recorded
                            : mainfile != nullptr ? std::string_view(mainfile)
                            : name != nullptr     ? std::string_view(name)
                                                  : std::string_view();
    StrId id = out_.intern(text);
    module_names_.emplace(mod, id);
    return id;
  }

  // The frames at `lookup` (the pc, or a return address minus one): the function there and the
  // functions inlined into it, innermost first, with file and line.
  const std::vector<SymbolizedFrame>& symbolize(uint64_t lookup) {
    auto [it, fresh] = symbol_cache_.try_emplace(lookup);
    if (!fresh) return it->second;
    std::vector<SymbolizedFrame>& frames = it->second;
    Dwfl_Module* mod = dwfl_ != nullptr ? dwfl_addrmodule(dwfl_, lookup) : nullptr;
    if (mod == nullptr) {
      frames.push_back({out_.intern("??"), kNoString, out_.intern(core_.mapping_path(lookup)), 0});
      return frames;
    }
    StrId module = module_name(mod, lookup);
    // The line of the pc itself.
    StrId file = kNoString;
    int line = 0;
    if (Dwfl_Line* l = dwfl_module_getsrc(mod, lookup)) {
      if (const char* f = dwfl_lineinfo(l, nullptr, &line, nullptr, nullptr, nullptr)) {
        file = out_.intern(f);
      }
    }
    Dwarf_Addr bias = 0;
    if (Dwarf_Die* cu = dwfl_module_addrdie(mod, lookup, &bias)) {
      // File names as the compiler recorded them, as gdb prints them: relative to an absolute
      // compilation directory when under it ("mutex_cycle2.c"; glibc records "./nptl/…" itself).
      Dwarf_Attribute attr;
      std::string_view comp_dir;
      if (const char* dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr))) comp_dir = dir;
      auto file_id = [&](const char* path) {
        std::string_view p(path);
        if (comp_dir.starts_with('/') && p.size() > comp_dir.size() + 1 &&
            p.starts_with(comp_dir) && p[comp_dir.size()] == '/') {
          p.remove_prefix(comp_dir.size() + 1);
        }
        return out_.intern(p);
      };
      if (file != kNoString) file = file_id(std::string(out_.snapshot().str(file)).c_str());
      // The innermost scope at the pc, then its enclosing scopes in the concrete tree: each
      // inlined subroutine up to the function it was inlined into (dwarf_getscopes alone would
      // continue with the inlined function's abstract definition).
      Dwarf_Die* at_pc = nullptr;
      Dwarf_Die* scopes = nullptr;
      int n = 0;
      if (dwarf_getscopes(cu, lookup - bias, &at_pc) > 0)
        n = dwarf_getscopes_die(&at_pc[0], &scopes);
      std::free(at_pc);
      Dwarf_Files* files = nullptr;
      size_t nfiles = 0;
      bool cplusplus = is_cplusplus(cu);
      for (int i = 0; i < n; ++i) {
        int tag = dwarf_tag(&scopes[i]);
        if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine &&
            tag != DW_TAG_entry_point) {
          continue;
        }
        frames.push_back({out_.intern(die_function(&scopes[i], cplusplus)), file, module, line});
        if (tag != DW_TAG_inlined_subroutine) break;
        // The caller's position is the call site of this inlined instance.
        Dwarf_Word call_file = 0, call_line = 0;
        file = kNoString;
        line = 0;
        if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &call_line) == 0) {
          line = static_cast<int>(call_line);
        }
        if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &call_file) == 0 &&
            (files != nullptr || dwarf_getsrcfiles(cu, &files, &nfiles) == 0) &&
            call_file < nfiles) {
          if (const char* f = dwarf_filesrc(files, call_file, nullptr, nullptr)) file = file_id(f);
        }
      }
      std::free(scopes);
    }
    if (frames.empty()) {
      GElf_Off offset = 0;
      GElf_Sym sym;
      const char* name =
          dwfl_module_addrinfo(mod, lookup, &offset, &sym, nullptr, nullptr, nullptr);
      frames.push_back({out_.intern(name != nullptr ? display_name(name) : std::string("??")), file,
                        module, line});
    }
    return frames;
  }

  // The data symbol an address falls in ("m_alpha", "table+16"), or empty.
  std::string data_symbol(uint64_t address) {
    if (dwfl_ == nullptr) return {};
    Dwfl_Module* mod = dwfl_addrmodule(dwfl_, address);
    if (mod == nullptr) return {};
    GElf_Off offset = 0;
    GElf_Sym sym;
    const char* name = dwfl_module_addrinfo(mod, address, &offset, &sym, nullptr, nullptr, nullptr);
    if (name == nullptr || GELF_ST_TYPE(sym.st_info) != STT_OBJECT || offset >= sym.st_size) {
      return {};
    }
    std::string out = display_name(name);
    if (offset != 0) out += fmt::format("+{}", offset);
    return out;
  }

  // --- glibc -------------------------------------------------------------------------------------

  // The C library's release, from its version banner ("GNU C Library (Debian GLIBC 2.36-9+deb12u14)
  // stable release version 2.36.") or, for glibc < 2.34, its file name (libc-2.17.so).
  void find_glibc() {
    if (!core_.arch) return;
    std::optional<glibc::GlibcVersion> version;
    std::string banner;
    for (const CoreMapping& m : core_.mappings) {
      std::string_view base = m.path.substr(m.path.rfind('/') + 1);
      if (!glibc::is_libc_file(base)) continue;
      int major = 0, minor = 0;
      if (std::sscanf(std::string(base).c_str(), "libc-%d.%d", &major, &minor) == 2) {
        version = glibc::GlibcVersion{major, minor};
      }
      if (dwfl_ == nullptr) break;
      Dwfl_Module* mod = dwfl_addrmodule(dwfl_, m.start);
      Dwarf_Addr bias = 0;
      Elf* elf = mod != nullptr ? dwfl_module_getelf(mod, &bias) : nullptr;
      if (elf == nullptr) break;
      size_t shstrndx = 0;
      elf_getshdrstrndx(elf, &shstrndx);
      for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr shdr;
        if (gelf_getshdr(scn, &shdr) == nullptr) continue;
        const char* section = elf_strptr(elf, shstrndx, shdr.sh_name);
        if (section == nullptr || std::strcmp(section, ".rodata") != 0) continue;
        Elf_Data* data = elf_getdata(scn, nullptr);
        if (data == nullptr || data->d_buf == nullptr) break;
        std::string_view rodata(static_cast<const char*>(data->d_buf), data->d_size);
        constexpr std::string_view kBanner = "GNU C Library (";
        size_t at = rodata.find(kBanner);
        if (at == std::string_view::npos) break;
        std::string_view line = rodata.substr(at, 200);
        line = line.substr(0, line.find_first_of(std::string_view("\n\0", 2)));
        constexpr std::string_view kRelease = "release version ";
        if (size_t rv = line.find(kRelease); rv != std::string_view::npos) {
          if (std::sscanf(std::string(line.substr(rv + kRelease.size())).c_str(), "%d.%d", &major,
                          &minor) == 2) {
            version = glibc::GlibcVersion{major, minor};
          }
        }
        size_t close = line.find(')');
        banner = std::string(line.substr(kBanner.size(), close - kBanner.size()));
        break;
      }
      break;
    }
    Snapshot& s = out_.snapshot();
    if (version) {
      s.runtime = fmt::format("glibc {}.{}", version->major, version->minor);
      if (!banner.empty()) s.runtime += fmt::format(" ({})", banner);
      s.runtime += fmt::format(", {}", kernel::to_string(*core_.arch));
    } else {
      s.runtime = std::string(kernel::to_string(*core_.arch));
    }
    layout_ = glibc::find_lock_layout(*core_.arch, version);
    if (layout_ == nullptr) layout_ = glibc::find_lock_layout(*core_.arch, std::nullopt);
    layout_version_known_ = version.has_value();
  }

  // --- Tasks -------------------------------------------------------------------------------------

  // Threads in the order gdb numbers them: the main thread (LWP = pid) first, then by LWP.
  void build_tasks() {
    std::vector<size_t> order(stacks_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    int64_t pid = core_.pid.value_or(-1);
    auto key = [&](size_t i) {
      int64_t lwp = core_.threads[i].lwp;
      return std::pair<bool, int64_t>(lwp != pid, lwp);
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return key(a) < key(b); });
    task_of_thread_.assign(stacks_.size(), kNone);
    const kernel::ThreadRegsLayout* l = core_.regs_layout;
    for (size_t i : order) {
      const CoreThread& ct = core_.threads[i];
      const ThreadStack& st = stacks_[i];
      TaskIndex t = out_.begin_task(std::to_string(ct.lwp), 0);
      task_of_thread_[i] = t;
      Task& task = out_.task(t);
      task.lwp = ct.lwp;
      if (ct.lwp == pid && !core_.command.empty()) task.name = out_.intern(core_.command);
      if (l != nullptr && !ct.regs.empty()) {
        uint64_t nr = ct.regs[l->syscall_nr];
        // Where the registers say when a thread is outside any syscall, an unknown number is
        // still a syscall; elsewhere it says nothing.
        std::string_view state = kernel::syscall_name(*core_.arch, nr);
        if (state.empty() && l->not_in_syscall) {
          state = nr == *l->not_in_syscall ? "running" : "syscall";
        }
        task.state = out_.intern(state);
      }
      for (auto [pc, exact] : st.pcs) {
        uint64_t lookup = exact || pc == 0 ? pc : pc - 1;
        for (const SymbolizedFrame& sf : symbolize(lookup)) {
          Frame f;
          f.function = sf.function;
          f.file = sf.file;
          f.line = sf.line;
          f.module = sf.module;
          f.pc = pc;
          out_.add_frame(f);
          if (sf.function == unknown_function_) ++unnamed_[sf.module];
        }
      }
      Task& done = out_.task(t);
      done.app_frame = first_app_frame(out_.snapshot(), done, 0);
      if (!st.unwind_error.empty() && ct.regs.size() > 0) {
        unwind_failures_.push_back(fmt::format("{} ({})", ct.lwp, st.unwind_error));
      }
    }
  }

  const Input& in_;
  SnapshotBuilder& out_;
  CoreOptions options_;
  CoreFile core_;
  Elf* elf_ = nullptr;
  Dwfl* dwfl_ = nullptr;
  Dwfl_Callbacks callbacks_{};
  std::string debuginfo_path_;
  char* debuginfo_path_ptr_ = nullptr;
  std::vector<std::string> debug_dirs_;
  std::vector<ThreadStack> stacks_;
  std::unordered_map<int64_t, ThreadStack*> stack_by_lwp_;
  std::unordered_map<uint64_t, std::vector<SymbolizedFrame>> symbol_cache_;
  std::unordered_map<Dwfl_Module*, StrId> module_names_;
  std::vector<TaskIndex> task_of_thread_;
  StrId unknown_function_ = kNoString;
  const glibc::LockLayout* layout_ = nullptr;
  bool layout_version_known_ = false;
  std::unordered_map<StrId, size_t> unnamed_;  // frames without a function, by module
  std::vector<std::string> unwind_failures_;
};

class ElfCoreParser : public Parser {
 public:
  std::string_view name() const override { return "core"; }
  std::string_view description() const override {
    return "ELF core file (kernel core dump, gdb gcore): threads, stacks and lock owners from "
           "memory";
  }

  int probe(std::string_view prefix) const override { return is_elf_core(prefix) ? 100 : 0; }

  void parse(const Input& input, const ParseOptions& options, SnapshotBuilder& out) const override {
    // A JVM's threads are HotSpot's to tell: the native view of its core would be no answer.
    CoreFile core = read_core_file(input.name, input.bytes);
    if (std::optional<JvmInCore> jvm = find_jvm_in_core(core)) {
      read_jvm_core(input, core, *jvm, options.core, out);
      return;
    }
    CoreReader(input, options.core, out).run();
  }
};

}  // namespace

std::unique_ptr<Parser> make_elf_core_parser() {
  return std::make_unique<ElfCoreParser>();
}

}  // namespace dla
