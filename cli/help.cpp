#include "cli/help.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "version.h"

namespace dla {

namespace {

constexpr size_t kWidth = 80;

// What most people run, shown before anything else. The one part of --help not generated from
// the definition: examples are not options.
constexpr const char* kCommonUses =
    "Common uses:\n"
    "  dlanalyze dump.txt          a JVM (jstack -l), Go (debug=2) or gdb dump\n"
    "  dlanalyze core.1234         a core of C, C++, Go or a JVM (through jhsdb)\n"
    "  curl -s 'localhost:6060/debug/pprof/goroutine?debug=2' | dlanalyze -\n"
    "  dlanalyze diff a.txt b.txt  snapshots over time: leaks, waits that never end\n";

bool hidden(const CLI::Option* o) {
  return o->get_group().empty();
}

// "-e, --exe", "--color", "FILE" for a positional.
std::string names(const CLI::Option* o) {
  std::string out;
  for (const std::string& s : o->get_snames()) out += (out.empty() ? "-" : ", -") + s;
  for (const std::string& l : o->get_lnames()) out += (out.empty() ? "--" : ", --") + l;
  return out;
}

// The value's placeholder: the type name before any validator's description ("NAME" of
// "NAME:{jvm,…}"); none for a flag.
std::string placeholder(const CLI::Option* o) {
  if (o->get_expected_max() == 0) return "";  // a flag
  std::string type = o->get_type_name();
  return type.substr(0, type.find(':'));
}

// The text up to the first sentence end: a verb's summary line.
std::string first_sentence(const std::string& text) {
  size_t end = text.find_first_of(".:(\n");
  std::string out = text.substr(0, end);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// `text` wrapped to kWidth, every line indented by `indent` spaces.
std::string wrap(const std::string& text, size_t indent) {
  std::string out, line(indent, ' ');
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of(" \n", start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    if (line.size() > indent && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line = std::string(indent, ' ');
    }
    if (line.size() > indent) line += ' ';
    line += word;
    if (end < text.size() && text[end] == '\n') {
      out += line + "\n";
      line = std::string(indent, ' ');
    }
    start = end + 1;
  }
  if (line.size() > indent) out += line + "\n";
  return out;
}

// One line per option: names and placeholder, then the description and the accepted values.
std::string option_lines(const std::vector<const CLI::Option*>& options) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const CLI::Option* o : options) {
    std::string left = names(o);
    if (std::string p = placeholder(o); !p.empty()) left += " " + p;
    std::string right = o->get_description();
    std::vector<std::string> choices = option_choices(*o);
    if (!choices.empty()) {
      right += (right.empty() ? "" : ": ") + fmt::format("{}", fmt::join(choices, ", "));
    }
    rows.emplace_back(left, right);
  }
  size_t column = 0;
  for (const auto& [left, right] : rows) column = std::max(column, left.size());
  std::string out;
  for (const auto& [left, right] : rows) {
    std::string line = fmt::format("  {:<{}}  {}", left, column, right);
    if (line.size() > kWidth) {  // the choices on a line of their own
      size_t cut = line.rfind(": ");
      if (cut != std::string::npos && cut > column + 4) {
        out += line.substr(0, cut + 1) + "\n";
        std::string rest = line.substr(cut + 2);
        // Under the descriptions, or as far right as the values fit.
        size_t indent = std::min(column + 4, kWidth > rest.size() + 4 ? kWidth - rest.size() : 4);
        line = std::string(indent, ' ') + rest;
      }
    }
    out += line + "\n";
  }
  return out;
}

std::string root_help(const CLI::App* app) {
  // No blank lines between the sections: the whole fits 24 lines, with room for more verbs.
  std::string out =
      fmt::format("dlanalyze {}: {}\n\n", kVersion, first_sentence(app->get_description()));
  out += kCommonUses;
  out += "Verbs (dlanalyze VERB --help):\n";
  std::vector<const CLI::App*> verbs =
      app->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
  size_t column = 0;
  for (const CLI::App* v : verbs) column = std::max(column, v->get_name().size());
  for (const CLI::App* v : verbs) {
    out +=
        fmt::format("  {:<{}}  {}\n", v->get_name(), column, first_sentence(v->get_description()));
  }
  out += "Options (and -h, --help, --version):\n";
  out += option_lines(app->get_options([app](const CLI::Option* o) {
    return o->nonpositional() && !hidden(o) && o != app->get_help_ptr() &&
           o != app->get_version_ptr();
  }));
  out += app->get_footer() + "\n";
  return out;
}

std::string verb_help(const CLI::App* verb) {
  std::string positionals;
  for (const CLI::Option* o :
       verb->get_options([](const CLI::Option* p) { return !p->nonpositional(); })) {
    bool many = o->get_items_expected_max() > 1;
    positionals += " " + placeholder(o) + (many ? "..." : "");
  }
  const CLI::App* root = verb->get_parent();
  std::string out = fmt::format("Usage: {} {}{}{}\n\n", root->get_name(), verb->get_name(),
                                verb->get_fallthrough() ? " [OPTIONS]" : "", positionals);
  out += wrap(verb->get_description(), 0);
  if (verb->get_fallthrough()) {
    out += fmt::format("\nOptions: those of {} ({} --help).\n", root->get_name(), root->get_name());
  }
  return out;
}

}  // namespace

std::string format_help(const CLI::App* app, std::string /*name*/, CLI::AppFormatMode /*mode*/) {
  return app->get_parent() == nullptr ? root_help(app) : verb_help(app);
}

std::vector<std::string> option_choices(const CLI::Option& option) {
  // CLI::IsMember describes itself as "{a,b,c}" in the option's type name.
  std::string type = option.get_type_name();
  size_t open = type.find('{');
  size_t close = type.find('}', open);
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos) return out;
  std::string list = type.substr(open + 1, close - open - 1);
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

namespace {

// Every visible option spelling of `app` and its verbs: "--output-format", "-e", …
std::vector<std::string> option_spellings(const CLI::App& app) {
  std::vector<std::string> out;
  auto add = [&out](const CLI::App& a) {
    for (const CLI::Option* o :
         a.get_options([](const CLI::Option* p) { return p->nonpositional() && !hidden(p); })) {
      for (const std::string& s : o->get_snames()) out.push_back("-" + s);
      for (const std::string& l : o->get_lnames()) out.push_back("--" + l);
    }
  };
  add(app);
  for (const CLI::App* verb : app.get_subcommands([](const CLI::App*) { return true; })) {
    add(*verb);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The candidate closest to `word`, if close enough to be what was meant: a unique prefix, or
// at most a third of its letters (and at least two) wrong.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::vector<std::string> prefixed;
  for (const std::string& c : candidates) {
    if (word.size() > 2 && c.starts_with(word)) prefixed.push_back(c);
  }
  if (prefixed.size() == 1) return prefixed.front();
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const std::string& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

// The arguments CLI11 did not expect, from its message ("The following argument(s) was/were
// not expected: a b").
std::vector<std::string> unexpected(const CLI::App& app, const CLI::ParseError& error) {
  std::vector<std::string> out = app.remaining(true);
  if (!out.empty()) return out;
  std::string message = error.what();
  size_t colon = message.find(": ");
  if (colon == std::string::npos) return out;
  std::string rest = message.substr(colon + 2);
  size_t start = 0;
  while (start < rest.size()) {
    size_t space = rest.find(' ', start);
    if (space == std::string::npos) space = rest.size();
    if (space > start) out.push_back(rest.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

std::string extras_error(const CLI::App& app, const CLI::ParseError& error) {
  std::vector<std::string> extras = unexpected(app, error);
  std::vector<std::string> options = option_spellings(app);
  std::vector<std::string> positional;
  for (const std::string& arg : extras) {
    if (arg.size() > 1 && arg[0] == '-') {
      std::string name = arg.substr(0, arg.find('='));
      std::string guess = nearest(name, options);
      return guess.empty() ? fmt::format("unknown option '{}'", arg)
                           : fmt::format("unknown option '{}'; did you mean '{}'?", arg, guess);
    }
    positional.push_back(arg);
  }
  // A plain run reads one dump: more than one file is a diff, or a misspelt verb.
  std::vector<std::string> given;
  for (const CLI::Option* o : app.get_options(
           [](const CLI::Option* p) { return !p->nonpositional() && p->count() > 0; })) {
    for (const std::string& r : o->results()) given.push_back(r);
  }
  std::vector<std::string> verbs;
  for (const CLI::App* v :
       app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    verbs.push_back(v->get_name());
  }
  std::string all = fmt::format("{}", fmt::join(given, " "));
  all += (all.empty() ? "" : " ") + fmt::format("{}", fmt::join(positional, " "));
  if (!given.empty()) {
    if (std::string verb = nearest(given.front(), verbs); !verb.empty() && verb != given.front()) {
      return fmt::format("unexpected argument '{}': did you mean '{} {}{}'?", positional.front(),
                         app.get_name(), verb, all.substr(given.front().size()));
    }
  }
  return fmt::format(
      "unexpected argument '{}': one dump at a time (to compare snapshots over time: {} diff {})",
      positional.front(), app.get_name(), all);
}

// "--input-format: xml not in {jvm,…}" → the value, what it might have been, and every value.
std::string validation_error(const CLI::App& app, const CLI::ParseError& error) {
  std::string message = error.what();
  size_t colon = message.find(": ");
  if (colon == std::string::npos) return message;
  std::string name = message.substr(0, colon);
  const CLI::Option* option = nullptr;
  for (const CLI::Option* o : app.get_options()) {
    if (o->check_name(name)) option = o;
  }
  std::vector<std::string> choices = option ? option_choices(*option) : std::vector<std::string>{};
  if (choices.empty()) return message;
  std::string rest = message.substr(colon + 2);
  std::string value = rest.substr(0, rest.find(" not in "));
  std::string guess = nearest(value, choices);
  return fmt::format("{}: unknown value '{}'{}; one of: {}", name, value,
                     guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                     fmt::join(choices, ", "));
}

}  // namespace

std::string usage_error(const CLI::App& app, const CLI::ParseError& error) {
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) return extras_error(app, error);
  if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) {
    return validation_error(app, error);
  }
  return error.what();
}

}  // namespace dla
