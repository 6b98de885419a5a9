#include "cli/app.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <map>

#include "cli/input_file.h"
#include "cli/pipeline.h"
#include "gdb_commands.h"
#include "parsers/registry.h"
#include "render/dot.h"
#include "render/json.h"
#include "render/text.h"
#include "version.h"

namespace dla {

namespace {

struct Options {
  std::string input;
  std::string output_format = "text";
  std::string color = "auto";
  bool all_tasks = false;
  PipelineOptions pipeline;  // --input-format, --source-root, core options
  size_t max_groups = 10;
};

std::string formats_help() {
  std::string help = "Input format, when detection should be overridden:";
  for (const auto& parser : all_parsers()) {
    help += fmt::format("\n  {:<6} {}", parser->name(), parser->description());
  }
  return help;
}

bool use_color(const std::string& mode, bool stdout_is_tty) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return stdout_is_tty && std::getenv("NO_COLOR") == nullptr &&
         !(term != nullptr && std::string_view(term) == "dumb");
}

// Exit code from what was found. A damaged input in which nothing was found cannot be called
// clean: the damage may hide the cycle.
int exit_code(const Snapshot& s, const Findings& f) {
  if (f.verdict() != Findings::Verdict::kClean) return kExitFound;
  return s.damaged ? kExitError : kExitClean;
}

int analyze(const Options& o, std::ostream& out, std::ostream& err, bool stdout_is_tty) {
  InputFile file(o.input);
  auto [snapshot, findings] = analyze_input({o.input, file.bytes()}, o.pipeline);
  for (const auto* list : {&snapshot.warnings, &findings.warnings}) {
    for (const Warning& w : *list) {
      err << "dlanalyze: warning: " << (w.where.empty() ? "" : w.where + ": ") << w.message << "\n";
    }
  }
  if (o.output_format == "json") {
    out << render_json(snapshot, findings, {o.all_tasks});
  } else if (o.output_format == "dot") {
    DotOptions dot;
    dot.max_groups = o.max_groups;
    out << render_dot(snapshot, findings, dot);
  } else {
    TextOptions text;
    text.color = use_color(o.color, stdout_is_tty);
    text.max_groups = o.max_groups;
    out << render_text(snapshot, findings, text);
  }
  out.flush();
  return exit_code(snapshot, findings);
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            bool stdout_is_tty) {
  CLI::App app{
      "dlanalyze: post-mortem deadlock analysis of thread dumps.\n"
      "Reads a dump (a file, or - for standard input), finds the cycles of the resource-wait\n"
      "graph, names the holder of each lock and how it knows.\n"
      "Exit: 0 no deadlock found, 1 deadlock or stuck waiters found, 2 usage or input error.",
      "dlanalyze"};
  app.set_version_flag("--version", std::string("dlanalyze ") + kVersion);
  Options o;
  app.add_option("input", o.input, "Dump file, or - to read standard input");
  CLI::App* gdb_commands = app.add_subcommand(
      "gdb-commands",
      "Print a gdb command file that prints every thread's backtrace and the owner of each mutex "
      "a thread waits for, read from memory: dlanalyze gdb-commands > owners.gdb; gdb -p PID "
      "-batch -x owners.gdb > dump.txt; dlanalyze dump.txt");
  std::vector<std::string> format_names;
  for (const auto& parser : all_parsers()) format_names.emplace_back(parser->name());
  app.add_option("--input-format", o.pipeline.parse.format, formats_help())
      ->check(CLI::IsMember(format_names));
  app.add_option("--output-format", o.output_format,
                 "Output: text, json, or dot (a Graphviz picture: dlanalyze DUMP --output-format "
                 "dot | dot -Tsvg > cycle.svg)")
      ->check(CLI::IsMember({"text", "json", "dot"}))
      ->capture_default_str();
  app.add_option("--color", o.color, "Colour the text output: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.add_option("--source-root", o.pipeline.source_roots,
                 "Where to read source files for holder inference (Go): OLD=NEW rewrites a path "
                 "prefix; DIR looks files up under DIR by their last path elements. Repeatable.")
      ->allow_extra_args(false);
  app.add_option("-e,--exe", o.pipeline.parse.core.exe,
                 "Core files: the executable, when the one the core names is elsewhere (checked "
                 "by build-id)");
  app.add_option("--sysroot", o.pipeline.parse.core.sysroot,
                 "Core files: a copy of the crashed machine's files; libraries are read at "
                 "SYSROOT/<path>");
  app.add_option("--debug-dir", o.pipeline.parse.core.debug_dir,
                 "Core files: where separate debug files are (colon-separated; replaces "
                 "/usr/lib/debug)");
  app.add_flag("--all-tasks", o.all_tasks, "JSON: list every task, not only those findings name");
  app.add_option(
         "--max-groups", o.max_groups,
         "Text: groups of identical stacks shown when nothing is stuck; dot: groups of other "
         "tasks drawn (0 = all)")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version: CLI11 prints them
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "dlanalyze: " << e.what() << "\n"
        << "Run 'dlanalyze --help' for usage.\n";
    return kExitError;
  }

  if (gdb_commands->parsed()) {
    out << kGdbCommands;
    return kExitClean;
  }
  if (o.input.empty()) {
    err << "dlanalyze: input is required (a dump file, or - for standard input)\n"
        << "Run 'dlanalyze --help' for usage.\n";
    return kExitError;
  }
  try {
    return analyze(o, out, err, stdout_is_tty);
  } catch (const Error& e) {
    err << "dlanalyze: " << e.what() << "\n";
    return kExitError;
  } catch (const std::bad_alloc&) {
    err << "dlanalyze: " << o.input << ": out of memory\n";
    return kExitError;
  }
}

}  // namespace dla
