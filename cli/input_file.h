// The bytes of one input: a file memory-mapped read-only, or standard input read into one buffer.
// Every failure is a dla::Error whose message starts with the path.
#pragma once

#include <string>
#include <string_view>

namespace dla {

class InputFile {
 public:
  // "-" reads standard input.
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  std::string_view bytes() const { return bytes_; }

 private:
  void* map_ = nullptr;
  size_t map_size_ = 0;
  std::string buffer_;  // stdin, or a non-mappable file (a pipe given by path)
  std::string_view bytes_;
};

}  // namespace dla
