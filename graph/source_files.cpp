#include "graph/source_files.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace dla {

std::vector<std::string> code_lines(const std::vector<std::string_view>& lines) {
  std::vector<std::string> out;
  out.reserve(lines.size());
  bool in_block_comment = false;
  bool in_raw_string = false;  // Go `…`
  for (std::string_view line : lines) {
    std::string code(line);
    char quote = 0;
    for (size_t i = 0; i < code.size(); ++i) {
      char c = code[i];
      if (in_block_comment) {
        if (c == '*' && i + 1 < code.size() && code[i + 1] == '/') {
          in_block_comment = false;
          code[i] = code[i + 1] = ' ';
          ++i;
        } else {
          code[i] = ' ';
        }
        continue;
      }
      if (in_raw_string) {
        if (c == '`') {
          in_raw_string = false;
        } else {
          code[i] = ' ';
        }
        continue;
      }
      if (quote != 0) {
        if (c == '\\' && i + 1 < code.size()) {
          code[i] = code[i + 1] = ' ';
          ++i;
        } else if (c == quote) {
          quote = 0;
        } else {
          code[i] = ' ';
        }
        continue;
      }
      if (c == '/' && i + 1 < code.size() && code[i + 1] == '/') {
        code.resize(i);
        break;
      }
      if (c == '/' && i + 1 < code.size() && code[i + 1] == '*') {
        in_block_comment = true;
        code[i] = code[i + 1] = ' ';
        ++i;
        continue;
      }
      if (c == '`') {
        in_raw_string = true;
      } else if (c == '"' || c == '\'') {
        quote = c;
      }
    }
    out.push_back(std::move(code));
  }
  return out;
}

SourceFiles::SourceFiles(std::vector<std::string> roots) {
  for (std::string& root : roots) {
    if (size_t eq = root.find('='); eq != std::string::npos) {
      rewrites_.emplace_back(root.substr(0, eq), root.substr(eq + 1));
    } else {
      search_dirs_.push_back(std::move(root));
    }
  }
}

std::unique_ptr<SourceText> SourceFiles::load(const std::string& path) const {
  // A dump names the files; only regular files of a source file's size are read (a frame
  // claiming /dev/zero must not hang the analysis).
  constexpr off_t kMaxSourceBytes = 16 << 20;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxSourceBytes) {
    return nullptr;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream text;
  text << in.rdbuf();
  auto file = std::make_unique<SourceText>();
  file->path = path;
  file->text = text.str();  // the lines view it; a SourceText never moves once made
  std::string_view all = file->text;
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    std::string_view line = all.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    file->lines.push_back(line);
    start = end + 1;
  }
  file->code = code_lines(file->lines);
  return file;
}

const SourceText* SourceFiles::get(std::string_view path) {
  if (auto it = cache_.find(path); it != cache_.end()) return it->second.get();
  std::vector<std::string> candidates;
  for (const auto& [from, to] : rewrites_) {
    if (path.substr(0, from.size()) == from) {
      candidates.push_back(to + std::string(path.substr(from.size())));
    }
  }
  // "OLD=NEW" says where the tree under OLD is now: a stale file left at OLD is not read.
  if (candidates.empty()) candidates.emplace_back(path);
  // Under a search directory: the path's last elements, longest first; at least the file and
  // its directory, so that two programs' main.go are not confused. (A relative path as gdb
  // prints it, "mutex_cycle2.c" or "src/a.c", is tried whole.)
  std::vector<size_t> starts;  // where each suffix of whole path elements begins
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '/' && i + 1 < path.size()) starts.push_back(i + 1);
  }
  if (!path.empty() && path[0] != '/') starts.insert(starts.begin(), 0);
  for (const std::string& dir : search_dirs_) {
    for (size_t k = 0; k < starts.size(); ++k) {
      bool last_element = k + 1 == starts.size();
      if (last_element && starts.size() > 1) break;  // a bare file name of a longer path
      candidates.push_back(dir + "/" + std::string(path.substr(starts[k])));
    }
  }
  std::unique_ptr<SourceText> file;
  for (const std::string& candidate : candidates) {
    if ((file = load(candidate))) break;
  }
  if (!file) missing_.emplace_back(path);
  auto [it, inserted] = cache_.emplace(std::string(path), std::move(file));
  return it->second.get();
}

std::vector<const SourceText*> SourceFiles::siblings(const SourceText& file,
                                                     std::string_view suffix) {
  std::vector<const SourceText*> out;
  std::string dir = file.path.substr(0, file.path.rfind('/') + 1);
  if (dir.empty()) dir = "./";
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name.size() > suffix.size() && name.ends_with(suffix)) names.emplace_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::string path = dir + name;
    if (path == file.path) {
      out.push_back(&file);
      continue;
    }
    auto it = by_real_path_.find(path);
    if (it == by_real_path_.end()) it = by_real_path_.emplace(path, load(path)).first;
    if (it->second) out.push_back(it->second.get());
  }
  return out;
}

}  // namespace dla
