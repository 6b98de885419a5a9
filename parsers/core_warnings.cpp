// The warnings of a native core about what it lacks (see core_warnings.h).
#include "parsers/core_warnings.h"

#include <fmt/format.h>

#include "graph/resolve_glibc.h"

namespace dla {

namespace {

std::string build_id_of(Dwfl_Module* mod) {
  const unsigned char* bits = nullptr;
  GElf_Addr vaddr = 0;
  int len = dwfl_module_build_id(mod, &bits, &vaddr);
  std::string out;
  for (int i = 0; i < len; ++i) out += fmt::format("{:02x}", bits[i]);
  return out;
}

class CoreWarnings {
 public:
  CoreWarnings(const CoreReport& in, SnapshotBuilder& out) : in_(in), core_(in.core), out_(out) {}

  void report_missing_files() {
    if (in_.dwfl == nullptr) return;
    dwfl_getmodules(
        in_.dwfl,
        [](Dwfl_Module* mod, void**, const char* name, Dwarf_Addr start, void* arg) -> int {
          std::string_view module(name != nullptr ? name : "");
          if (!module.starts_with("linux-vdso") && !module.starts_with("[vdso")) {
            static_cast<CoreWarnings*>(arg)->check_module(mod, start);
          }
          return DWARF_CB_OK;
        },
        this, 0);
    if (wrong_exe_) {
      out_.warn(std::string(in_.input_name),
                fmt::format("{} (given with -e/--exe) is not the executable of this "
                            "core (build-id {}): not used",
                            in_.options.exe, exe_build_id_.empty() ? "unknown" : exe_build_id_));
    }
    for (const auto& m : missing_) {
      if (m.exe) {
        out_.warn(std::string(in_.input_name),
                  fmt::format("the executable {} (build-id {}) is not found: its frames "
                              "show no functions; give it with -e/--exe",
                              m.path, m.build_id.empty() ? "unknown" : m.build_id));
      }
    }
    std::string libs;
    size_t nlibs = 0;
    for (const auto& m : missing_) {
      if (m.exe) continue;
      if (nlibs++ < 4) libs += (libs.empty() ? "" : ", ") + m.path;
    }
    if (nlibs > 4) libs += fmt::format(" and {} more", nlibs - 4);
    if (nlibs > 0) {
      out_.warn(std::string(in_.input_name),
                fmt::format("{} shared librar{} of the core not found ({}): {} frames "
                            "show no functions; give a copy of the crashed machine's "
                            "files with --sysroot",
                            nlibs, nlibs == 1 ? "y" : "ies", libs, nlibs == 1 ? "its" : "their"));
    }
    if (!exe_path_.empty() && in_.unnamed.count(out_.intern(exe_path_))) {
      out_.warn(std::string(in_.input_name),
                fmt::format("the executable {} has no symbols (stripped): {} of its "
                            "frames show no function and its locks no names; give an "
                            "unstripped copy with -e/--exe or its debug file with "
                            "--debug-dir",
                            exe_path_, in_.unnamed.at(out_.intern(exe_path_))));
    }
    if (!libc_without_debug_.empty()) {
      out_.warn(std::string(in_.input_name),
                fmt::format("no debug info for the C library {}: frames inside glibc "
                            "show exported names only and some lock waits may not be "
                            "recognised; install its debug symbols (libc6-dbg, "
                            "glibc-debuginfo) or point --debug-dir at them",
                            libc_without_debug_));
    }
    if (!in_.unwind_failures.empty() && in_.unwind_failures.size() == core_.threads.size()) {
      out_.warn(std::string(in_.input_name),
                fmt::format("no thread could be unwound past its first frame (e.g. LWP "
                            "{})",
                            in_.unwind_failures.front()));
    }
  }

  void check_module(Dwfl_Module* mod, Dwarf_Addr start) {
    std::string path(core_.mapping_path(start));
    const char* name =
        dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    if (path.empty() && name != nullptr) path = name;
    bool exe = core_.is_executable(path);
    Dwarf_Addr bias = 0;
    if (dwfl_module_getelf(mod, &bias) == nullptr) {
      missing_.push_back({path, build_id_of(mod), exe});
      if (exe) {
        wrong_exe_ = !in_.options.exe.empty();
        exe_build_id_ = build_id_of(mod);
      }
      return;
    }
    std::string_view base = std::string_view(path).substr(path.rfind('/') + 1);
    if (exe) {
      exe_path_ = path;
      const char* file = nullptr;
      dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, &file, nullptr);
      wrong_exe_ = !in_.options.exe.empty() && (file == nullptr || in_.options.exe != file);
      exe_build_id_ = build_id_of(mod);
    }
    if (glibc::is_libc_file(base) && dwfl_module_getdwarf(mod, &bias) == nullptr) {
      libc_without_debug_ = path;
    }
  }

  void report_truncation() {
    if (core_.file_size >= core_.expected_size && !core_.notes_truncated) return;
    out_.set_damaged();
    std::vector<std::string> missing;
    if (core_.notes_truncated) {
      missing.push_back(
          fmt::format("the thread notes after the {} read (other threads are not "
                      "listed)",
                      core_.threads.size()));
    }
    size_t cut = 0;
    uint64_t cut_bytes = 0;
    for (const CoreSegment& seg : core_.segments) {
      if (seg.available < seg.filesz) {
        ++cut;
        cut_bytes += seg.filesz - seg.available;
      }
    }
    if (cut > 0) {
      missing.push_back(fmt::format("the memory of {} mapping{} ({} bytes)", cut,
                                    cut == 1 ? "" : "s", cut_bytes));
    }
    const kernel::ThreadRegsLayout* l = core_.regs_layout;
    std::vector<int64_t> no_stack;
    for (const CoreThread& t : core_.threads) {
      uint64_t word = 0;
      if (l != nullptr && !t.regs.empty() && !core_.read(t.regs[l->sp], &word, sizeof word)) {
        no_stack.push_back(t.lwp);
      }
    }
    if (!no_stack.empty()) {
      std::string lwps;
      for (size_t i = 0; i < no_stack.size() && i < 8; ++i) {
        lwps += (i ? ", " : "") + std::to_string(no_stack[i]);
      }
      if (no_stack.size() > 8) lwps += fmt::format(" and {} more", no_stack.size() - 8);
      missing.push_back(
          fmt::format("the stacks of thread{} {} (shown with their innermost frame "
                      "only)",
                      no_stack.size() == 1 ? "" : "s", lwps));
    }
    std::string what;
    for (size_t i = 0; i < missing.size(); ++i) {
      what += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
    }
    out_.warn(std::string(in_.input_name),
              fmt::format("truncated core: {} of {} bytes (cut by a core size limit?); "
                          "missing: {}; results are partial",
                          core_.file_size, core_.expected_size,
                          what.empty() ? "nothing the analysis reads" : what));
  }

 private:
  const CoreReport& in_;
  const CoreFile& core_;
  SnapshotBuilder& out_;
  struct MissingFile {
    std::string path, build_id;
    bool exe;
  };
  std::vector<MissingFile> missing_;
  std::string exe_path_, libc_without_debug_;
  bool wrong_exe_ = false;  // the file given with --exe is not the core's executable
  std::string exe_build_id_;
};

}  // namespace

void report_missing_files(const CoreReport& in, SnapshotBuilder& out) {
  CoreWarnings(in, out).report_missing_files();
}

void report_truncation(const CoreReport& in, SnapshotBuilder& out) {
  CoreWarnings(in, out).report_truncation();
}

}  // namespace dla
