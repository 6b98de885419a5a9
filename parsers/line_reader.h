// LineReader: walks a buffer line by line without copying, counting lines for messages. Accepts
// LF and CRLF endings (dumps pasted from Windows tools or container logs carry CR).
#pragma once

#include <cstdint>
#include <string_view>

#include "graph/text_util.h"

namespace dla {

class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}

  // Sets `line` to the next line without its ending; false at the end of the input.
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = text_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line_start_ = pos_;
    pos_ = end + 1;
    ++line_number_;
    return true;
  }
  uint32_t line_number() const { return line_number_; }  // 1-based number of the current line
  size_t line_offset() const { return line_start_; }     // byte offset of the current line

 private:
  std::string_view text_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  uint32_t line_number_ = 0;
};

inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

inline std::string_view trim(std::string_view s) { return trim_blanks(s); }

}  // namespace dla
