// What a user meets before any analysis: --help on one screen with the common uses first,
// usage errors that say what was meant, a man page that names every option --help lists and
// that groff renders without a warning, and shell completions (generated from the command
// line's definition at build time) that complete verbs, options and format names.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>

#include "cli/app.h"
#include "test_util.h"

using dla::test::read_file;
using dla::test::testdata;

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run run(std::vector<std::string> args) {
  args.insert(args.begin(), "dlanalyze");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = dla::run_cli(static_cast<int>(argv.size()), argv.data(), out, err, false);
  return {code, out.str(), err.str()};
}

Run shell(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, ""};
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

const std::string kManPage = std::string(DLA_SOURCE_DIR) + "/man/dlanalyze.1";

// Options (--name, -x) and verbs that --help lists.
std::set<std::string> help_names(const std::string& help) {
  std::set<std::string> out;
  std::regex option(R"((^|[ ,])(--?[a-z][a-z-]*))");
  bool verbs = false;
  for (const std::string& line : lines(help)) {
    if (line.starts_with("Verbs")) {
      verbs = true;
      continue;
    }
    if (!line.starts_with("  ")) verbs = false;  // the next heading
    if (verbs) {
      out.insert(line.substr(2, line.find(' ', 2) - 2));
      continue;
    }
    // Option lines and the heading that names -h, --help, --version; not the examples.
    if (!line.starts_with("  -") && !line.starts_with("Options")) continue;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), option);
         it != std::sregex_iterator(); ++it) {
      out.insert((*it)[2]);
    }
  }
  return out;
}

// A name as the man page's source spells it: every hyphen escaped.
std::string troff(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

// What bash's completion of `line` (completing the last word, "" for a new word) offers.
std::vector<std::string> complete(const std::vector<std::string>& words) {
  std::string array;
  for (const std::string& w : words) array += " '" + w + "'";
  std::string script = fmt::format(
      "source '{}/dlanalyze.bash'; COMP_WORDS=({}); COMP_CWORD={}; cd '{}'; _dlanalyze; "
      "(( ${{#COMPREPLY[@]}} )) && printf '%s\\n' \"${{COMPREPLY[@]}}\" | sort; true",
      DLA_COMPLETIONS_DIR, array, words.size() - 1, DLA_SOURCE_DIR);
  std::string quoted;
  for (char c : script) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  Run r = shell("bash --norc --noprofile -c '" + quoted + "'");
  REQUIRE(r.code == 0);
  return lines(r.out);
}

using Words = std::vector<std::string>;

}  // namespace

TEST_CASE("HelpFitsOneScreenWithTheFourCommonUsesFirst") {
  Run help = run({"--help"});
  CHECK(help.code == 0);
  std::vector<std::string> l = lines(help.out);
  CHECK(l.size() <= 24);
  for (const std::string& line : l) {
    INFO(line);
    CHECK(line.size() <= 80);
  }
  REQUIRE(l.size() >= 7);
  CHECK(l[2] == "Common uses:");
  CHECK(l[3].starts_with("  dlanalyze dump.txt "));
  CHECK(l[4].starts_with("  dlanalyze core.1234 "));
  CHECK(l[5].starts_with("  curl -s 'localhost:6060/debug/pprof/goroutine?debug=2' | dlanalyze -"));
  CHECK(l[6].starts_with("  dlanalyze diff a.txt b.txt "));
  // Generated from the definition: every option, with the values it takes.
  CHECK(help.out.find("--input-format NAME") != std::string::npos);
  CHECK(help.out.find("jvm, jvm-sa, jvm-json, openj9, gdb, go-debug2, go-debug1, core") !=
        std::string::npos);
  CHECK(help.out.find("  diff ") != std::string::npos);
  CHECK(help.out.find("  gdb-commands ") != std::string::npos);
  CHECK(help.out.find("--print-completion") == std::string::npos);  // hidden: for the build
}

TEST_CASE("VerbHelpGivesItsUsageAndDescription") {
  Run help = run({"diff", "--help"});
  CHECK(help.code == 0);
  CHECK(help.out.starts_with("Usage: dlanalyze diff [OPTIONS] FILE...\n\nCompare snapshots"));
  CHECK(help.out.find("Options: those of dlanalyze (dlanalyze --help).") != std::string::npos);
}

TEST_CASE("UsageErrorsSayWhatWasMeant") {
  std::string dump = testdata("jvm/monitor_cycle.jstack-l.txt");
  SECTION("a misspelt option: the nearest one") {
    Run r = run({dump, "--outptu-format", "json"});
    CHECK(r.code == 2);
    CHECK(r.err ==
          "dlanalyze: unknown option '--outptu-format'; did you mean '--output-format'?\n"
          "Run 'dlanalyze --help' for usage.\n");
  }
  SECTION("a misspelt option with its value") {
    Run r = run({dump, "--colour=never"});
    CHECK(
        r.err.starts_with("dlanalyze: unknown option '--colour=never'; did you mean '--color'?\n"));
  }
  SECTION("an abbreviation") {
    Run r = run({dump, "--sys", "/"});
    CHECK(r.err.starts_with("dlanalyze: unknown option '--sys'; did you mean '--sysroot'?\n"));
  }
  SECTION("nothing near") {
    Run r = run({dump, "--frobnicate"});
    CHECK(r.err.starts_with("dlanalyze: unknown option '--frobnicate'\n"));
  }
  SECTION("an unknown input format: every format") {
    Run r = run({dump, "--input-format", "jstak"});
    CHECK(r.code == 2);
    CHECK(r.err ==
          "dlanalyze: --input-format: unknown value 'jstak'; one of: jvm, jvm-sa, jvm-json, "
          "openj9, gdb, go-debug2, go-debug1, core\nRun 'dlanalyze --help' for usage.\n");
  }
  SECTION("an unknown output format: the nearest and every format") {
    Run r = run({dump, "--output-format", "jsn"});
    CHECK(r.err.starts_with(
        "dlanalyze: --output-format: unknown value 'jsn' (did you mean 'json'?); one of: text, "
        "json"));
  }
  SECTION("two dumps to a plain run: diff") {
    Run r = run({"a.txt", "b.txt"});
    CHECK(r.code == 2);
    CHECK(r.err.starts_with(
        "dlanalyze: unexpected argument 'b.txt': one dump at a time (to compare snapshots over "
        "time: dlanalyze diff a.txt b.txt)\n"));
  }
  SECTION("a misspelt verb") {
    Run r = run({"dif", "a.txt", "b.txt"});
    CHECK(r.err.starts_with(
        "dlanalyze: unexpected argument 'a.txt': did you mean 'dlanalyze diff a.txt b.txt'?\n"));
  }
}

TEST_CASE("ManPageNamesEveryOptionAndVerbThatHelpLists") {
  std::string man = read_file(kManPage);
  std::set<std::string> names = help_names(run({"--help"}).out);
  CHECK(names.count("--input-format") == 1);
  CHECK(names.count("-e") == 1);
  CHECK(names.count("diff") == 1);
  CHECK(names.count("gdb-commands") == 1);
  CHECK(names.count("report") == 1);
  CHECK(names.count("--version") == 1);
  CHECK(names.size() == 16);
  for (const std::string& name : names) {
    INFO(name);
    CHECK(man.find(troff(name)) != std::string::npos);
  }
  // And every input format and exit status.
  for (std::string section : {".SH INPUT FORMATS", ".SH OUTPUT FORMATS", ".SH EXIT STATUS",
                              ".SH ENVIRONMENT", ".SH FILES", ".SH EXAMPLES"}) {
    INFO(section);
    CHECK(man.find(section) != std::string::npos);
  }
}

TEST_CASE("ManPageRendersWithoutGroffWarnings") {
  Run r = shell("groff -ww -z -man '" + kManPage + "'");
  CHECK(r.code == 0);
  CHECK(r.out == "");
  // Lines wider than the terminal are a rendering problem too: as man shows it at 80 columns.
  Run text = shell("groff -ww -man -Tutf8 -P-cbou '" + kManPage + "'");
  CHECK(text.code == 0);
  CHECK(text.out.find("dlanalyze diff") != std::string::npos);
  for (const std::string& line : lines(text.out)) {
    size_t width = std::count_if(line.begin(), line.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // UTF-8: count lead bytes only
    });
    INFO(line);
    CHECK(width <= 80);
  }
}

TEST_CASE("BashCompletionCompletesVerbsOptionsAndFormats") {
  CHECK(complete({"dlanalyze", "d"}) == Words{"diff"});
  CHECK(complete({"dlanalyze", "g"}) == Words{"gdb-commands", "graph"});  // a verb or a file
  CHECK(complete({"dlanalyze", "--input-f"}) == Words{"--input-format"});
  CHECK(complete({"dlanalyze", "--input-format", ""}) ==
        Words{"core", "gdb", "go-debug1", "go-debug2", "jvm", "jvm-json", "jvm-sa", "openj9"});
  CHECK(complete({"dlanalyze", "--input-format", "go"}) == Words{"go-debug1", "go-debug2"});
  CHECK(complete({"dlanalyze", "--output-format", "=", ""}) == Words{"dot", "json", "text"});
  CHECK(complete({"dlanalyze", "--color", "=", "a"}) == Words{"always", "auto"});
  CHECK(complete({"dlanalyze", "--max-groups", ""}) == Words{});
  // Files after a verb and as the plain run's input; directories for a DIR option.
  CHECK(complete({"dlanalyze", "diff", "testdata/series/go_leak/leak.1"}) ==
        Words{"testdata/series/go_leak/leak.10.debug1.txt",
              "testdata/series/go_leak/leak.10.debug2.txt",
              "testdata/series/go_leak/leak.110.debug1.txt",
              "testdata/series/go_leak/leak.110.debug2.txt"});
  CHECK(complete({"dlanalyze", "testdata/jvm/monitor_cycle.js"}) ==
        Words{"testdata/jvm/monitor_cycle.jstack-l.txt", "testdata/jvm/monitor_cycle.jstack.txt"});
  CHECK(complete({"dlanalyze", "--sysroot", "testdata/co"}) ==
        Words{"testdata/core", "testdata/corpus"});
  // The plain run's options apply after diff; gdb-commands takes none.
  CHECK(complete({"dlanalyze", "diff", "a.txt", "--output-f"}) == Words{"--output-format"});
  CHECK(complete({"dlanalyze", "gdb-commands", "--"}) == Words{"--help"});
  // An option's value is not mistaken for a verb.
  CHECK(complete({"dlanalyze", "--exe", "diff", "--all"}) == Words{"--all-tasks"});
}

TEST_CASE("ZshAndFishCompletionsAreGeneratedWithEveryOption") {
  for (std::string file : {"_dlanalyze", "dlanalyze.fish"}) {
    std::string text = read_file(std::string(DLA_COMPLETIONS_DIR) + "/" + file);
    INFO(file);
    for (std::string name :
         {"input-format", "output-format", "color", "source-root", "exe", "sysroot", "debug-dir",
          "all-tasks", "max-groups", "diff", "gdb-commands",
          "jvm jvm-sa jvm-json openj9 gdb go-debug2 go-debug1 core"}) {
      INFO(name);
      CHECK(text.find(name) != std::string::npos);
    }
    std::string code;  // without the comments, which say how the file was made
    for (const std::string& line : lines(text)) {
      if (!line.starts_with("#")) code += line + "\n";
    }
    CHECK(code.find("print-completion") == std::string::npos);
  }
  // Each shell parses its script, where it is installed.
  if (shell("command -v zsh").code == 0) {
    CHECK(shell(fmt::format("zsh -n '{}/_dlanalyze'", DLA_COMPLETIONS_DIR)).out == "");
  }
  if (shell("command -v fish").code == 0) {
    std::string fish = fmt::format("{}/dlanalyze.fish", DLA_COMPLETIONS_DIR);
    CHECK(shell("fish --no-execute '" + fish + "'").out == "");
    // fish completes a command line on request: the formats, a verb, an option after diff.
    Run formats = shell("fish -c 'source " + fish + "; complete -C \"dlanalyze --input-format \"'");
    CHECK(formats.out ==
          "core\tFormat\ngdb\tFormat\ngo-debug1\tFormat\ngo-debug2\tFormat\njvm\tFormat\n"
          "jvm-json\tFormat\njvm-sa\tFormat\nopenj9\tFormat\n");
    CHECK(shell("fish -c 'source " + fish + "; complete -C \"dlanalyze di\"'").out ==
          "diff\tCompare snapshots of one process taken over time\n");
    CHECK(shell("fish -c 'source " + fish + "; complete -C \"dlanalyze diff --all\"'").out ==
          "--all-tasks\tJSON: every task, not only those findings name\n");
  }
}
