// The source files a dump's frames name, found and read once. A frame prints the path the program
// was built from; the user says where that tree is now with --source-root: "OLD=NEW" rewrites a
// path prefix (a file under OLD is then looked for only under NEW), "DIR" looks a file up under
// DIR by its last path elements (and, for Java, by package path: see find_java_class). Each file
// is kept twice: as written, and as code — comments and the insides of string and character
// literals blanked, line by line, so that a brace or a Lock() in a comment is never read as code.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dla {

struct SourceText {
  std::string path;                     // where it was read from
  std::string text;                     // the whole file
  std::vector<std::string_view> lines;  // as written, 0-based
  std::vector<std::string> code;        // the same lines, comments and literals blanked
};

class SourceFiles {
 public:
  explicit SourceFiles(std::vector<std::string> roots = {});

  // The file a frame names, or nullptr when it cannot be read (recorded in missing()).
  const SourceText* get(std::string_view path);
  // The other files of the directory `file` was read from whose names end in `suffix` (".go"):
  // a Go package's files, for its package-level variables. Read on first use.
  std::vector<const SourceText*> siblings(const SourceText& file, std::string_view suffix);
  // Java: frames print the class and the file's name only ("com.example.app.PriceCache.total",
  // "PriceCache.java"): the file is looked up under each --source-root DIR by its package path
  // (com/example/app/PriceCache.java), at any depth, so that a Maven or Gradle tree of several
  // modules (*/src/main/java/…) is found from its top. Nested and anonymous classes and lambdas
  // (Foo$Inner.run, Foo$1.run, Foo.lambda$run$0) live in the file the frame names. nullptr when
  // no file or more than one matches (recorded in missing() as the package path).
  const SourceText* find_java(std::string_view function, std::string_view file_name);
  // Every .java file under the --source-root directories: the program, for questions about all
  // of it (where a class is instantiated, who can call countDown()).
  std::vector<const SourceText*> all_java();
  // Paths asked for that could not be read, in the order first asked.
  const std::vector<std::string>& missing() const { return missing_; }

 private:
  std::unique_ptr<SourceText> load(const std::string& path) const;
  std::vector<std::pair<std::string, std::string>> rewrites_;
  std::vector<std::string> search_dirs_;
  std::map<std::string, std::unique_ptr<SourceText>, std::less<>> cache_;         // by path asked
  std::map<std::string, std::unique_ptr<SourceText>, std::less<>> by_real_path_;  // siblings
  std::vector<std::string> missing_;
  bool java_indexed_ = false;
  std::vector<std::string> java_files_;  // every .java under the search dirs, full paths
};

// The package path of a Java frame's file: "com.example.app.Foo$1.run" + "Foo.java" →
// "com/example/app/Foo.java"; empty when the function has no package and class.
std::string java_package_path(std::string_view function, std::string_view file_name);

// Comments and literal contents blanked, for C, C++, Go and Java alike: "…" and '…' with
// escapes, Go's raw `…` (across lines), // to the end of a line, /* … */ across lines.
std::vector<std::string> code_lines(const std::vector<std::string_view>& lines);

}  // namespace dla
