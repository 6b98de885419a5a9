// The bytes of an ELF core, without libdw: the ELF header, the program headers (PT_LOAD segments
// and their memory, PT_NOTE), the notes (NT_PRSTATUS thread registers, NT_PRPSINFO, NT_AUXV,
// NT_FILE mappings) and what truncation cut off. Declared in elf_core.h; tested on its own.
#include <elf.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "parsers/elf_core.h"

namespace dla {

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

bool is_elf_core(std::string_view prefix) {
  return is_elf(prefix) && prefix.size() >= 18 && reader_for(prefix).u16(16) == ET_CORE;
}

bool CoreFile::is_executable(std::string_view path) const {
  return entry && !path.empty() && mapping_path(*entry) == path;
}

}  // namespace dla
