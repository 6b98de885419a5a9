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
#include <unordered_set>

#include <fmt/format.h>

#include "graph/resolve_glibc.h"
#include "graph/text_numbers.h"
#include "parsers/go_core.h"
#include "parsers/jvm_core.h"

namespace dla {

// --- The bytes of a core -------------------------------------------------------------------------

namespace {

constexpr size_t kEhdrSize = 64;  // Elf64_Ehdr
constexpr size_t kPhdrSize = 56;  // Elf64_Phdr
constexpr size_t kShdrSize = 64;  // Elf64_Shdr
constexpr uint32_t kPnXnum = 0xffff;

// Integers of the file's byte order, bounds-checked by the callers.
struct Reader {
  std::string_view bytes;
  bool big_endian = false;

  bool has(uint64_t offset, uint64_t size) const {
    return offset <= bytes.size() && size <= bytes.size() - offset;
  }
  uint64_t get(uint64_t offset, int size) const {
    uint64_t value = 0;
    for (int i = 0; i < size; ++i) {
      uint64_t byte = static_cast<uint8_t>(bytes[offset + i]);
      value = big_endian ? (value << 8) | byte : value | (byte << (8 * i));
    }
    return value;
  }
  uint16_t u16(uint64_t offset) const { return static_cast<uint16_t>(get(offset, 2)); }
  uint32_t u32(uint64_t offset) const { return static_cast<uint32_t>(get(offset, 4)); }
  uint64_t u64(uint64_t offset) const { return get(offset, 8); }
  // A NUL-terminated string inside [offset, offset+max).
  std::string_view cstr(uint64_t offset, uint64_t max) const {
    std::string_view s = bytes.substr(offset, max);
    return s.substr(0, s.find('\0'));
  }
};

bool is_elf(std::string_view bytes) {
  return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("\177ELF", 4);
}

Reader reader_for(std::string_view bytes) {
  return {bytes, bytes.size() > 5 && bytes[5] == 2};
}

void read_prstatus(const Reader& r, uint64_t desc, uint64_t size, CoreFile& core) {
  CoreThread t;
  uint32_t pid_offset = core.regs_layout ? core.regs_layout->pid_offset : 32;
  if (size < pid_offset + 4) return;
  t.lwp = static_cast<int32_t>(r.u32(desc + pid_offset));
  if (const kernel::ThreadRegsLayout* l = core.regs_layout;
      l && size >= l->regs_offset + uint64_t{l->reg_count} * 8) {
    t.regs.resize(l->reg_count);
    for (uint32_t i = 0; i < l->reg_count; ++i) t.regs[i] = r.u64(desc + l->regs_offset + 8 * i);
  }
  core.threads.push_back(std::move(t));
}

// NT_FILE: count, page size, count × {start, end, page offset}, then count file names.
void read_nt_file(const Reader& r, uint64_t desc, uint64_t size, CoreFile& core) {
  if (size < 16) return;
  uint64_t count = r.u64(desc), page = r.u64(desc + 8);
  if (count > (size - 16) / 24) return;
  uint64_t names = desc + 16 + count * 24, end = desc + size;
  for (uint64_t i = 0; i < count && names < end; ++i) {
    uint64_t entry = desc + 16 + i * 24;
    std::string_view name = r.cstr(names, end - names);
    names += name.size() + 1;
    core.mappings.push_back({r.u64(entry), r.u64(entry + 8), r.u64(entry + 16) * page, name});
  }
}

// Notes in [offset, offset + size), which the caller has checked lie inside the file.
void read_notes(const Reader& r, uint64_t offset, uint64_t size, uint64_t align, CoreFile& core) {
  if (!r.has(offset, size)) return;
  uint64_t pad = align == 8 ? 8 : 4;
  auto up = [pad](uint64_t n) { return (n + pad - 1) / pad * pad; };
  uint64_t at = 0;  // within the note segment
  while (size - at >= 12) {
    uint64_t pos = offset + at;
    uint64_t namesz = r.u32(pos), descsz = r.u32(pos + 4), type = r.u32(pos + 8);
    uint64_t left = size - at - 12;
    if (up(namesz) > left || descsz > left - up(namesz)) break;
    uint64_t name = pos + 12;
    uint64_t desc = name + up(namesz);
    std::string_view owner = r.cstr(name, namesz);
    if (owner == "CORE") {
      switch (type) {
        case NT_PRSTATUS:
          read_prstatus(r, desc, descsz, core);
          break;
        case NT_PRPSINFO:
          // struct elf_prpsinfo (LP64): pr_pid 24, pr_fname[16] 40, pr_psargs[80] 56.
          if (descsz >= 136) {
            core.pid = static_cast<int32_t>(r.u32(desc + 24));
            core.command = r.cstr(desc + 40, 16);
            core.arguments = r.cstr(desc + 56, 80);
          }
          break;
        case NT_AUXV:
          for (uint64_t a = desc; a + 16 <= desc + descsz; a += 16) {
            uint64_t key = r.u64(a);
            if (key == AT_NULL) break;
            if (key == AT_ENTRY) core.entry = r.u64(a + 8);
          }
          break;
        case NT_FILE:
          read_nt_file(r, desc, descsz, core);
          break;
        default:
          break;
      }
    }
    at += 12 + up(namesz) + std::min(up(descsz), left - up(namesz));
  }
}

}  // namespace

bool CoreFile::read(uint64_t address, void* out, size_t size) const {
  auto* dest = static_cast<char*>(out);
  while (size > 0) {
    auto it = std::upper_bound(segments.begin(), segments.end(), address,
                               [](uint64_t a, const CoreSegment& s) { return a < s.vaddr; });
    if (it == segments.begin()) return false;
    const CoreSegment& s = *--it;
    uint64_t within = address - s.vaddr;
    if (within >= s.available) return false;
    uint64_t n = std::min<uint64_t>(size, s.available - within);
    std::memcpy(dest, bytes.data() + s.offset + within, n);
    dest += n;
    address += n;
    size -= n;
  }
  return true;
}

std::optional<uint32_t> CoreFile::read_u32(uint64_t address) const {
  char raw[4];
  if (!read(address, raw, sizeof raw)) return std::nullopt;
  return Reader{{raw, sizeof raw}, bytes.size() > 5 && bytes[5] == 2}.u32(0);
}

std::string_view CoreFile::mapping_path(uint64_t address) const {
  for (const CoreMapping& m : mappings) {
    if (address >= m.start && address < m.end) return m.path;
  }
  return {};
}

std::optional<std::string> CoreFile::build_id_at(uint64_t base) const {
  char ehdr[kEhdrSize];
  if (!read(base, ehdr, sizeof ehdr) || !is_elf({ehdr, sizeof ehdr})) return std::nullopt;
  Reader e = reader_for({ehdr, sizeof ehdr});
  if (ehdr[4] != ELFCLASS64) return std::string();
  uint64_t phoff = e.u64(32);
  uint16_t phnum = e.u16(56);
  std::string phdrs(size_t{phnum} * kPhdrSize, '\0');
  if (phnum == 0 || phnum > 256 || !read(base + phoff, phdrs.data(), phdrs.size())) {
    return std::string();
  }
  Reader p{phdrs, e.big_endian};
  uint64_t first_load = UINT64_MAX;
  for (uint16_t i = 0; i < phnum; ++i) {
    if (p.u32(i * kPhdrSize) == PT_LOAD) {
      uint64_t align = std::max<uint64_t>(p.u64(i * kPhdrSize + 48), 1);
      first_load = p.u64(i * kPhdrSize + 16) / align * align;
      break;
    }
  }
  if (first_load == UINT64_MAX) return std::string();
  for (uint16_t i = 0; i < phnum; ++i) {
    if (p.u32(i * kPhdrSize) != PT_NOTE) continue;
    uint64_t size = std::min<uint64_t>(p.u64(i * kPhdrSize + 32), 4096);
    std::string notes(size, '\0');
    if (!read(base + p.u64(i * kPhdrSize + 16) - first_load, notes.data(), size)) continue;
    Reader n{notes, e.big_endian};
    for (uint64_t pos = 0; pos + 12 <= size;) {
      uint64_t namesz = n.u32(pos), descsz = n.u32(pos + 4), type = n.u32(pos + 8);
      uint64_t desc = pos + 12 + (namesz + 3) / 4 * 4;
      if (desc > size || descsz > size - desc) break;
      if (type == NT_GNU_BUILD_ID && namesz == 4 && notes.compare(pos + 12, 3, "GNU") == 0) {
        return notes.substr(desc, descsz);
      }
      pos = desc + (descsz + 3) / 4 * 4;
    }
  }
  return std::string();
}

std::optional<std::string> describe_non_core_elf(std::string_view prefix) {
  if (!is_elf(prefix) || prefix.size() < 18) return std::nullopt;
  Reader r = reader_for(prefix);
  switch (r.u16(16)) {
    case ET_CORE:
      return std::nullopt;
    case ET_REL:
      return "an ELF object file, not a core";
    case ET_EXEC:
      return "an ELF executable, not a core";
    case ET_DYN: {
      // A PIE executable has an interpreter; a shared library has none.
      if (prefix[4] == ELFCLASS64 && r.has(0, kEhdrSize)) {
        uint64_t phoff = r.u64(32);
        uint16_t phnum = r.u16(56);
        for (uint16_t i = 0; i < phnum && r.has(phoff + i * kPhdrSize, kPhdrSize); ++i) {
          if (r.u32(phoff + i * kPhdrSize) == PT_INTERP) return "an ELF executable, not a core";
        }
      }
      return "an ELF shared library, not a core";
    }
    default:
      return fmt::format("an ELF file of type {}, not a core", r.u16(16));
  }
}

CoreFile read_core_file(std::string_view name, std::string_view bytes) {
  if (!is_elf(bytes)) throw Error(fmt::format("{}: not an ELF file", name));
  if (auto other = describe_non_core_elf(bytes)) throw Error(fmt::format("{}: {}", name, *other));
  if (bytes.size() < kEhdrSize) {
    throw Error(
        fmt::format("{}: truncated core: {} bytes, not even the ELF header", name, bytes.size()));
  }
  if (bytes[4] != ELFCLASS64) {
    throw Error(fmt::format("{}: a 32-bit ELF core: only 64-bit cores are supported", name));
  }
  if (bytes[5] != ELFDATA2LSB && bytes[5] != ELFDATA2MSB) {
    throw Error(fmt::format("{}: ELF core with an unknown byte order ({})", name,
                            static_cast<int>(bytes[5])));
  }
  Reader r = reader_for(bytes);
  CoreFile core;
  core.bytes = bytes;
  core.file_size = bytes.size();
  core.machine = r.u16(18);
  core.arch = kernel::arch_of_machine(core.machine);
  if (core.arch && !r.big_endian) core.regs_layout = kernel::find_regs_layout(*core.arch);

  uint64_t phoff = r.u64(32), shoff = r.u64(40);
  uint64_t phentsize = r.u16(54), phnum = r.u16(56);
  core.expected_size = kEhdrSize;
  if (phnum > 0 && phentsize != kPhdrSize) {
    throw Error(fmt::format("{}: program header entries of {} bytes (expected {})", name, phentsize,
                            kPhdrSize));
  }
  bool phnum_known = true;
  if (phnum == kPnXnum) {
    // More than 65534 segments: the count is in section header 0's sh_info, which the kernel
    // writes at the very end of the core.
    core.expected_size = std::max(core.expected_size, shoff + kShdrSize);
    if (r.has(shoff, kShdrSize)) {
      phnum = r.u32(shoff + 44);
    } else {
      phnum_known = false;
      phnum = (bytes.size() - std::min<uint64_t>(phoff, bytes.size())) / kPhdrSize;
    }
  }
  core.expected_size = std::max(core.expected_size, phoff + phnum * kPhdrSize);
  uint64_t data_start = UINT64_MAX;  // without a known count: the headers end where data starts
  for (uint64_t i = 0; i < phnum; ++i) {
    uint64_t ph = phoff + i * kPhdrSize;
    if (!r.has(ph, kPhdrSize) || (!phnum_known && ph >= data_start)) break;
    uint32_t type = r.u32(ph);
    uint64_t offset = r.u64(ph + 8), vaddr = r.u64(ph + 16), filesz = r.u64(ph + 32);
    uint64_t memsz = r.u64(ph + 40), align = r.u64(ph + 48);
    if (filesz > 0) data_start = std::min(data_start, offset);
    uint64_t end = offset + filesz < offset ? UINT64_MAX : offset + filesz;
    core.expected_size = std::max(core.expected_size, end);
    uint64_t available =
        offset >= bytes.size() ? 0 : std::min<uint64_t>(filesz, bytes.size() - offset);
    if (type == PT_LOAD) {
      core.segments.push_back({vaddr, memsz, offset, filesz, available, r.u32(ph + 4)});
    } else if (type == PT_NOTE) {
      if (available < filesz) core.notes_truncated = true;
      read_notes(r, offset, available, align, core);
    }
  }
  std::stable_sort(core.segments.begin(), core.segments.end(),
                   [](const CoreSegment& a, const CoreSegment& b) { return a.vaddr < b.vaddr; });
  return core;
}

// --- The parser ----------------------------------------------------------------------------------

namespace {

using glibc::WaitOp;

std::string build_id_of(Dwfl_Module* mod) {
  const unsigned char* bits = nullptr;
  GElf_Addr vaddr = 0;
  int len = dwfl_module_build_id(mod, &bits, &vaddr);
  std::string out;
  for (int i = 0; i < len; ++i) out += fmt::format("{:02x}", bits[i]);
  return out;
}

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
      report_missing_files();
      report_truncation();
      return;
    }
    unwind();
    find_glibc();
    build_tasks();
    find_waits();
    report_missing_files();
    report_truncation();
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
    int fd = open_matching(path, want, is_executable(path), found, elfp);
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

  bool is_executable(std::string_view path) const {
    return core_.entry && !path.empty() && core_.mapping_path(*core_.entry) == path;
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
      int fd = open_matching(path, id.value_or(""), is_executable(f.path), found, nullptr);
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
      task_by_lwp_.emplace(ct.lwp, t);
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
      done.app_frame = first_app_frame(done, 0);
      if (!st.unwind_error.empty() && ct.regs.size() > 0) {
        unwind_failures_.push_back(fmt::format("{} ({})", ct.lwp, st.unwind_error));
      }
    }
  }

  // Index (within the task) of the first frame at or after `from` that is not the C/C++
  // runtime's, or kNone.
  uint32_t first_app_frame(const Task& t, uint32_t from) const {
    const Snapshot& s = out_.snapshot();
    for (uint32_t f = from; f < t.frame_count; ++f) {
      const Frame& fr = s.frames[t.first_frame + f];
      if (!glibc::is_runtime_frame(s.str(fr.function), s.str(fr.module))) return f;
    }
    return kNone;
  }

  // --- Waits and holders -------------------------------------------------------------------------

  struct Futex {
    TaskIndex task;
    size_t thread;   // into core_.threads
    uint64_t uaddr;  // the futex word the thread sleeps on
    WaitOp op;       // what its frames say it is doing
    uint32_t frame;  // absolute index of the frame that says so, kNone if none
  };

  void find_waits() {
    const kernel::ThreadRegsLayout* l = core_.regs_layout;
    if (l == nullptr) return;
    const Snapshot& s = out_.snapshot();
    for (size_t i = 0; i < core_.threads.size(); ++i) {
      const CoreThread& ct = core_.threads[i];
      if (ct.regs.empty() || ct.regs[l->syscall_nr] != l->futex_syscall) continue;
      Futex fx{task_of_thread_[i], i, ct.regs[l->syscall_arg0], WaitOp::kNone, kNone};
      const Task& t = s.tasks[fx.task];
      for (uint32_t f = 0; f < t.frame_count; ++f) {
        std::string_view fn =
            glibc::normalize_function(s.str(s.frames[t.first_frame + f].function));
        if (const glibc::WaitFrameRow* row = glibc::find_wait_frame(fn)) {
          fx.op = row->op;
          fx.frame = t.first_frame + f;
          break;
        }
      }
      add_futex_wait(fx);
    }
  }

  void add_futex_wait(const Futex& fx) {
    if (layout_ == nullptr) {
      if (!warned_no_layout_) {
        warned_no_layout_ = true;
        out_.warn(in_.name, "no glibc lock layout for this architecture: lock owners are not read");
      }
      return;
    }
    if (!layout_version_known_ && !warned_version_) {
      warned_version_ = true;
      out_.warn(in_.name, fmt::format("the C library's version is unknown (its file is not found): "
                                      "lock layouts of glibc {}.{}+ are assumed",
                                      layout_->from.major, layout_->from.minor));
    }
    const glibc::LockLayout& L = *layout_;
    switch (fx.op) {
      case WaitOp::kMutexLock:
        return add_mutex_wait(fx, fx.uaddr - L.mutex_lock, Evidence::kMemory);
      case WaitOp::kRwlockRead:
        if (is_readers_word(fx.uaddr)) {
          return add_rwlock_wait(fx, fx.uaddr, Evidence::kMemory, /*writers_first=*/true);
        }
        return add_rwlock_wait(fx, rwlock_of(fx.uaddr), Evidence::kMemory);
      case WaitOp::kRwlockWrite:
        return add_rwlock_wait(fx, rwlock_of(fx.uaddr), Evidence::kMemory);
      case WaitOp::kCondWait: {
        uint64_t cond = (fx.uaddr - L.cond_futex[0]) % L.lock_alignment == 0
                            ? fx.uaddr - L.cond_futex[0]
                            : fx.uaddr - L.cond_futex[1];
        add_wait(fx, lock_resource(ResourceKind::kCondition, cond), Evidence::kMemory);
        return;
      }
      case WaitOp::kSemWait:
        add_wait(fx, lock_resource(ResourceKind::kSemaphore, fx.uaddr - L.sem_futex),
                 Evidence::kMemory);
        return;
      case WaitOp::kJoin:
        return add_join_wait(fx, Evidence::kMemory);
      case WaitOp::kNone:
        break;
    }
    // No frame tells (the C library's file or symbols are missing): what the memory alone shows.
    if (joinee_by_descriptor(fx) != kNone) return add_join_wait(fx, Evidence::kMemory);
    // A mutex: __lock is 1 or 2 (locked, maybe with waiters) and __owner a thread of the core.
    auto lock_word = read_i32(fx.uaddr - L.mutex_lock + L.mutex_lock);
    auto owner = read_i32(fx.uaddr - L.mutex_lock + L.mutex_owner);
    if (lock_word && owner && (*lock_word == 1 || *lock_word == 2) && is_thread(*owner)) {
      return add_mutex_wait(fx, fx.uaddr - L.mutex_lock, Evidence::kInferred);
    }
    // An rwlock (2.25+): its two padding words are 0 (a mutex has its owner there) and its
    // writer is a thread of the core.
    if (L.rwlock_zero_words) {
      uint64_t lock = rwlock_of(fx.uaddr);
      auto pad3 = read_i32(lock + *L.rwlock_zero_words);
      auto pad4 = read_i32(lock + *L.rwlock_zero_words + 4);
      auto writer = read_i32(lock + L.rwlock_writer);
      if (pad3 == 0 && pad4 == 0 && writer && is_thread(*writer)) {
        return add_rwlock_wait(fx, lock, Evidence::kInferred);
      }
    }
    ResourceIndex r = out_.resource(ResourceKind::kUnknown, hex_address(fx.uaddr), "futex");
    add_wait(fx, r, Evidence::kMemory);
  }

  // pthread_rwlock_t is 8-byte aligned (lock_alignment): a word at +8 (readers, or a writer waiting
  // for readers to leave) is 8-aligned, the writers' word at +12 is not.
  uint64_t rwlock_of(uint64_t uaddr) const {
    const glibc::LockLayout& L = *layout_;
    return (uaddr - L.rwlock_read_futex) % L.lock_alignment == 0 ? uaddr - L.rwlock_read_futex
                                                                 : uaddr - L.rwlock_write_futex;
  }

  // A reader of a lock that prefers writers sleeps on the lock's first word (__readers) while a
  // writer waits; others sleep on __wrphase_futex. The first word is the lock's own address when
  // the lock there is well formed (its padding zero) and says it prefers writers.
  bool is_readers_word(uint64_t uaddr) const {
    const glibc::LockLayout& L = *layout_;
    if (!L.rwlock_zero_words) return false;
    auto pad3 = read_i32(uaddr + *L.rwlock_zero_words);
    auto pad4 = read_i32(uaddr + *L.rwlock_zero_words + 4);
    auto flags = read_i32(uaddr + L.rwlock_flags);
    return pad3 == 0 && pad4 == 0 && flags && *flags != 0;
  }

  void add_rwlock_wait(const Futex& fx, uint64_t lock, Evidence evidence,
                       bool writers_first = false) {
    ResourceIndex r = lock_resource(ResourceKind::kRwlock, lock);
    add_wait(fx, r, evidence, /*shared=*/fx.op == WaitOp::kRwlockRead);
    if (auto flags = read_i32(lock + layout_->rwlock_flags); flags && *flags != 0) {
      writers_first = true;
    }
    if (writers_first) out_.snapshot().resources[r].writers_first = true;
    // __cur_writer is the writer's LWP; readers are only counted, so a read-held lock has none.
    if (auto writer = read_i32(lock + layout_->rwlock_writer); writer && *writer != 0) {
      add_owner(r, *writer, evidence);
    }
  }

  bool is_thread(int64_t lwp) const { return lwp > 0 && task_by_lwp_.count(lwp) > 0; }

  void add_mutex_wait(const Futex& fx, uint64_t mutex, Evidence evidence) {
    const glibc::LockLayout& L = *layout_;
    ResourceIndex r = lock_resource(ResourceKind::kMutex, mutex);
    add_wait(fx, r, evidence);
    auto owner = read_i32(mutex + L.mutex_owner);
    auto kind = read_i32(mutex + L.mutex_kind);
    auto word = read_i32(mutex + L.mutex_lock);
    if (!owner) {
      out_.warn(in_.name, fmt::format("mutex {} is not in the core's memory: its owner is unknown",
                                      hex_address(mutex)));
      return;
    }
    int64_t lwp = *owner;
    // Robust and priority-inheritance mutexes keep the owner's tid in __lock as well.
    if (lwp == 0 && kind && (*kind & L.mutex_kind_tid_in_lock) != 0 && word) {
      lwp = *word & kernel::kFutexTidMask;
    }
    if (lwp == glibc::kOwnerInconsistent || lwp == glibc::kOwnerNotRecoverable) return;
    if (lwp > 0) add_owner(r, lwp, evidence);
  }

  // pthread_join sleeps on the joinee's descriptor field `tid`, which holds the joinee's LWP
  // until the kernel clears it at the thread's exit. Modelled as the gdb parser models a join:
  // a wait on a condition keyed by the joinee's pthread_t (its descriptor), held by the joinee,
  // so that a core and a gdb dump of one process name the same resource.
  void add_join_wait(const Futex& fx, Evidence evidence) {
    uint64_t handle =
        layout_->thread_pointer_is_descriptor ? fx.uaddr - layout_->pthread_tid : fx.uaddr;
    ResourceIndex r = out_.resource(ResourceKind::kCondition, hex_address(handle), "pthread_t");
    add_wait(fx, r, evidence);
    auto word = read_i32(fx.uaddr);
    if (!word) return;
    if (*word == 0) return;  // the joinee has exited: the join returns
    auto it = task_by_lwp_.find(*word);
    if (it == task_by_lwp_.end()) {
      out_.warn(in_.name, fmt::format("thread {} joins LWP {}, which is not a thread in this core",
                                      core_.threads[fx.thread].lwp, *word));
      return;
    }
    out_.add_hold({r, it->second, evidence, kNone});
  }

  // The thread whose descriptor's tid field is the futex word (x86_64: fs_base + offset of tid)
  // and holds that thread's LWP, or kNone.
  TaskIndex joinee_by_descriptor(const Futex& fx) const {
    const kernel::ThreadRegsLayout* l = core_.regs_layout;
    if (!layout_->thread_pointer_is_descriptor || !l->thread_pointer) return kNone;
    auto word = read_i32(fx.uaddr);
    if (!word || *word <= 0) return kNone;
    for (size_t i = 0; i < core_.threads.size(); ++i) {
      const CoreThread& t = core_.threads[i];
      if (t.lwp == *word && !t.regs.empty() &&
          t.regs[*l->thread_pointer] + layout_->pthread_tid == fx.uaddr) {
        return task_of_thread_[i];
      }
    }
    return kNone;
  }

  ResourceIndex lock_resource(ResourceKind kind, uint64_t address) {
    ResourceIndex r = out_.resource(kind, hex_address(address));
    Resource& res = out_.snapshot().resources[r];
    if (res.symbol == kNoString) {
      std::string symbol = data_symbol(address);
      if (!symbol.empty()) res.symbol = out_.intern(symbol);
    }
    return r;
  }

  void add_wait(const Futex& fx, ResourceIndex r, Evidence evidence, bool shared = false) {
    const Task& t = out_.snapshot().tasks[fx.task];
    uint32_t frame = fx.frame != kNone ? fx.frame : (t.frame_count > 0 ? t.first_frame : kNone);
    uint32_t app = kNone;
    if (frame != kNone) {
      uint32_t local = first_app_frame(t, frame - t.first_frame);
      if (local != kNone) app = t.first_frame + local;
    }
    out_.add_wait({fx.task, r, evidence, frame, app, kNoString, shared});
  }

  void add_owner(ResourceIndex r, int64_t lwp, Evidence evidence) {
    auto it = task_by_lwp_.find(lwp);
    if (it == task_by_lwp_.end()) {
      const Resource& res = out_.snapshot().resources[r];
      out_.warn(in_.name, fmt::format("{} {} is held by LWP {}, which is not a thread in this core "
                                      "(it exited without unlocking?)",
                                      to_string(res.kind), out_.snapshot().str(res.address), lwp));
      return;
    }
    out_.add_hold({r, it->second, evidence, kNone});
  }

  std::optional<int32_t> read_i32(uint64_t address) const {
    auto v = core_.read_u32(address);
    if (!v) return std::nullopt;
    return static_cast<int32_t>(*v);
  }

  // --- Warnings ----------------------------------------------------------------------------------

  void report_missing_files() {
    if (dwfl_ == nullptr) return;
    dwfl_getmodules(
        dwfl_,
        [](Dwfl_Module* mod, void**, const char* name, Dwarf_Addr start, void* arg) -> int {
          std::string_view module(name != nullptr ? name : "");
          if (!module.starts_with("linux-vdso") && !module.starts_with("[vdso")) {
            static_cast<CoreReader*>(arg)->check_module(mod, start);
          }
          return DWARF_CB_OK;
        },
        this, 0);
    if (wrong_exe_) {
      out_.warn(in_.name,
                fmt::format("{} (given with -e/--exe) is not the executable of this "
                            "core (build-id {}): not used",
                            options_.exe, exe_build_id_.empty() ? "unknown" : exe_build_id_));
    }
    for (const auto& m : missing_) {
      if (m.exe) {
        out_.warn(in_.name, fmt::format("the executable {} (build-id {}) is not found: its frames "
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
      out_.warn(in_.name,
                fmt::format("{} shared librar{} of the core not found ({}): {} frames "
                            "show no functions; give a copy of the crashed machine's "
                            "files with --sysroot",
                            nlibs, nlibs == 1 ? "y" : "ies", libs, nlibs == 1 ? "its" : "their"));
    }
    if (!exe_path_.empty() && unnamed_.count(out_.intern(exe_path_))) {
      out_.warn(in_.name, fmt::format("the executable {} has no symbols (stripped): {} of its "
                                      "frames show no function and its locks no names; give an "
                                      "unstripped copy with -e/--exe or its debug file with "
                                      "--debug-dir",
                                      exe_path_, unnamed_[out_.intern(exe_path_)]));
    }
    if (!libc_without_debug_.empty()) {
      out_.warn(in_.name, fmt::format("no debug info for the C library {}: frames inside glibc "
                                      "show exported names only and some lock waits may not be "
                                      "recognised; install its debug symbols (libc6-dbg, "
                                      "glibc-debuginfo) or point --debug-dir at them",
                                      libc_without_debug_));
    }
    if (!unwind_failures_.empty() && unwind_failures_.size() == core_.threads.size()) {
      out_.warn(in_.name, fmt::format("no thread could be unwound past its first frame (e.g. LWP "
                                      "{})",
                                      unwind_failures_.front()));
    }
  }

  void check_module(Dwfl_Module* mod, Dwarf_Addr start) {
    std::string path(core_.mapping_path(start));
    const char* name =
        dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    if (path.empty() && name != nullptr) path = name;
    bool exe = is_executable(path);
    Dwarf_Addr bias = 0;
    if (dwfl_module_getelf(mod, &bias) == nullptr) {
      missing_.push_back({path, build_id_of(mod), exe});
      if (exe) {
        wrong_exe_ = !options_.exe.empty();
        exe_build_id_ = build_id_of(mod);
      }
      return;
    }
    std::string_view base = std::string_view(path).substr(path.rfind('/') + 1);
    if (exe) {
      exe_path_ = path;
      const char* file = nullptr;
      dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, &file, nullptr);
      wrong_exe_ = !options_.exe.empty() && (file == nullptr || options_.exe != file);
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
    out_.warn(in_.name, fmt::format("truncated core: {} of {} bytes (cut by a core size limit?); "
                                    "missing: {}; results are partial",
                                    core_.file_size, core_.expected_size,
                                    what.empty() ? "nothing the analysis reads" : what));
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
  std::unordered_map<int64_t, TaskIndex> task_by_lwp_;
  const glibc::LockLayout* layout_ = nullptr;
  bool layout_version_known_ = false;
  bool warned_no_layout_ = false;
  bool warned_version_ = false;
  struct MissingFile {
    std::string path, build_id;
    bool exe;
  };
  std::vector<MissingFile> missing_;
  std::string exe_path_, libc_without_debug_;
  bool wrong_exe_ = false;  // the file given with --exe is not the core's executable
  std::string exe_build_id_;
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

  int probe(std::string_view prefix) const override {
    if (!is_elf(prefix) || prefix.size() < 18) return 0;
    return reader_for(prefix).u16(16) == ET_CORE ? 100 : 0;
  }

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
