// The published JSON contract (schemas/dlanalyze-1.schema.json,
// schemas/dlanalyze-diff-1.schema.json) against what dlanalyze prints: the JSON of every dump in
// testdata/ (text dumps and cores, with and without --all-tasks) and of diff over every series,
// checked strictly (a field the code emits that the schema does not declare fails), and every name
// the code can put in an enum-like field is in the schema's enum. So the contract cannot drift from
// the code.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "graph/diff.h"
#include "graph/patterns.h"
#include "json_schema.h"
#include "render/diff_json.h"
#include "render/json.h"
#include "test_util.h"

using namespace dla;
using dla::test::SchemaChecker;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

Json schema(const std::string& name) {
  std::ifstream in(std::string(DLA_SOURCE_DIR) + "/schemas/" + name);
  REQUIRE(in.good());
  return Json::parse(in);
}

// Files in testdata/ that are not dumps by their name: notes, scripts, truths, programs.
bool not_a_dump(const fs::path& p) {
  static const std::vector<std::string> kSuffixes = {
      ".md", ".sh", ".py", ".tsv", ".json", ".gitignore", ".exe.xz", ".unstripped.xz"};
  std::string name = p.filename().string();
  for (const std::string& s : kSuffixes) {
    if (name.ends_with(s)) return true;
  }
  return name == "exe.xz" || name.find("truth") != std::string::npos;  // exe.xz: the corpus
}

// Every file under testdata/ that may be a dump, in a stable order; programs, fuzz seeds and
// the capturing machine's libraries (sysroot-deb12) excluded.
std::vector<fs::path> candidate_dumps() {
  std::vector<fs::path> out;
  fs::path root = DLA_TESTDATA;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    std::string name = it->path().filename().string();
    if (it->is_directory() &&
        (name == "programs" || name == "fuzz" || name.starts_with("sysroot"))) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && !not_a_dump(it->path())) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The executable for a compressed core: NAME.exe beside NAME.core, else exe beside core.xz
// (the corpus), else the one executable of the directory (testdata/gocore).
std::string executable_for(const fs::path& core) {
  fs::path dir = core.parent_path();
  std::string stem = core.filename().string();
  stem = stem.substr(0, stem.find('.'));
  std::vector<fs::path> tries = {dir / (stem + ".exe.xz"), dir / "exe.xz"};
  std::vector<fs::path> any;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().ends_with(".exe.xz")) any.push_back(e.path());
  }
  if (any.size() == 1) tries.push_back(any.front());
  for (const fs::path& t : tries) {
    if (fs::exists(t)) {
      std::string relative = fs::relative(t, DLA_TESTDATA).string();
      return test::unpack_xz(relative.substr(0, relative.size() - 3));
    }
  }
  return "";
}

// Where the programs behind a dump keep their source: testdata/<kind>/programs, looked up by
// the last path elements of each frame's file.
std::vector<std::string> source_roots(const fs::path& dump) {
  fs::path kind = *fs::relative(dump, DLA_TESTDATA).begin();
  fs::path programs = fs::path(DLA_TESTDATA) / kind / "programs";
  if (fs::is_directory(programs)) return {programs.string()};
  return {};
}

struct Checked {
  size_t dumps = 0;
  std::vector<std::string> not_read;  // files no parser took: not dumps
};

void check_all(const std::vector<fs::path>& paths, bool cores) {
  SchemaChecker checker(schema("dlanalyze-1.schema.json"));
  Checked checked;
  for (const fs::path& p : paths) {
    bool is_core = p.extension() == ".xz";
    if (is_core != cores) continue;
    std::string relative = fs::relative(p, DLA_TESTDATA).string();
    PipelineOptions options;
    options.source_roots = source_roots(p);
    std::string path = p.string();
    if (is_core) {
      options.parse.core.exe = executable_for(p);
      // C and C++ cores unwind through the capturing machine's glibc, as their own tests read
      // them; a Go program's core maps no shared library.
      if (!relative.starts_with("gocore/")) options.parse.core.sysroot = test::cores_sysroot();
      path = test::unpack_xz(relative.substr(0, relative.size() - 3));
    }
    std::optional<AnalyzedSnapshot> a;
    try {
      InputFile file(path);
      a = analyze_input({path, file.bytes()}, options);
    } catch (const Error&) {
      checked.not_read.push_back(relative);
      continue;
    }
    ++checked.dumps;
    for (bool all_tasks : {false, true}) {
      Json doc = Json::parse(render_json(a->snapshot, a->findings, {all_tasks}));
      std::vector<std::string> errors = checker.check(doc);
      INFO(relative << (all_tasks ? " --all-tasks" : ""));
      CHECK(errors == std::vector<std::string>{});
    }
  }
  // A corpus that stopped being read fails here; the files no parser read (notes, dlv output,
  // the formats testdata/wild collects and dlanalyze refuses) are listed for the eye.
  INFO("not read as dumps: " << fmt::format("{}", fmt::join(checked.not_read, ", ")));
  CHECK(checked.dumps >= (cores ? 45 : 300));
}

std::string enum_values(const Json& s) {
  return s.at("enum").dump();
}

bool in_enum(const Json& s, const std::string& value) {
  const Json& e = s.at("enum");
  return std::find(e.begin(), e.end(), Json(value)) != e.end();
}

}  // namespace

TEST_CASE("JsonSchemaCheckerRejectsWhatTheContractDoesNotAllow") {
  SchemaChecker checker(schema("dlanalyze-1.schema.json"));
  auto a = test::analyze_file("jvm/monitor_cycle.jstack-l.txt");
  Json good = Json::parse(render_json(a.snapshot, a.findings, {}));
  REQUIRE(checker.check(good).empty());

  Json missing = good;
  missing.erase("verdict");
  CHECK(checker.check(missing) == std::vector<std::string>{"$: lacks \"verdict\""});

  Json undeclared = good;
  undeclared["cycles"][0]["colour"] = "red";
  CHECK(checker.check(undeclared) ==
        std::vector<std::string>{"$.cycles[0]: has colour, which the schema does not declare"});

  Json wrong_type = good;
  wrong_type["tasks"][0]["lwp"] = "11973";
  CHECK(
      checker.check(wrong_type) ==
      std::vector<std::string>{"$.tasks[0].lwp: is \"11973\", not of type [\"integer\",\"null\"]"});

  Json bad_evidence = good;
  bad_evidence["resources"]["r1"]["holders"][0]["evidence"] = "hunch";
  CHECK(checker.check(bad_evidence).size() == 1);

  Json bad_resource_id = good;
  bad_resource_id["cycles"][0]["members"][0]["waits_for"] = "lock1";
  CHECK(checker.check(bad_resource_id).size() == 1);

  // The published schema leaves objects open (fields are only ever added): not strict, an
  // undeclared field passes.
  SchemaChecker open(schema("dlanalyze-1.schema.json"), false);
  CHECK(open.check(undeclared).empty());
}

TEST_CASE("JsonContractHoldsForEveryTextDumpInTestdata") {
  check_all(candidate_dumps(), false);
}

TEST_CASE("JsonContractHoldsForEveryCoreInTestdata") {
  check_all(candidate_dumps(), true);
}

// Every series of testdata/series: its dumps grouped by format (a debug=1 and a debug=2 series
// of one program are two diffs), each group of two files or more diffed in name order, and each
// file holding several dumps diffed alone.
TEST_CASE("JsonDiffContractHoldsForEverySeriesInTestdata") {
  SchemaChecker checker(schema("dlanalyze-diff-1.schema.json"));
  size_t diffs = 0;
  for (const auto& entry : fs::directory_iterator(test::testdata("series"))) {
    if (!entry.is_directory() || entry.path().filename() == "programs") continue;
    std::map<std::string, std::vector<std::vector<AnalyzedSnapshot>>> by_format;
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(entry.path())) {
      if (f.is_regular_file() && !not_a_dump(f.path())) files.push_back(f.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      InputFile file(f.string());
      std::vector<AnalyzedSnapshot> dumps = analyze_all_dumps({f.string(), file.bytes()});
      REQUIRE(!dumps.empty());
      std::string format = dumps.front().snapshot.format;
      if (dumps.size() > 1)
        by_format["several in " + f.string()].push_back(std::move(dumps));
      else
        by_format[format].push_back(std::move(dumps));
    }
    for (const auto& [format, inputs] : by_format) {
      std::vector<DiffInput> diff_inputs;
      for (const auto& dumps : inputs) {
        for (const AnalyzedSnapshot& a : dumps)
          diff_inputs.push_back({&a.snapshot, &a.findings, {}});
      }
      if (diff_inputs.size() < 2) continue;
      Json doc = Json::parse(render_diff_json(diff_snapshots(diff_inputs)));
      INFO(entry.path().filename().string() << ": " << format);
      CHECK(checker.check(doc) == std::vector<std::string>{});
      ++diffs;
    }
  }
  CHECK(diffs >= 9);
}

// The names the code can print, every one of them, are in the schemas' enums.
TEST_CASE("JsonSchemaEnumsNameEveryValueTheCodePrints") {
  Json one = schema("dlanalyze-1.schema.json");
  Json diff = schema("dlanalyze-diff-1.schema.json");
  const Json& defs = one.at("$defs");
  for (int k = 0; k <= static_cast<int>(ResourceKind::kUnknown); ++k) {
    std::string name = to_string(static_cast<ResourceKind>(k));
    INFO(name);
    CHECK(in_enum(defs.at("resource_kind"), name));
    CHECK(in_enum(diff.at("properties")
                      .at("parked_longer")
                      .at("items")
                      .at("properties")
                      .at("waits_for")
                      .at("properties")
                      .at("kind"),
                  name));
  }
  for (int e = 0; e <= static_cast<int>(Evidence::kInferred); ++e) {
    CHECK(in_enum(defs.at("evidence"), to_string(static_cast<Evidence>(e))));
  }
  for (int c = 0; c <= static_cast<int>(Confidence::kPossible); ++c) {
    CHECK(in_enum(defs.at("confidence"), to_string(static_cast<Confidence>(c))));
  }
  const Json& snapshot_verdict =
      diff.at("properties").at("inputs").at("items").at("properties").at("verdict");
  for (int v = 0; v <= static_cast<int>(Findings::Verdict::kDeadlock); ++v) {
    const char* name = to_string(static_cast<Findings::Verdict>(v));
    CHECK(in_enum(one.at("properties").at("verdict"), name));
    CHECK(in_enum(snapshot_verdict, name));  // each snapshot of a diff, as dlanalyze/1
  }
  for (int u = 1; u <= static_cast<int>(Findings::Unproven::kHoldersUnknown); ++u) {
    CHECK(in_enum(one.at("properties").at("unproven_because"),
                  to_string(static_cast<Findings::Unproven>(u))));
  }
  for (int v = 0; v <= static_cast<int>(Diff::Verdict::kDeadlock); ++v) {
    CHECK(in_enum(diff.at("properties").at("verdict"), to_string(static_cast<Diff::Verdict>(v))));
  }
  for (int b = 0; b <= static_cast<int>(OrderBasis::kArgumentOrder); ++b) {
    CHECK(in_enum(diff.at("properties").at("order").at("properties").at("by"),
                  to_string(static_cast<OrderBasis>(b))));
  }
  for (const PatternInfo& p : all_patterns()) CHECK(in_enum(defs.at("pattern"), std::string(p.id)));
  for (const auto& parser : all_parsers()) {
    std::string name(parser->name());
    INFO(name << " in " << enum_values(defs.at("format")));
    CHECK(in_enum(defs.at("format"), name));
  }
}
