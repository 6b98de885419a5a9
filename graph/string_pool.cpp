#include "graph/string_pool.h"

#include <algorithm>

namespace dla {

namespace {
constexpr size_t kChunkSize = 64 * 1024;
}

StringPool::StringPool() {
  views_.emplace_back();  // id 0: the empty string
  index_.emplace(std::string_view(), kNoString);
}

StrId StringPool::intern(std::string_view s) {
  if (s.empty()) return kNoString;
  if (auto it = index_.find(s); it != index_.end()) return it->second;
  StrId id = add(s);
  index_.emplace(views_[id], id);
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

StringPool StringPool::clone() const {
  StringPool copy;
  for (size_t id = 1; id < views_.size(); ++id) {
    StrId same = copy.add(views_[id]);
    // Only interned strings are in the index; stored ones stay out of it in the copy too.
    if (auto it = index_.find(views_[id]); it != index_.end() && it->second == id) {
      copy.index_.emplace(copy.views_[same], same);
    }
  }
  return copy;
}

}  // namespace dla
