// The Java program as resolve_java reads it: every class under --source-root with its fields, and
// whether the program holds exactly one instance of a class (resolve_java.h says when it does).
// Internal to the Java holder inference (graph/resolve_java.cpp and its java_*.cpp parts).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "graph/lock_idioms.h"
#include "graph/source_files.h"

namespace dla::java {

using L = SourceLanguage;

// A Java identifier character (letters, digits, '_', '$').
bool is_ident(char c);
// Whether the whole word `w` stands at `pos` of `s`.
bool word_at(std::string_view s, size_t pos, std::string_view w);
// "java.util.List<String>" → "List"; "Foo[]" → "" (an array is no class of the program).
std::string simple_type(std::string_view t);

struct Field {
  std::string type;  // simple name
  std::string init;  // initializer as written, trimmed
  bool is_static = false;
  bool is_final = false;
  int line = 0;
};

struct ClassInfo {
  const SourceText* file = nullptr;
  std::string name;
  int body_line = 0;  // 0-based line and column of the body's '{'
  size_t body_col = 0;
  int end_line = 0;  // 0-based line of the closing '}'
  bool is_interface = false;
  std::string header;  // from the name to the '{': "Foo extends Bar implements Baz"
  bool fields_read = false;
  std::map<std::string, Field, std::less<>> fields;
};

class Program {
 public:
  explicit Program(SourceFiles& sources);

  const std::vector<const SourceText*>& files() const { return files_; }

  ClassInfo* find(std::string_view name);

  const Field* field(ClassInfo& c, std::string_view name);

  ClassInfo* class_at(const SourceText& file, int line);

  // Some program frame's file is not under --source-root: code not read may create instances,
  // so no class is proven single.
  void set_incomplete() { complete_ = false; }

  bool single(std::string_view name, int depth = 0);

 private:
  void add_class(const SourceText& f, int line, size_t col, const std::string& kind,
                 const std::string& name);

  static int end_of_block(const SourceText& f, int line, size_t col);

  void read_fields(ClassInfo& c);

  static bool stmt_opens_initializer(const std::string& stmt);

  static void add_field(ClassInfo& c, std::string stmt, int line);

  bool decide_single(const std::string& name, int depth);

  bool runs_once(const SourceText& f, int line, size_t col, int depth);

  static bool keyword_block(std::string_view h);

  bool main_called_once();

  std::vector<const SourceText*> files_;
  std::multimap<std::string, ClassInfo> classes_;
  std::map<std::string, bool> single_;
  bool complete_ = true;
};

}  // namespace dla::java
