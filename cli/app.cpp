#include "cli/app.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <optional>

#include "cli/completions.h"
#include "cli/help.h"
#include "cli/input_file.h"
#include "cli/pipeline.h"
#include "gdb_commands.h"
#include "graph/diff.h"
#include "graph/text_util.h"
#include "parsers/registry.h"
#include "render/describe.h"
#include "render/diff_json.h"
#include "render/diff_text.h"
#include "render/dot.h"
#include "render/html.h"
#include "render/json.h"
#include "render/report.h"
#include "render/text.h"
#include "version.h"

namespace dla {

namespace {

struct Options {
  std::string input;
  std::vector<std::string> diff_inputs;    // dlanalyze diff A B …
  std::vector<std::string> report_inputs;  // dlanalyze report DUMP…
  std::string report_output;               // -o: .md, .html, or - for Markdown on stdout
  std::string output_format = "text";
  std::string color = "auto";
  bool all_tasks = false;
  PipelineOptions pipeline;  // --input-format, --source-root, core options
  size_t max_groups = 10;
};

bool use_color(const std::string& mode, bool stdout_is_tty) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return stdout_is_tty && std::getenv("NO_COLOR") == nullptr &&
         !(term != nullptr && std::string_view(term) == "dumb");
}

// Exit code from what was found. A damaged input in which nothing was found cannot be called
// clean: the damage may hide the cycle.
std::string escaped(std::string_view text) {
  return escape_for_terminal(text);
}

// A dump's warnings, at most three lines, each naming the file: a damaged dump can warn of every
// frame, and the terminal shows the first few; JSON lists them all.
void print_warnings(const std::string& source,
                    std::initializer_list<const std::vector<Warning>*> lists, std::ostream& err) {
  constexpr size_t kMaxLines = 3;
  size_t total = 0;
  for (const auto* list : lists) total += list->size();
  size_t shown = 0;
  for (const auto* list : lists) {
    for (const Warning& w : *list) {
      if (total > kMaxLines && shown == kMaxLines - 1) {
        err << "dlanalyze: warning: " << (source.empty() ? "" : escaped(source) + ": ")
            << total - shown << " more warnings (--output-format json lists every one)\n";
        return;
      }
      std::string where = w.where.empty() ? source : w.where;
      err << "dlanalyze: warning: " << (where.empty() ? "" : escaped(where) + ": ")
          << escaped(w.message) << "\n";
      ++shown;
    }
  }
}

int exit_code(const Snapshot& s, const Findings& f) {
  Findings::Verdict v = f.verdict();
  if (v == Findings::Verdict::kDeadlock || v == Findings::Verdict::kStuck) return kExitFound;
  return s.damaged ? kExitError : kExitClean;
}

int analyze(Options o, std::ostream& out, std::ostream& err, bool stdout_is_tty) {
  InputFile file(o.input);
  // A JVM core runs the JDK's Serviceability Agent for tens of seconds: say so while it runs.
  o.pipeline.parse.core.progress = [&err](const std::string& note) {
    err << "dlanalyze: " << note << "\n";
    err.flush();
  };
  auto [snapshot, findings] = analyze_input({o.input, file.bytes()}, o.pipeline);
  print_warnings(snapshot.source, {&snapshot.warnings, &findings.warnings}, err);
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
    out << escape_for_terminal(render_text(snapshot, findings, text), /*multiline=*/true);
  }
  out.flush();
  return exit_code(snapshot, findings);
}

// The file's modification time: the last resort for putting snapshots in time order.
std::optional<int64_t> modification_time(const std::string& path) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<int64_t>(st.st_mtime);
}

// Every dump of every input, analysed. Inputs are read in parallel (one thread each; a big
// dump's parse is the longest step), the file's bytes dropped once parsed: the model owns its
// strings.
std::vector<std::vector<AnalyzedSnapshot>> analyze_diff_inputs(const Options& o) {
  std::vector<std::future<std::vector<AnalyzedSnapshot>>> reading;
  for (const std::string& path : o.diff_inputs) {
    auto read = [&o, path] {
      InputFile file(path);
      return analyze_all_dumps({path, file.bytes()}, o.pipeline);
    };
    // Standard input is read on this thread, and only once.
    reading.push_back(std::async(path == "-" ? std::launch::deferred : std::launch::async, read));
  }
  std::vector<std::vector<AnalyzedSnapshot>> out;
  for (auto& r : reading) out.push_back(r.get());
  return out;
}

int diff(const Options& o, std::ostream& out, std::ostream& err, bool stdout_is_tty) {
  std::vector<std::vector<AnalyzedSnapshot>> analyzed = analyze_diff_inputs(o);
  std::vector<DiffInput> inputs;
  bool damaged = false;
  for (size_t i = 0; i < analyzed.size(); ++i) {
    std::optional<int64_t> mtime = modification_time(o.diff_inputs[i]);
    for (const AnalyzedSnapshot& a : analyzed[i]) {
      print_warnings(a.snapshot.source, {&a.snapshot.warnings, &a.findings.warnings}, err);
      inputs.push_back({&a.snapshot, &a.findings, mtime});
      damaged = damaged || a.snapshot.damaged;
    }
  }
  Diff d = diff_snapshots(inputs);
  print_warnings("", {&d.warnings}, err);
  if (o.output_format == "json") {
    out << render_diff_json(d);
  } else {
    DiffTextOptions text;
    text.color = use_color(o.color, stdout_is_tty);
    out << escape_for_terminal(render_diff_text(d, text), /*multiline=*/true);
  }
  out.flush();
  if (d.verdict() != Diff::Verdict::kClean) return kExitFound;
  return damaged ? kExitError : kExitClean;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// dlanalyze report DUMP… -o FILE: the postmortem of the last dump of the inputs, in Markdown, or
// in HTML when FILE ends in .html.
int report(const Options& o, std::ostream& out, std::ostream& err) {
  std::vector<AnalyzedSnapshot> dumps;
  std::vector<std::optional<int64_t>> mtimes;  // of each dump's file
  for (const std::string& path : o.report_inputs) {
    InputFile file(path);
    for (AnalyzedSnapshot& a : analyze_all_dumps({path, file.bytes()}, o.pipeline)) {
      dumps.push_back(std::move(a));
      mtimes.push_back(modification_time(path));
    }
  }
  ReportOptions options;
  // Several snapshots: the diff puts them in time order and the report is about the last in
  // time, with a timeline. Snapshots of different runtimes are no timeline: the last given.
  std::optional<Diff> timeline;
  const AnalyzedSnapshot* reported = &dumps.back();
  if (dumps.size() > 1) {
    std::vector<DiffInput> inputs;
    for (size_t i = 0; i < dumps.size(); ++i) {
      inputs.push_back({&dumps[i].snapshot, &dumps[i].findings, mtimes[i]});
    }
    try {
      timeline = diff_snapshots(inputs);
      print_warnings("", {&timeline->warnings}, err);
      options.diff = &*timeline;
      for (const AnalyzedSnapshot& a : dumps) {
        if (&a.snapshot == timeline->snapshots.back().snapshot) reported = &a;
      }
    } catch (const Error& e) {
      err << "dlanalyze: warning: no timeline: " << escaped(e.what()) << "\n";
    }
  }
  const AnalyzedSnapshot& last = *reported;
  print_warnings(last.snapshot.source, {&last.snapshot.warnings, &last.findings.warnings}, err);
  for (const auto& parser : all_parsers()) {
    if (parser->name() == last.snapshot.format) options.input_description = parser->description();
  }
  options.dumps_in_input = dumps.size();
  SourceFiles sources(o.pipeline.source_roots);
  options.sources = &sources;
  std::string markdown = render_report(last.snapshot, last.findings, options);
  bool html = ends_with(o.report_output, ".html") || ends_with(o.report_output, ".htm");
  std::string text =
      html ? render_html_page(markdown, verdict_words(last.snapshot, last.findings).role)
           : markdown;
  if (o.report_output.empty() || o.report_output == "-") {
    out << text;
    out.flush();
  } else {
    std::ofstream file(o.report_output, std::ios::binary);
    file << text;
    file.close();
    if (!file) throw Error(o.report_output + ": cannot write the report");
  }
  return exit_code(last.snapshot, last.findings);
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            bool stdout_is_tty) {
  CLI::App app{
      "finds the deadlock in a thread dump or core: each cycle, who holds each lock, and the "
      "evidence.",
      "dlanalyze"};
  app.footer(
      "Exit: 0 nothing stuck, 1 a deadlock or stuck waiter, 2 usage or input error.\n"
      "Formats, evidence, JSON and examples: man dlanalyze");
  app.formatter_fn(format_help);  // one screen, generated from this definition (cli/help.cpp)
  app.set_version_flag("--version", std::string("dlanalyze ") + kVersion);
  Options o;
  app.add_option("input", o.input, "Dump file, or - to read standard input")->type_name("FILE");
  CLI::App* gdb_commands = app.add_subcommand(
      "gdb-commands",
      "Print a gdb script that reads each mutex's owner from memory. It prints every thread's "
      "backtrace and the owner of each mutex a thread waits for: dlanalyze gdb-commands > "
      "owners.gdb; gdb -p PID -batch -x owners.gdb > dump.txt; dlanalyze dump.txt");
  CLI::App* diff_verb = app.add_subcommand(
      "diff",
      "Compare snapshots of one process taken over time (files, or one file holding several "
      "dumps): waiters parked in the same wait throughout, groups that grow at every step "
      "(leaks), tasks new and gone, cycles that stay. Exit 1 when a leak or a waiter parked "
      "throughout is found");
  diff_verb->add_option("inputs", o.diff_inputs, "Snapshot files (- for standard input)")
      ->required()
      ->type_name("FILE");
  diff_verb->fallthrough();  // the options of a plain run apply: --output-format, --color, …
  CLI::App* report_command = app.add_subcommand(
      "report",
      "Write the first draft of a postmortem. Summary, trigger, the cycle drawn, detection, "
      "diagnosis, root cause (the pattern), patch, prevention and a test: dlanalyze report DUMP "
      "-o postmortem.md (or .html: one self-contained page)");
  report_command
      ->add_option("dumps", o.report_inputs, "Dump files; the report is about the last dump")
      ->required()
      ->type_name("FILE");
  report_command
      ->add_option("-o,--output", o.report_output,
                   "FILE.md (Markdown), FILE.html (one page), or - (Markdown on stdout)")
      ->type_name("FILE");
  // Options given after the verb (--source-root, -e, …) are the main command's.
  report_command->fallthrough();
  std::vector<std::string> format_names;
  for (const auto& parser : all_parsers()) format_names.emplace_back(parser->name());
  // Descriptions are one line of --help each (the help adds an option's choices); the man
  // page says the rest.
  app.add_option("--input-format", o.pipeline.parse.format, "Format")
      ->check(CLI::IsMember(format_names))
      ->type_name("NAME");
  app.add_option("--output-format", o.output_format, "Output (diff: text or json)")
      ->check(CLI::IsMember({"text", "json", "dot"}))
      ->type_name("FORMAT");
  app.add_option("--color", o.color, "Colour (auto: on a terminal)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  app.add_option("--source-root", o.pipeline.source_roots,
                 "Source for holder inference (or OLD=NEW); repeatable")
      ->allow_extra_args(false)
      ->type_name("DIR");
  app.add_option("-e,--exe", o.pipeline.parse.core.exe, "Core: the executable, if moved")
      ->type_name("PATH");
  app.add_option("--sysroot", o.pipeline.parse.core.sysroot,
                 "Core: a copy of the crashed machine's files")
      ->type_name("DIR");
  app.add_option("--debug-dir", o.pipeline.parse.core.debug_dir,
                 "Core: separate debug files (DIR:DIR…)")
      ->type_name("DIRS");
  app.add_flag("--all-tasks", o.all_tasks, "JSON: every task, not only those findings name");
  app.add_option("--max-groups", o.max_groups,
                 "Text: stack groups if clean; dot: groups drawn (0 all)")
      ->type_name("N");
  // Hidden: the build generates the shell completions from this definition (cli/completions.cpp).
  std::string completion_shell;
  app.add_option("--print-completion", completion_shell)
      ->check(CLI::IsMember(
          std::vector<std::string>(std::begin(kCompletionShells), std::end(kCompletionShells))))
      ->group("");

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version: CLI11 prints them
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "dlanalyze: " << usage_error(app, e) << "\n"
        << "Run 'dlanalyze --help' for usage.\n";
    return kExitError;
  }

  if (!completion_shell.empty()) {
    out << completion_script(app, completion_shell);
    return kExitClean;
  }
  if (gdb_commands->parsed()) {
    out << kGdbCommands;
    return kExitClean;
  }
  if (diff_verb->parsed()) {
    try {
      return diff(o, out, err, stdout_is_tty);
    } catch (const Error& e) {
      err << "dlanalyze: " << escaped(e.what()) << "\n";
      return kExitError;
    } catch (const std::bad_alloc&) {
      err << "dlanalyze: diff: out of memory\n";
      return kExitError;
    }
  }
  if (report_command->parsed()) {
    try {
      return report(o, out, err);
    } catch (const Error& e) {
      err << "dlanalyze: " << e.what() << "\n";
      return kExitError;
    }
  }
  if (o.input.empty()) {
    err << "dlanalyze: input is required (a dump file, or - for standard input)\n"
        << "Run 'dlanalyze --help' for usage.\n";
    return kExitError;
  }
  try {
    return analyze(o, out, err, stdout_is_tty);
  } catch (const Error& e) {
    err << "dlanalyze: " << escaped(e.what()) << "\n";
    return kExitError;
  } catch (const std::bad_alloc&) {
    err << "dlanalyze: " << o.input << ": out of memory\n";
    return kExitError;
  }
}

}  // namespace dla
