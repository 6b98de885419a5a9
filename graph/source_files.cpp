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

std::string java_package_path(std::string_view function, std::string_view file_name) {
  // The method is the last component, the class the one before it, the package the rest.
  size_t method_dot = function.rfind('.');
  if (method_dot == std::string_view::npos || file_name.empty()) return {};
  std::string_view qualified_class = function.substr(0, method_dot);
  size_t class_dot = qualified_class.rfind('.');
  std::string out;
  if (class_dot != std::string_view::npos) {
    for (char c : qualified_class.substr(0, class_dot)) out += c == '.' ? '/' : c;
    out += '/';
  }
  out += file_name;
  return out;
}

const SourceText* SourceFiles::find_java(std::string_view function, std::string_view file_name) {
  std::string relative = java_package_path(function, file_name);
  if (relative.empty()) return nullptr;
  std::string key = "java:" + relative;
  if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();
  all_java();  // the index
  std::vector<const std::string*> matches;
  for (const std::string& path : java_files_) {
    if (path.size() > relative.size() && path.ends_with(relative) &&
        path[path.size() - relative.size() - 1] == '/') {
      matches.push_back(&path);
    }
  }
  std::unique_ptr<SourceText> file;
  if (matches.size() == 1) file = load(*matches[0]);
  if (!file) missing_.push_back(relative);
  auto [it, inserted] = cache_.emplace(key, std::move(file));
  return it->second.get();
}

std::vector<const SourceText*> SourceFiles::all_java() {
  if (!java_indexed_) {
    java_indexed_ = true;
    // A bounded walk: hidden directories and build output are skipped, and a tree of more than
    // kMaxEntries entries is not read further (a --source-root of / must not take forever).
    constexpr size_t kMaxEntries = 200000;
    size_t entries = 0;
    std::vector<std::string> pending(search_dirs_.rbegin(), search_dirs_.rend());
    while (!pending.empty() && entries < kMaxEntries) {
      std::string dir = std::move(pending.back());
      pending.pop_back();
      DIR* d = ::opendir(dir.c_str());
      if (d == nullptr) continue;
      std::vector<std::string> subdirs;
      while (dirent* e = ::readdir(d)) {
        std::string_view name = e->d_name;
        if (++entries > kMaxEntries) break;
        if (name.empty() || name[0] == '.' || name == "target" || name == "build") continue;
        std::string path = dir + "/" + std::string(name);
        bool is_dir = e->d_type == DT_DIR;
        bool is_file = e->d_type == DT_REG;
        if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {  // the entry's type needs a stat
          struct stat st {};
          if (::stat(path.c_str(), &st) != 0) continue;
          is_dir = S_ISDIR(st.st_mode);
          is_file = S_ISREG(st.st_mode);
        }
        if (is_dir) {
          subdirs.push_back(path);
        } else if (is_file && name.size() > 5 && name.ends_with(".java")) {
          java_files_.push_back(path);
        }
      }
      ::closedir(d);
      std::sort(subdirs.rbegin(), subdirs.rend());
      for (std::string& s : subdirs) pending.push_back(std::move(s));
    }
    std::sort(java_files_.begin(), java_files_.end());
  }
  std::vector<const SourceText*> out;
  for (const std::string& path : java_files_) {
    auto it = by_real_path_.find(path);
    if (it == by_real_path_.end()) it = by_real_path_.emplace(path, load(path)).first;
    if (it->second) out.push_back(it->second.get());
  }
  return out;
}

}  // namespace dla
