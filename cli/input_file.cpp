#include "cli/input_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "graph/diagnostics.h"

namespace dla {

namespace {

void read_all(int fd, const std::string& path, std::string& out) {
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n == 0) return;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(fmt::format("{}: read failed at byte offset {}: {}", path, out.size(),
                              std::strerror(errno)));
    }
    out.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace

InputFile::InputFile(const std::string& path) {
  if (path == "-") {
    read_all(STDIN_FILENO, "-", buffer_);
    bytes_ = buffer_;
    return;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(fmt::format("{}: {}", path, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    throw Error(fmt::format("{}: {}", path, std::strerror(e)));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Error(fmt::format("{}: is a directory, not a dump", path));
  }
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    map_size_ = static_cast<size_t>(st.st_size);
    map_ = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map_ == MAP_FAILED) {
      map_ = nullptr;
      int e = errno;
      ::close(fd);
      throw Error(fmt::format("{}: cannot map the file: {}", path, std::strerror(e)));
    }
    ::madvise(map_, map_size_, MADV_SEQUENTIAL);
    bytes_ = std::string_view(static_cast<const char*>(map_), map_size_);
  } else {
    read_all(fd, path, buffer_);  // a FIFO, /dev/stdin, a process substitution
    bytes_ = buffer_;
  }
  ::close(fd);
}

InputFile::~InputFile() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
}

}  // namespace dla
