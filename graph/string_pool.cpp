#include "graph/string_pool.h"

#include <algorithm>
#include <cstring>

namespace dla {

namespace {

constexpr size_t kChunkSize = 64 * 1024;
constexpr size_t kFirstSlots = 1024;

uint64_t load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// A multiply-xorshift hash over 8-byte words: a few cycles for a function name, and good enough
// spread for a table that compares the text on every hit anyway.
uint64_t hash_text(std::string_view s) {
  constexpr uint64_t kMul = 0x9fb21c651e98df25ULL;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = n * kMul;
  auto mix = [&](uint64_t w) {
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  };
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8) mix(load8(p));
    mix(load8(p + n - 8));  // the last 8 bytes, overlapping what came before
  } else {
    uint64_t w = 0;
    for (size_t i = 0; i < n; ++i)
      w |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
    mix(w);
  }
  h ^= h >> 32;
  h *= kMul;
  return h ^ (h >> 29);
}

}  // namespace

StringPool::StringPool() {
  views_.emplace_back();  // id 0: the empty string, never in the table
  slots_.assign(kFirstSlots, 0);
}

size_t StringPool::slot_of(std::string_view s, uint64_t hash) const {
  size_t mask = slots_.size() - 1;
  uint64_t tag = hash >> 32;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint64_t slot = slots_[i];
    if (slot == 0) return i;
    if ((slot >> 32) == tag && views_[static_cast<StrId>(slot)] == s) return i;
  }
}

void StringPool::grow() {
  std::vector<uint64_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  for (uint64_t slot : old) {
    if (slot == 0) continue;
    uint64_t hash = hash_text(views_[static_cast<StrId>(slot)]);
    slots_[slot_of(views_[static_cast<StrId>(slot)], hash)] = slot;
  }
}

StrId StringPool::find(std::string_view s) const {
  if (s.empty()) return kNoString;
  return static_cast<StrId>(slots_[slot_of(s, hash_text(s))]);
}

StrId StringPool::intern(std::string_view s) {
  if (s.empty()) return kNoString;
  uint64_t hash = hash_text(s);
  size_t i = slot_of(s, hash);
  if (slots_[i] != 0) return static_cast<StrId>(slots_[i]);
  StrId id = add(s);
  slots_[i] = (hash >> 32 << 32) | id;
  if (++interned_ * 2 > slots_.size()) grow();
  return id;
}

StrId StringPool::add(std::string_view s) {
  if (s.empty()) return kNoString;
  if (chunks_.empty() || chunk_free_ < s.size()) {
    // A string longer than a chunk gets a chunk of its own.
    chunks_.emplace_back();
    chunks_.back().reserve(std::max(kChunkSize, s.size()));
    chunk_free_ = chunks_.back().capacity();
  }
  std::string& chunk = chunks_.back();
  size_t at = chunk.size();
  chunk.append(s);  // within capacity: no reallocation, earlier views stay valid
  chunk_free_ -= s.size();
  std::string_view stored(chunk.data() + at, s.size());
  auto id = static_cast<StrId>(views_.size());
  views_.push_back(stored);
  return id;
}

std::vector<StrId> StringPool::merge(StringPool&& other) {
  std::vector<StrId> ids(other.views_.size(), kNoString);
  std::vector<bool> interned(other.views_.size(), false);
  for (uint64_t slot : other.slots_) {
    if (slot != 0) interned[static_cast<StrId>(slot)] = true;
  }
  views_.reserve(views_.size() + other.views_.size());
  for (size_t id = 1; id < other.views_.size(); ++id) {
    if (interned[id]) {
      ids[id] = intern(other.views_[id]);
    } else {
      // The text stays in `other`'s chunks, which move here below: a moved std::string keeps
      // its heap buffer (every chunk is far longer than the short-string buffer).
      ids[id] = static_cast<StrId>(views_.size());
      views_.push_back(other.views_[id]);
    }
  }
  for (std::string& chunk : other.chunks_) chunks_.push_back(std::move(chunk));
  chunk_free_ = 0;  // the last chunk is `other`'s now: the next string starts a chunk of ours
  other.chunks_.clear();
  other.views_.resize(1);
  other.slots_.assign(kFirstSlots, 0);
  other.interned_ = 0;
  return ids;
}

StringPool StringPool::clone() const {
  StringPool copy;
  for (size_t id = 1; id < views_.size(); ++id) copy.add(views_[id]);
  // Same ids, same hashes: the table carries over as it is (stored strings stay out of it).
  copy.slots_ = slots_;
  copy.interned_ = interned_;
  return copy;
}

}  // namespace dla
