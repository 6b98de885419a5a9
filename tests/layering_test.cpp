// The data flow cli → parsers → graph → render, as ../shared/DESIGN.md draws it, checked on the
// sources: a stage includes only itself and the stages below it (graph/ knows no input format and
// no output, a parser knows no renderer, a renderer no input format). A new include across the
// flow fails here, not in a review a year later.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

// Which project folders each stage may include from.
const std::map<std::string, std::set<std::string>> kMayInclude = {
    {"graph", {"graph"}},
    {"parsers", {"parsers", "graph"}},
    {"render", {"render", "graph"}},
    {"cli", {"cli", "parsers", "graph", "render"}},
};

// The project folder an #include "folder/file.h" line names, or "" for any other line.
std::string included_folder(const std::string& line) {
  const std::string directive = "#include \"";
  if (line.rfind(directive, 0) != 0) return "";
  std::string path = line.substr(directive.size());
  size_t slash = path.find('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

}  // namespace

TEST_CASE("LayeringEachStageIncludesOnlyTheStagesBelowIt") {
  namespace fs = std::filesystem;
  int files = 0;
  std::vector<std::string> crossings;
  for (const auto& [stage, allowed] : kMayInclude) {
    for (const fs::directory_entry& e : fs::directory_iterator(fs::path(DLA_SOURCE_DIR) / stage)) {
      std::string ext = e.path().extension().string();
      if (ext != ".h" && ext != ".cpp") continue;
      ++files;
      std::ifstream in(e.path());
      std::string line;
      for (int number = 1; std::getline(in, line); ++number) {
        std::string folder = included_folder(line);
        if (kMayInclude.count(folder) != 0 && allowed.count(folder) == 0) {
          crossings.push_back(stage + "/" + e.path().filename().string() + ":" +
                              std::to_string(number) + " includes " + folder + "/");
        }
      }
    }
  }
  CHECK(files > 40);  // the folders were found and read
  CHECK(crossings == std::vector<std::string>{});
}

TEST_CASE("LayeringCheckReadsIncludeLines") {
  CHECK(included_folder("#include \"render/text.h\"") == "render");
  CHECK(included_folder("#include <fmt/format.h>").empty());
  CHECK(included_folder("// #include \"render/text.h\"").empty());
}
