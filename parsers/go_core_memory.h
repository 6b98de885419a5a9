// A Go process's memory as a core and its executable hold it together: the core's segments
// first; what the core left out of the executable's own mappings (gcore writes no read-only data,
// the kernel no unmodified file page) from the executable's file. Words are little-endian (the
// reader supports x86_64 only).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "parsers/elf_core.h"
#include "parsers/go_core_binary.h"

namespace dla {

class GoMemory {
 public:
  GoMemory(const CoreFile& core, const ExecutableImage& image) : core_(core), image_(image) {}

  bool read(uint64_t address, void* out, size_t size) const {
    return core_.read(address, out, size) || image_.read(address, out, size);
  }
  // An unsigned integer of `width` bytes (1, 2, 4 or 8).
  std::optional<uint64_t> uint(uint64_t address, uint8_t width) const {
    if (width == 0 || width > 8) return std::nullopt;
    uint8_t raw[8] = {};
    if (!read(address, raw, width)) return std::nullopt;
    uint64_t value = 0;
    for (int i = width; i-- > 0;) value = (value << 8) | raw[i];
    return value;
  }
  std::optional<uint64_t> word(uint64_t address) const { return uint(address, 8); }
  // A Go string header {data, len} at `address`; nullopt when unreadable or longer than `max`.
  std::optional<std::string> go_string(uint64_t address, size_t max = 4096) const {
    auto data = word(address);
    auto len = word(address + 8);
    if (!data || !len || *len > max) return std::nullopt;
    std::string out(*len, '\0');
    if (*len > 0 && !read(*data, out.data(), *len)) return std::nullopt;
    return out;
  }
  const CoreFile& core() const { return core_; }

 private:
  const CoreFile& core_;
  const ExecutableImage& image_;
};

// A struct read at once, its fields picked by the layout's offsets and widths.
class GoRecord {
 public:
  GoRecord() = default;
  bool load(const GoMemory& memory, uint64_t address, uint32_t size) {
    address_ = address;
    bytes_.assign(size, '\0');
    return memory.read(address, bytes_.data(), size);
  }
  uint64_t address() const { return address_; }
  // The field `f` of `layout`, or nullopt when the binary has no such field.
  std::optional<uint64_t> get(const go::RuntimeLayout& layout, go::FieldId f) const {
    auto offset = layout.at(f);
    uint8_t width = layout.width(f);
    if (!offset || width == 0 || width > 8 || *offset + width > bytes_.size()) return std::nullopt;
    uint64_t value = 0;
    for (int i = width; i-- > 0;) {
      value = (value << 8) | static_cast<uint8_t>(bytes_[*offset + i]);
    }
    return value;
  }
  uint64_t get_or(const go::RuntimeLayout& layout, go::FieldId f, uint64_t otherwise) const {
    return get(layout, f).value_or(otherwise);
  }

 private:
  uint64_t address_ = 0;
  std::string bytes_;
};

}  // namespace dla
