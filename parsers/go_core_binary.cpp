#include "parsers/go_core_binary.h"

#include <dwarf.h>
#include <gelf.h>

#include <algorithm>
#include <cstring>
#include <set>

namespace dla {

using go::FieldId;
using go::GlobalId;

bool ExecutableImage::read(uint64_t address, void* out, size_t size) const {
  for (const Segment& s : segments) {
    if (address < s.vaddr || address - s.vaddr >= s.memsz || size > s.memsz - (address - s.vaddr)) {
      continue;
    }
    uint64_t at = address - s.vaddr;
    auto* dest = static_cast<char*>(out);
    size_t from_file = at < s.bytes.size() ? std::min<uint64_t>(size, s.bytes.size() - at) : 0;
    if (from_file > 0) std::memcpy(dest, s.bytes.data() + at, from_file);
    std::memset(dest + from_file, 0, size - from_file);
    return true;
  }
  return false;
}

namespace {

// x86_64's DWARF register number of the stack pointer.
constexpr int kDwarfSp = 7;

// The type behind typedefs and qualifiers.
bool strip_typedefs(Dwarf_Die& die) {
  for (int hops = 0; hops < 16; ++hops) {
    int tag = dwarf_tag(&die);
    if (tag != DW_TAG_typedef && tag != DW_TAG_const_type && tag != DW_TAG_volatile_type) {
      return true;
    }
    Dwarf_Attribute attr;
    if (dwarf_formref_die(dwarf_attr(&die, DW_AT_type, &attr), &die) == nullptr) return false;
  }
  return false;
}

std::string_view split_first(std::string_view& list, char sep) {
  size_t at = list.find(sep);
  std::string_view first = list.substr(0, at);
  list = at == std::string_view::npos ? std::string_view() : list.substr(at + 1);
  return first;
}

}  // namespace

std::unique_ptr<GoBinary> GoBinary::open(Dwfl_Module* mod, std::string& why_not) {
  std::unique_ptr<GoBinary> b(new GoBinary());
  Dwarf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(mod, &bias);
  if (elf == nullptr) {
    why_not = "the executable is not found";
    return nullptr;
  }
  b->read_symbols(mod);
  b->read_image(elf, bias);
  b->dwarf_ = dwfl_module_getdwarf(mod, &b->bias_);
  if (b->dwarf_ == nullptr) {
    why_not = "the executable has no DWARF (built with -ldflags=-w or stripped)";
    return nullptr;
  }
  Dwarf_Addr cfi_bias = 0;
  b->cfi_ = dwfl_module_dwarf_cfi(mod, &cfi_bias);
  b->index_units();
  b->read_runtime_dwarf();
  for (const go::GlobalRow& row : go::global_rows()) {
    if (row.required && !b->global(row.id)) {
      why_not = std::string("the executable has no symbol ") + std::string(row.symbol);
      return nullptr;
    }
  }
  std::string missing;
  for (const go::TypeRow& row : go::type_rows()) {
    if (row.required && !b->layout_.size(row.id)) missing += std::string(row.name) + " ";
  }
  for (const go::FieldRow& row : go::field_rows()) {
    if (row.required && !b->layout_.at(row.id)) {
      missing += std::string(row.type) + "." + std::string(row.paths) + " ";
    }
  }
  if (!missing.empty()) {
    missing.pop_back();
    why_not = "its DWARF lacks " + missing;
    return nullptr;
  }
  return b;
}

GoBinary::~GoBinary() = default;

void GoBinary::read_symbols(Dwfl_Module* mod) {
  std::set<std::string_view> wanted;
  for (const go::GlobalRow& row : go::global_rows()) wanted.insert(row.symbol);
  int n = dwfl_module_getsymtab(mod);
  for (int i = 0; i < n; ++i) {
    GElf_Sym sym;
    GElf_Addr addr = 0;
    const char* name = dwfl_module_getsym_info(mod, i, &sym, &addr, nullptr, nullptr, nullptr);
    if (name == nullptr || !wanted.count(name)) continue;
    symbols_.emplace(name, addr);
    sizes_.emplace(name, sym.st_size);
  }
}

void GoBinary::read_image(Elf* elf, Dwarf_Addr bias) {
  size_t raw_size = 0;
  const char* raw = elf_rawfile(elf, &raw_size);
  size_t phnum = 0;
  if (raw == nullptr || elf_getphdrnum(elf, &phnum) != 0) return;
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf, static_cast<int>(i), &ph) == nullptr || ph.p_type != PT_LOAD) continue;
    ExecutableImage::Segment s;
    s.vaddr = ph.p_vaddr + bias;
    s.memsz = ph.p_memsz;
    s.writable = (ph.p_flags & PF_W) != 0;
    if (ph.p_offset < raw_size) {
      s.bytes = std::string_view(raw + ph.p_offset,
                                 std::min<uint64_t>(ph.p_filesz, raw_size - ph.p_offset));
    }
    image_.segments.push_back(s);
  }
}

std::optional<uint64_t> GoBinary::global(GlobalId id) const {
  for (const go::GlobalRow& row : go::global_rows()) {
    if (row.id != id) continue;
    auto it = symbols_.find(row.symbol);
    if (it != symbols_.end()) return it->second;
  }
  return std::nullopt;
}

std::optional<uint64_t> GoBinary::global_size(GlobalId id) const {
  for (const go::GlobalRow& row : go::global_rows()) {
    if (row.id != id) continue;
    auto it = sizes_.find(row.symbol);
    if (it != sizes_.end()) return it->second;
  }
  return std::nullopt;
}

std::optional<int64_t> GoBinary::constant(std::string_view name) const {
  auto it = constants_.find(std::string(name));
  if (it == constants_.end()) return std::nullopt;
  return it->second;
}

// --- DWARF: units, runtime types, constants ------------------------------------------------------

void GoBinary::index_units() {
  Dwarf_Off offset = 0, next = 0;
  size_t header = 0;
  while (dwarf_nextcu(dwarf_, offset, &next, &header, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die cu;
    if (dwarf_offdie(dwarf_, offset + header, &cu) != nullptr) {
      size_t index = units_.size();
      units_.push_back({offset + header, false, {}});
      Dwarf_Addr base = 0, low = 0, high = 0;
      ptrdiff_t at = 0;
      while ((at = dwarf_ranges(&cu, at, &base, &low, &high)) > 0) {
        if (high > low) unit_ranges_.push_back({low, high, index, 0});
      }
      Dwarf_Attribute attr;
      const char* producer = dwarf_formstring(dwarf_attr(&cu, DW_AT_producer, &attr));
      if (version_.empty() && producer != nullptr) {
        // "Go cmd/compile go1.19.8; regabi"
        std::string_view p(producer);
        size_t go = p.find(" go1");
        if (go != std::string_view::npos) {
          std::string_view v = p.substr(go + 1);
          version_ = std::string(v.substr(0, v.find_first_of("; ")));
        }
      }
    }
    offset = next;
  }
  std::sort(unit_ranges_.begin(), unit_ranges_.end(),
            [](const Range& a, const Range& b) { return a.low < b.low; });
}

// Remembers a top-level DIE the tables need: a struct type they name, runtime.semtable, a
// runtime constant. True when it was one.
bool GoBinary::take_top_level(Dwarf_Die* die) {
  int tag = dwarf_tag(die);
  if (tag != DW_TAG_structure_type && tag != DW_TAG_variable && tag != DW_TAG_constant) {
    return false;
  }
  const char* raw = dwarf_diename(die);
  if (raw == nullptr) return false;
  std::string_view name(raw);
  if (tag == DW_TAG_constant) {
    if (!name.starts_with("runtime.")) return false;
    Dwarf_Attribute attr;
    Dwarf_Sword value = 0;
    if (dwarf_formsdata(dwarf_attr(die, DW_AT_const_value, &attr), &value) == 0) {
      constants_.emplace(name, value);
    }
    return true;
  }
  if (tag == DW_TAG_variable) {
    if (name == "runtime.semtable") variables_.emplace(name, dwarf_dieoffset(die));
    return true;
  }
  types_.emplace(name, dwarf_dieoffset(die));
  return true;
}

void GoBinary::read_runtime_dwarf() {
  // Go's linker puts every type into one unit named "runtime", its constants and variables into
  // the package's unit: the "runtime" and "sync" units hold all the tables name.
  std::set<std::string, std::less<>> wanted_types;
  for (const go::FieldRow& row : go::field_rows()) wanted_types.emplace(row.type);
  for (const go::SemaFieldRow& row : go::sema_field_rows()) wanted_types.emplace(row.type);
  for (const go::EmbeddedLockRow& row : go::embedded_lock_rows()) {
    wanted_types.emplace(row.outer_type);
  }
  for (const Unit& unit : units_) {
    Dwarf_Die cu, child;
    if (dwarf_offdie(dwarf_, unit.offset, &cu) == nullptr) continue;
    const char* name = dwarf_diename(&cu);
    if (name == nullptr || (std::strcmp(name, "runtime") != 0 && std::strcmp(name, "sync") != 0)) {
      continue;
    }
    if (dwarf_child(&cu, &child) != 0) continue;
    do {
      take_top_level(&child);
    } while (dwarf_siblingof(&child, &child) == 0);
  }
  for (auto it = types_.begin(); it != types_.end();) {
    it = wanted_types.count(it->first) ? std::next(it) : types_.erase(it);
  }

  auto type_die = [&](std::string_view name, Dwarf_Die& out) {
    if (name.ends_with("[]")) {
      // The element type of an array variable ("runtime.semtable[]").
      auto v = variables_.find(std::string(name.substr(0, name.size() - 2)));
      Dwarf_Attribute attr;
      if (v == variables_.end() || dwarf_offdie(dwarf_, v->second, &out) == nullptr ||
          dwarf_formref_die(dwarf_attr(&out, DW_AT_type, &attr), &out) == nullptr ||
          !strip_typedefs(out) || dwarf_tag(&out) != DW_TAG_array_type ||
          dwarf_formref_die(dwarf_attr(&out, DW_AT_type, &attr), &out) == nullptr) {
        return false;
      }
      return strip_typedefs(out);
    }
    auto t = types_.find(std::string(name));
    return t != types_.end() && dwarf_offdie(dwarf_, t->second, &out) != nullptr;
  };
  for (const go::FieldRow& row : go::field_rows()) {
    Dwarf_Die type;
    if (!type_die(row.type, type)) continue;
    std::string_view paths = row.paths;
    while (!paths.empty()) {
      std::string_view path = split_first(paths, '|');
      if (auto field = field_offset(type, path)) {
        layout_.fields[static_cast<size_t>(row.id)] = field->offset;
        layout_.widths[static_cast<size_t>(row.id)] = field->width;
        layout_.found_path[static_cast<size_t>(row.id)] = path;
        break;
      }
    }
  }
  for (const go::TypeRow& row : go::type_rows()) {
    Dwarf_Die type;
    Dwarf_Word size = 0;
    if (type_die(row.name, type) && dwarf_aggregate_size(&type, &size) == 0) {
      layout_.sizes[static_cast<size_t>(row.id)] = static_cast<uint32_t>(size);
    }
  }
  Dwarf_Die entry;
  Dwarf_Word stride = 0;
  if (type_die("runtime.semtable[]", entry) && dwarf_aggregate_size(&entry, &stride) == 0 &&
      stride > 0) {
    layout_.semtable_stride = static_cast<uint32_t>(stride);
    if (auto size = global_size(GlobalId::kSemtable)) {
      layout_.semtable_count = static_cast<uint32_t>(*size / stride);
    }
  }
  auto statuses = go::status_rows();
  for (size_t i = 0; i < statuses.size(); ++i) {
    auto value = constant(statuses[i].constant);
    statuses_.values[i] = value ? static_cast<uint32_t>(*value) : statuses[i].value;
  }
  if (auto scan = constant(go::kScanBitConstant)) statuses_.scan_bit = static_cast<uint32_t>(*scan);
}

std::optional<uint32_t> GoBinary::offset_of(std::string_view type, std::string_view paths) const {
  auto t = types_.find(std::string(type));
  Dwarf_Die die;
  if (t == types_.end() || dwarf_offdie(dwarf_, t->second, &die) == nullptr) return std::nullopt;
  while (!paths.empty()) {
    std::string_view path = split_first(paths, '|');
    if (auto field = field_offset(die, path)) return field->offset;
  }
  return std::nullopt;
}

std::optional<GoBinary::Field> GoBinary::field_offset(Dwarf_Die type, std::string_view path) const {
  uint32_t total = 0;
  while (!path.empty()) {
    std::string_view name = split_first(path, '.');
    if (!strip_typedefs(type) || dwarf_tag(&type) != DW_TAG_structure_type) return std::nullopt;
    Dwarf_Die member;
    if (dwarf_child(&type, &member) != 0) return std::nullopt;
    bool found = false;
    do {
      const char* member_name = dwarf_diename(&member);
      if (dwarf_tag(&member) != DW_TAG_member || member_name == nullptr || name != member_name) {
        continue;
      }
      Dwarf_Attribute attr;
      Dwarf_Word offset = 0;
      if (dwarf_formudata(dwarf_attr(&member, DW_AT_data_member_location, &attr), &offset) != 0 ||
          dwarf_formref_die(dwarf_attr(&member, DW_AT_type, &attr), &type) == nullptr) {
        return std::nullopt;
      }
      total += static_cast<uint32_t>(offset);
      found = true;
      break;
    } while (dwarf_siblingof(&member, &member) == 0);
    if (!found) return std::nullopt;
  }
  Dwarf_Word width = 0;
  if (!strip_typedefs(type) || dwarf_aggregate_size(&type, &width) != 0) return std::nullopt;
  return Field{total, static_cast<uint8_t>(std::min<Dwarf_Word>(width, 255))};
}

// --- Frames --------------------------------------------------------------------------------------

namespace {

// The range of `ranges` (sorted by low) that holds `address`, or nullptr.
template <typename R>
const R* range_of(const std::vector<R>& ranges, uint64_t address) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), address,
                             [](uint64_t a, const R& r) { return a < r.low; });
  if (it == ranges.begin()) return nullptr;
  --it;
  return address < it->high ? &*it : nullptr;
}

}  // namespace

std::optional<Dwarf_Off> GoBinary::function_at(size_t unit, uint64_t address) {
  Unit& u = units_[unit];
  if (!u.indexed) {
    u.indexed = true;
    Dwarf_Die cu, child;
    if (dwarf_offdie(dwarf_, u.offset, &cu) != nullptr && dwarf_child(&cu, &child) == 0) {
      do {
        if (dwarf_tag(&child) != DW_TAG_subprogram) continue;
        Dwarf_Addr base = 0, low = 0, high = 0;
        ptrdiff_t at = 0;
        while ((at = dwarf_ranges(&child, at, &base, &low, &high)) > 0) {
          if (high > low) u.functions.push_back({low, high, unit, dwarf_dieoffset(&child)});
        }
      } while (dwarf_siblingof(&child, &child) == 0);
    }
    std::sort(u.functions.begin(), u.functions.end(),
              [](const Range& a, const Range& b) { return a.low < b.low; });
  }
  const Range* fn = range_of(u.functions, address);
  if (fn == nullptr) return std::nullopt;
  return fn->die;
}

const std::vector<GoFrameInfo>& GoBinary::frames_at(uint64_t pc) {
  auto [cached, fresh] = frames_cache_.try_emplace(pc);
  std::vector<GoFrameInfo>& frames = cached->second;
  if (!fresh) return frames;
  uint64_t address = pc - bias_;
  const Range* unit = range_of(unit_ranges_, address);
  if (unit == nullptr) {
    frames.push_back({});
    return frames;
  }
  auto fn = function_at(unit->index, address);
  Dwarf_Die cu, die;
  if (!fn || dwarf_offdie(dwarf_, units_[unit->index].offset, &cu) == nullptr ||
      dwarf_offdie(dwarf_, *fn, &die) == nullptr) {
    frames.push_back({});
    return frames;
  }
  // The subprogram, then each inlined subroutine around the pc, outermost first (inlined calls
  // may sit inside lexical blocks).
  std::vector<Dwarf_Die> chain{die};
  for (Dwarf_Die scope = die;;) {
    Dwarf_Die child;
    bool deeper = false;
    if (dwarf_child(&scope, &child) == 0) {
      do {
        int tag = dwarf_tag(&child);
        if ((tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block) &&
            dwarf_haspc(&child, address) == 1) {
          if (tag == DW_TAG_inlined_subroutine) chain.push_back(child);
          scope = child;
          deeper = true;
          break;
        }
      } while (dwarf_siblingof(&child, &child) == 0);
    }
    if (!deeper || chain.size() > 64) break;
  }
  std::string_view file;
  int line = 0;
  if (Dwarf_Line* l = dwarf_getsrc_die(&cu, address)) {
    if (const char* f = dwarf_linesrc(l, nullptr, nullptr)) file = f;
    dwarf_lineno(l, &line);
  }
  Dwarf_Files* files = nullptr;
  size_t nfiles = 0;
  for (size_t i = chain.size(); i-- > 0;) {
    const char* name = dwarf_diename(&chain[i]);
    bool wrapper = i == 0 && dwarf_hasattr(&chain[i], DW_AT_trampoline);
    frames.push_back({name != nullptr ? name : "", file, line, wrapper});
    if (i == 0) break;
    // The caller's position is where this inlined instance was called.
    Dwarf_Attribute attr;
    Dwarf_Word call_file = 0, call_line = 0;
    file = {};
    line = 0;
    if (dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_line, &attr), &call_line) == 0) {
      line = static_cast<int>(call_line);
    }
    if (dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_file, &attr), &call_file) == 0 &&
        (files != nullptr || dwarf_getsrcfiles(&cu, &files, &nfiles) == 0) && call_file < nfiles) {
      if (const char* f = dwarf_filesrc(files, call_file, nullptr, nullptr)) file = f;
    }
  }
  return frames;
}

namespace {

// One piece's location: [DW_OP_call_frame_cfa] or [DW_OP_fbreg N] (Go's frame base is the CFA)
// are in memory; registers and empty pieces are not readable in a core's outer frames.
GoArgLocation::Piece piece_of(const Dwarf_Op* ops, size_t n, uint32_t size) {
  GoArgLocation::Piece p;
  p.size = size;
  if (n == 1 && ops[0].atom == DW_OP_call_frame_cfa) {
    p.in_memory = true;
  } else if (n == 1 && ops[0].atom == DW_OP_fbreg) {
    p.in_memory = true;
    p.cfa_offset = static_cast<int64_t>(ops[0].number);
  } else if (n == 3 && ops[0].atom == DW_OP_call_frame_cfa && ops[1].atom == DW_OP_consts &&
             ops[2].atom == DW_OP_plus) {
    p.in_memory = true;
    p.cfa_offset = static_cast<int64_t>(ops[1].number);
  }
  return p;
}

}  // namespace

const std::vector<GoArgLocation>& GoBinary::args_at(uint64_t pc) {
  auto [cached, fresh] = args_cache_.try_emplace(pc);
  std::vector<GoArgLocation>& args = cached->second;
  if (!fresh) return args;
  uint64_t address = pc - bias_;
  const Range* unit = range_of(unit_ranges_, address);
  if (unit == nullptr) return args;
  auto fn = function_at(unit->index, address);
  Dwarf_Die die, param;
  if (!fn || dwarf_offdie(dwarf_, *fn, &die) == nullptr || dwarf_child(&die, &param) != 0) {
    return args;
  }
  do {
    if (dwarf_tag(&param) != DW_TAG_formal_parameter) continue;
    Dwarf_Attribute attr;
    bool result = false;
    if (dwarf_attr(&param, DW_AT_variable_parameter, &attr) != nullptr) {
      dwarf_formflag(&attr, &result);
    }
    if (result) continue;  // a named result, not an argument
    GoArgLocation arg;
    Dwarf_Die type;
    Dwarf_Word size = 0;
    if (dwarf_formref_die(dwarf_attr(&param, DW_AT_type, &attr), &type) != nullptr &&
        strip_typedefs(type)) {
      int tag = dwarf_tag(&type);
      arg.aggregate = tag == DW_TAG_structure_type || tag == DW_TAG_array_type;
      dwarf_aggregate_size(&type, &size);
    }
    Dwarf_Op* ops = nullptr;
    size_t nops = 0;
    if (dwarf_attr(&param, DW_AT_location, &attr) != nullptr &&
        dwarf_getlocation_addr(&attr, address, &ops, &nops, 1) == 1) {
      size_t start = 0;
      for (size_t i = 0; i < nops; ++i) {
        if (ops[i].atom != DW_OP_piece) continue;
        arg.pieces.push_back(
            piece_of(ops + start, i - start, static_cast<uint32_t>(ops[i].number)));
        start = i + 1;
      }
      if (arg.pieces.empty())
        arg.pieces.push_back(piece_of(ops, nops, static_cast<uint32_t>(size)));
    } else {
      arg.pieces.push_back({false, 0, static_cast<uint32_t>(size)});
    }
    args.push_back(std::move(arg));
  } while (dwarf_siblingof(&param, &param) == 0);
  return args;
}

std::optional<GoUnwindRule> GoBinary::unwind_rule(uint64_t pc) {
  auto [cached, fresh] = rule_cache_.try_emplace(pc);
  if (!fresh || cfi_ == nullptr) return cached->second;
  Dwarf_Frame* frame = nullptr;
  if (dwarf_cfi_addrframe(cfi_, pc - bias_, &frame) != 0) return std::nullopt;
  std::optional<GoUnwindRule> rule;
  Dwarf_Op* ops = nullptr;
  size_t nops = 0;
  // Go's CFA is always the stack pointer plus the frame's size: DW_CFA_def_cfa rsp+N.
  if (dwarf_frame_cfa(frame, &ops, &nops) == 0 && nops == 1 &&
      ((ops[0].atom == DW_OP_bregx && ops[0].number == kDwarfSp) ||
       ops[0].atom == DW_OP_breg0 + kDwarfSp)) {
    GoUnwindRule r;
    r.cfa_offset =
        static_cast<int64_t>(ops[0].atom == DW_OP_bregx ? ops[0].number2 : ops[0].number);
    // The return address is saved at CFA + k: [DW_OP_call_frame_cfa, DW_OP_plus_uconst k] (k a
    // wrapped negative number), or [DW_OP_call_frame_cfa, DW_OP_consts k, DW_OP_plus].
    Dwarf_Op mem[3];
    int ra_reg = dwarf_frame_info(frame, nullptr, nullptr, nullptr);
    if (dwarf_frame_register(frame, ra_reg, mem, &ops, &nops) == 0 && nops >= 1 &&
        ops[0].atom == DW_OP_call_frame_cfa) {
      if (nops == 1) {
        r.ra_offset = 0;
        rule = r;
      } else if (nops == 2 && ops[1].atom == DW_OP_plus_uconst) {
        r.ra_offset = static_cast<int64_t>(ops[1].number);
        rule = r;
      } else if (nops == 3 && ops[1].atom == DW_OP_consts && ops[2].atom == DW_OP_plus) {
        r.ra_offset = static_cast<int64_t>(ops[1].number);
        rule = r;
      }
    }
  }
  std::free(frame);
  cached->second = rule;
  return rule;
}

}  // namespace dla
