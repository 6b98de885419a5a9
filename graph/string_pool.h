// StringPool: every repeated string of a snapshot (function names, files, states, lock classes) is
// stored once and referred to by a 32-bit id. A 100k-goroutine dump repeats a few hundred distinct
// function names millions of times; ids keep the model small and make stack comparison an integer
// compare.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace dla {

// Id of an interned string. kNoString (0) is the empty string and means "not printed in the dump".
using StrId = uint32_t;
inline constexpr StrId kNoString = 0;

class StringPool {
 public:
  StringPool();
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;
  StringPool(StringPool&&) = default;
  StringPool& operator=(StringPool&&) = default;
  // A deep copy with the same ids: the next dump of one input starts from the strings of the
  // previous one, so that ids a parser keeps across dumps stay valid.
  StringPool clone() const;

  // Returns the id of `s`, copying it into the pool the first time it is seen.
  StrId intern(std::string_view s);
  // Stores `s` without looking for an equal string: for text that rarely repeats (a frame's
  // argument values), where the lookup would cost more than the copy saves.
  StrId add(std::string_view s);
  // Takes `other`'s strings in, in its id order: each interned one interned here, each stored
  // one stored here (its text adopted, not copied). Returns the new id of each of `other`'s ids.
  // Ids come out as if `other`'s intern and add calls had been made on this pool, so that a dump
  // parsed in pieces numbers its strings as one parse would.
  std::vector<StrId> merge(StringPool&& other);
  // Room for `strings` ids without growing (a parser knows about how many a dump will need).
  void reserve(size_t strings) { views_.reserve(strings); }
  // The id of `s` if it was interned, else kNoString.
  StrId find(std::string_view s) const;
  // The string behind `id`; valid as long as the pool lives.
  std::string_view get(StrId id) const { return views_[id]; }
  size_t size() const { return views_.size(); }

 private:
  // Chunks never move once allocated, so the string_views into them stay valid.
  std::deque<std::string> chunks_;
  size_t chunk_free_ = 0;
  std::vector<std::string_view> views_;
  // The interned strings, by hash: open addressing, linear probing, at most half full. A slot
  // holds the upper 32 bits of the string's hash and its id (0: empty), so that a probe compares
  // text only when the hashes agree. Function and file names are looked up for every frame of
  // a 100k-goroutine dump: std::unordered_map's node walk and byte-wise hash were a fifth of
  // the parse.
  std::vector<uint64_t> slots_;
  size_t interned_ = 0;
  size_t slot_of(std::string_view s, uint64_t hash) const;  // its slot, or the empty one to use
  void grow();
};

}  // namespace dla
