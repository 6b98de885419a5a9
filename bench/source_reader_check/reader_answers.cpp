// What dlanalyze's hand-written source reader (graph/source_code) says at each frame line that
// the captures under testdata/ point into: the enclosing function and its extent, the chain of
// blocks open at the line, whether the line is in a function literal or lambda, and every lock
// call the function makes before the line, with whether the reader counts it as held there.
// Input: frames.py's TSV on stdin. Output: one JSON object per frame line on stdout, then one
// {"timing": …} object per file (microseconds spent in the reader for that file's frames).
// compare.py sets these answers beside those of real parsers (go/ast, clang, tree-sitter).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "graph/lock_idioms.h"
#include "graph/source_code.h"
#include "graph/source_files.h"

namespace {

using dla::SourceLanguage;
using dla::SourceText;

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// The unclosed '{' around the end of `line` (1-based), innermost first, as (line, column): the
// reader's own backward brace scan (for_each_enclosing_brace in graph/source_code.cpp, which is
// file-local), over the same blanked code. Stops at `stop_line`'s brace when given.
std::vector<std::pair<int, size_t>> enclosing_braces(const SourceText& file, int line,
                                                     size_t end_column = std::string::npos) {
  std::vector<std::pair<int, size_t>> out;
  int depth = 0;
  for (int i = std::min<int>(line, static_cast<int>(file.code.size())) - 1; i >= 0; --i) {
    const std::string& code = file.code[static_cast<size_t>(i)];
    size_t from = (i == line - 1 && end_column != std::string::npos)
                      ? std::min(end_column, code.size())
                      : code.size();
    for (size_t pos = from; pos-- > 0;) {
      char c = code[pos];
      if (c == '}') ++depth;
      if (c != '{') continue;
      if (depth > 0) {
        --depth;
        continue;
      }
      out.emplace_back(i + 1, pos);
    }
  }
  return out;
}

}  // namespace

int main() {
  dla::SourceFiles files;
  std::map<std::string, double> micros;
  std::string row;
  while (std::getline(std::cin, row)) {
    std::istringstream in(row);
    std::string path, line_text, lang_text, literal_text, function;
    std::getline(in, path, '\t');
    std::getline(in, line_text, '\t');
    std::getline(in, lang_text, '\t');
    std::getline(in, literal_text, '\t');
    std::getline(in, function);
    int line = std::stoi(line_text);
    SourceLanguage lang = lang_text == "go" ? SourceLanguage::kGo : SourceLanguage::kC;
    auto t0 = std::chrono::steady_clock::now();
    const SourceText* file = files.get(path);  // loading blanks comments and literals
    if (file == nullptr) {
      std::cerr << path << ": cannot read\n";
      return 2;
    }
    bool literal = literal_text == "1";
    std::optional<dla::FunctionScope> fn = dla::function_at(lang, *file, line, literal);
    int end_line = fn ? dla::body_end_line(*file, *fn) : 0;
    std::vector<dla::LockCall> held;
    std::vector<dla::LockCall> calls;
    // The blocks around the start of the line (a frame standing on "if x {" is in the if's
    // header, not in its block), and the function's own body when it opens on the line.
    std::vector<std::pair<int, size_t>> chain = enclosing_braces(*file, line, 0);
    if (fn && fn->body_line == line) chain.insert(chain.begin(), {fn->body_line, fn->body_column});

    // Per lock call: the reader's innermost brace around it, and its function.
    struct CallInfo {
      dla::LockCall call;
      int brace_line = 0;
      size_t brace_column = 0;
      bool other_function = false;
    };
    std::vector<CallInfo> infos;
    if (fn) {
      held = dla::locks_held_at(lang, *file, *fn, line);
      std::vector<dla::GuardBinding> guards;
      for (int i = fn->body_line; i < line; ++i) {
        std::string code = file->code[static_cast<size_t>(i - 1)];
        if (i == fn->body_line) code.replace(0, fn->body_column + 1, fn->body_column + 1, ' ');
        for (dla::LockCall& c : dla::find_lock_calls(lang, code, i, guards)) {
          CallInfo info;
          auto braces = enclosing_braces(*file, i, c.column);
          if (!braces.empty()) {
            info.brace_line = braces.front().first;
            info.brace_column = braces.front().second;
          }
          auto call_fn = dla::function_at(lang, *file, i);
          info.other_function = !call_fn || call_fn->body_line != fn->body_line ||
                                call_fn->body_column != fn->body_column;
          info.call = std::move(c);
          infos.push_back(std::move(info));
        }
      }
    }
    auto t1 = std::chrono::steady_clock::now();
    micros[path] += std::chrono::duration<double, std::micro>(t1 - t0).count();

    std::ostringstream out;
    out << "{\"file\":" << json_string(path) << ",\"line\":" << line
        << ",\"language\":" << json_string(lang_text)
        << ",\"frame_literal\":" << (literal ? "true" : "false")
        << ",\"frame_function\":" << json_string(function);
    if (fn) {
      out << ",\"function\":{\"name\":" << json_string(fn->name)
          << ",\"header_line\":" << fn->header_line << ",\"body_line\":" << fn->body_line
          << ",\"end_line\":" << end_line << ",\"literal\":" << (fn->literal ? "true" : "false")
          << "}";
    } else {
      out << ",\"function\":null";
    }
    out << ",\"blocks\":[";
    bool first = true;
    for (auto [l, c] : chain) {
      if (fn && (l < fn->body_line || (l == fn->body_line && c < fn->body_column))) break;
      out << (first ? "" : ",") << l;
      first = false;
    }
    out << "],\"calls\":[";
    first = true;
    for (const CallInfo& info : infos) {
      const dla::LockCall& c = info.call;
      bool is_held = false;
      for (const dla::LockCall& h : held) {
        // The walk reads statements with their indentation trimmed: columns differ, lines not.
        is_held |= h.line == c.line && h.expression == c.expression && h.shared == c.shared;
      }
      bool open = false;
      for (auto [l, col] : chain) open |= l == info.brace_line && col == info.brace_column;
      out << (first ? "" : ",") << "{\"line\":" << c.line << ",\"column\":" << c.column
          << ",\"expression\":" << json_string(c.expression)
          << ",\"release\":" << (c.release ? "true" : "false")
          << ",\"shared\":" << (c.shared ? "true" : "false")
          << ",\"deferred\":" << (c.deferred ? "true" : "false")
          << ",\"block_scoped\":" << (c.block_scoped ? "true" : "false")
          << ",\"open\":" << (open ? "true" : "false")
          << ",\"in_literal\":" << (info.other_function ? "true" : "false")
          << ",\"held\":" << (is_held ? "true" : "false") << "}";
      first = false;
    }
    out << "]}";
    std::cout << out.str() << "\n";
  }
  for (const auto& [path, us] : micros) {
    std::cout << "{\"timing\":" << json_string(path) << ",\"micros\":" << us << "}\n";
  }
  return 0;
}
