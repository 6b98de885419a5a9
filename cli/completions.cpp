#include "cli/completions.h"

#include <fmt/format.h>

#include <vector>

#include "cli/help.h"

namespace dla {

namespace {

// What follows an option on the command line, decided from its definition: a flag takes
// nothing, a checked option one of its choices, a count a number; the rest name files, or
// directories when their placeholder says DIR.
enum class Value { kNone, kChoice, kNumber, kFile, kDirectory };

struct Opt {
  std::vector<std::string> shorts;  // "-e"
  std::vector<std::string> longs;   // "--exe"
  std::string placeholder;          // "PATH"
  std::vector<std::string> choices;
  std::string description;  // one line
  Value value = Value::kNone;
};

struct Verb {
  std::string name;  // "" for the root
  std::string summary;
  std::vector<Opt> options;
  bool takes_files = false;
  bool inherits = false;  // the root's options apply after this verb too
};

std::string first_line(const std::string& text) {
  std::string out = text.substr(0, text.find_first_of(".(\n"));
  size_t colon = out.find(": ");
  if (colon != std::string::npos && colon > 20) out.resize(colon);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Opt describe(const CLI::Option* o) {
  Opt out;
  for (const std::string& s : o->get_snames()) out.shorts.push_back("-" + s);
  for (const std::string& l : o->get_lnames()) out.longs.push_back("--" + l);
  out.description = first_line(o->get_description());
  out.choices = option_choices(*o);
  if (o->get_expected_max() == 0) {  // a flag
    out.value = Value::kNone;
  } else {
    std::string type = o->get_type_name();
    out.placeholder = type.substr(0, type.find(':'));
    if (!out.choices.empty()) {
      out.value = Value::kChoice;
    } else if (out.placeholder.find("DIR") != std::string::npos) {
      out.value = Value::kDirectory;
    } else if (out.placeholder == "N" || out.placeholder.find("INT") != std::string::npos) {
      out.value = Value::kNumber;
    } else {
      out.value = Value::kFile;
    }
  }
  return out;
}

void add_options(const CLI::App& app, Verb& verb) {
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;  // hidden (--print-completion itself)
    if (!o->nonpositional()) {
      verb.takes_files = true;
      continue;
    }
    verb.options.push_back(describe(o));
  }
}

struct Cli {
  std::string program;
  Verb root;
  std::vector<Verb> verbs;
};

Cli read_definition(const CLI::App& app) {
  Cli cli;
  cli.program = app.get_name();
  add_options(app, cli.root);
  for (const CLI::App* sub :
       app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    Verb v;
    v.name = sub->get_name();
    v.summary = first_line(sub->get_description());
    add_options(*sub, v);
    v.inherits = sub->get_fallthrough();
    if (v.inherits) {
      for (const Opt& o : cli.root.options) {
        bool own = false;
        for (const Opt& mine : v.options) own = own || mine.longs == o.longs;
        if (!own) v.options.push_back(o);
      }
    }
    cli.verbs.push_back(v);
  }
  return cli;
}

std::vector<std::string> spellings(const Opt& o) {
  std::vector<std::string> out = o.shorts;
  out.insert(out.end(), o.longs.begin(), o.longs.end());
  return out;
}

std::string joined(const std::vector<std::string>& words, const char* separator) {
  return fmt::format("{}", fmt::join(words, separator));
}

// ---- bash: self-contained (no bash-completion functions needed), registered with complete -F.

std::string bash(const Cli& cli) {
  std::string fn = "_" + cli.program;
  for (char& c : fn) c = (c == '-') ? '_' : c;
  std::vector<std::string> verb_names, valued;
  for (const Verb& v : cli.verbs) verb_names.push_back(v.name);
  std::string values;  // case arms: option → its values
  std::vector<const Verb*> all = {&cli.root};
  for (const Verb& v : cli.verbs) all.push_back(&v);
  std::vector<std::string> seen;
  for (const Verb* v : all) {
    for (const Opt& o : v->options) {
      if (o.value == Value::kNone) continue;
      std::string pattern = joined(spellings(o), "|");
      if (std::find(seen.begin(), seen.end(), pattern) != seen.end()) continue;
      seen.push_back(pattern);
      for (const std::string& s : spellings(o)) valued.push_back(s);
      std::string action;
      switch (o.value) {
        case Value::kChoice:
          action = fmt::format("{}_words '{}' \"$cur\"", fn, joined(o.choices, " "));
          break;
        case Value::kDirectory:
          action = fmt::format("{}_files -d \"$cur\"", fn);
          break;
        case Value::kFile:
          action = fmt::format("{}_files -f \"$cur\"", fn);
          break;
        default:
          action = ":";  // a number: nothing to offer
      }
      values += fmt::format("    {}) {}; return ;;\n", pattern, action);
    }
  }
  std::string verbs;  // case arms: verb → its options, words and whether it takes files
  auto arm = [&](const std::string& pattern, const Verb& v, const std::string& words) {
    std::vector<std::string> opts;
    for (const Opt& o : v.options) {
      for (const std::string& s : spellings(o)) opts.push_back(s);
    }
    return fmt::format("    {}) opts='{}'; words='{}'; files={} ;;\n", pattern, joined(opts, " "),
                       words, v.takes_files ? 1 : 0);
  };
  verbs += arm("''", cli.root, joined(verb_names, " "));
  for (const Verb& v : cli.verbs) verbs += arm(v.name, v, "");

  return fmt::format(
      R"(# bash completion for {prog}: verbs, options, format names, files.
# Generated by '{prog} --print-completion bash' from the command line's definition: do not edit.
{fn}_words() {{ COMPREPLY+=($(compgen -W "$1" -- "$2")); }}
{fn}_files() {{
  local IFS=$'\n'
  COMPREPLY+=($(compgen "$1" -- "$2"))
  compopt -o filenames 2>/dev/null || true
}}
{fn}() {{
  COMPREPLY=()
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev= verb= i=1
  (( COMP_CWORD > 0 )) && prev=${{COMP_WORDS[COMP_CWORD-1]}}
  # --opt=value arrives as three words: --opt, =, value
  [[ $cur == = ]] && cur=
  [[ $prev == = ]] && (( COMP_CWORD > 1 )) && prev=${{COMP_WORDS[COMP_CWORD-2]}}
  while (( i < COMP_CWORD )); do
    case ${{COMP_WORDS[i]}} in
      {verb_pattern}) verb=${{COMP_WORDS[i]}}; break ;;
      {valued_pattern})
        if [[ ${{COMP_WORDS[i+1]}} == = ]]; then (( i += 2 )); else (( i += 1 )); fi ;;
    esac
    (( i += 1 ))
  done
  case $prev in
{values}  esac
  local opts words files
  case $verb in
{verbs}  esac
  if [[ $cur == -* ]]; then
    {fn}_words "$opts" "$cur"
    return
  fi
  [[ -n $words ]] && {fn}_words "$words" "$cur"
  (( files )) && {fn}_files -f "$cur"
  return 0
}}
complete -F {fn} {prog}
)",
      fmt::arg("prog", cli.program), fmt::arg("fn", fn),
      fmt::arg("verb_pattern", joined(verb_names, "|")),
      fmt::arg("valued_pattern", joined(valued, "|")), fmt::arg("values", values),
      fmt::arg("verbs", verbs));
}

// ---- zsh: _arguments specifications.

std::string zsh_escape(const std::string& text) {  // inside '…' and a [description]
  std::string out;
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out;
}

std::string zsh_spec(const Opt& o) {
  std::string action;
  switch (o.value) {
    case Value::kNone:
      break;
    case Value::kChoice:
      action = fmt::format(":{}:({})", o.placeholder, joined(o.choices, " "));
      break;
    case Value::kNumber:
      action = fmt::format(":{}: ", o.placeholder);
      break;
    case Value::kDirectory:
      action = fmt::format(":{}:_files -/", o.placeholder);
      break;
    case Value::kFile:
      action = fmt::format(":{}:_files", o.placeholder);
      break;
  }
  std::vector<std::string> forms;
  for (const std::string& s : o.shorts) forms.push_back(s + (o.value == Value::kNone ? "" : "+"));
  for (const std::string& l : o.longs) forms.push_back(l + (o.value == Value::kNone ? "" : "="));
  std::string desc = "[" + zsh_escape(o.description) + "]";
  if (forms.size() == 1) return "'" + forms[0] + desc + action + "'";
  // '(-e --exe)'{-e+,--exe=}'[…]:PATH:_files': either spelling, once.
  std::vector<std::string> names = spellings(o);
  return fmt::format("'({})'{{{}}}'{}{}'", joined(names, " "), joined(forms, ","), desc, action);
}

std::string zsh(const Cli& cli) {
  std::string out = fmt::format(
      "#compdef {prog}\n"
      "# zsh completion for {prog}: verbs, options, format names, files.\n"
      "# Generated by '{prog} --print-completion zsh' from the command line's definition: do not "
      "edit.\n\n"
      "_{prog}() {{\n"
      "  local curcontext=$curcontext state line ret=1\n"
      "  local -a verbs\n"
      "  verbs=(\n",
      fmt::arg("prog", cli.program));
  for (const Verb& v : cli.verbs) {
    out += fmt::format("    '{}:{}'\n", zsh_escape(v.name), zsh_escape(v.summary));
  }
  out += "  )\n";
  out += "  case ${words[2]} in\n";
  for (const Verb& v : cli.verbs) {
    out += fmt::format("    {})\n      _arguments -C \\\n", v.name);
    for (const Opt& o : v.options) out += "        " + zsh_spec(o) + " \\\n";
    out += v.takes_files ? "        '*:dump:_files' && ret=0\n" : "        && ret=0\n";
    out += "      return ret ;;\n";
  }
  out += "  esac\n  _arguments -C \\\n";
  for (const Opt& o : cli.root.options) out += "    " + zsh_spec(o) + " \\\n";
  out +=
      "    '1: :->first' \\\n"
      "    '*:dump:_files' \\\n"
      "    && ret=0\n"
      "  if [[ $state == first ]]; then\n"
      "    _describe -t verbs verb verbs && ret=0\n"
      "    _files && ret=0\n"
      "  fi\n"
      "  return ret\n"
      "}\n\n";
  out += fmt::format("_{} \"$@\"\n", cli.program);
  return out;
}

// ---- fish: one complete line per verb and option.

std::string fish_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string fish_option(const std::string& program, const Opt& o, const std::string& condition) {
  std::string line = "complete -c " + program;
  if (!condition.empty()) line += " -n " + fish_quote(condition);
  for (const std::string& s : o.shorts) line += " -s " + s.substr(1);
  for (const std::string& l : o.longs) line += " -l " + l.substr(2);
  switch (o.value) {
    case Value::kNone:
      break;
    case Value::kChoice:
      line += " -x -a " + fish_quote(joined(o.choices, " "));
      break;
    case Value::kNumber:
      line += " -x";
      break;
    case Value::kDirectory:
      line += " -x -a '(__fish_complete_directories)'";
      break;
    case Value::kFile:
      line += " -r -F";
      break;
  }
  return line + " -d " + fish_quote(o.description) + "\n";
}

std::string fish(const Cli& cli) {
  std::string out = fmt::format(
      "# fish completion for {prog}: verbs, options, format names, files.\n"
      "# Generated by '{prog} --print-completion fish' from the command line's definition: do "
      "not edit.\n",
      fmt::arg("prog", cli.program));
  std::vector<std::string> names;
  for (const Verb& v : cli.verbs) names.push_back(v.name);
  for (const Verb& v : cli.verbs) {
    out += fmt::format("complete -c {} -n __fish_use_subcommand -a {} -d {}\n", cli.program,
                       fish_quote(v.name), fish_quote(v.summary));
  }
  // The root's options everywhere but after a verb that does not take them.
  std::string not_own;
  for (const Verb& v : cli.verbs) {
    if (!v.inherits) not_own += " " + v.name;
  }
  std::string root_condition = not_own.empty() ? "" : "not __fish_seen_subcommand_from" + not_own;
  for (const Opt& o : cli.root.options) out += fish_option(cli.program, o, root_condition);
  for (const Verb& v : cli.verbs) {
    for (const Opt& o : v.options) {
      bool shared = false;
      for (const Opt& r : cli.root.options) shared = shared || r.longs == o.longs;
      if (!shared) {
        out += fish_option(cli.program, o, "__fish_seen_subcommand_from " + v.name);
      }
    }
  }
  return out;
}

}  // namespace

std::string completion_script(const CLI::App& app, const std::string& shell) {
  Cli cli = read_definition(app);
  if (shell == "bash") return bash(cli);
  if (shell == "zsh") return zsh(cli);
  return fish(cli);
}

}  // namespace dla
