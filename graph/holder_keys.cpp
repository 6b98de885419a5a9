// The holder inference's reading of the source (graph/holder_inference.h): what the source says
// at one line of one file, what calls of the program's lock wrappers take or release, where the
// root of a lock expression lives, and the keys (identities) of an expression in a frame.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "graph/holder_inference.h"
#include "graph/resolve_glibc.h"
#include "graph/resolve_go.h"
#include "graph/text_numbers.h"
#include "graph/text_util.h"

namespace dla::holders {

namespace {

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}
}  // namespace

Expression parse_expression(std::string_view e) {
  Expression out;
  if (!e.empty() && e[0] == '*') {
    out.deref = true;
    e.remove_prefix(1);
  }
  size_t end = 0;
  while (end < e.size() && is_ident(e[end])) ++end;
  out.root = std::string(e.substr(0, end));
  out.path = std::string(e.substr(end));
  return out;
}

std::string join(const Expression& e) {
  return (e.deref ? "*" : "") + e.root + e.path;
}

std::string display_expression(std::string_view e) {
  if (e.empty() || e[0] != '*') return std::string(e);
  Expression x = parse_expression(e);
  if (x.path.starts_with(".")) return x.root + "->" + x.path.substr(1);
  return std::string(e);
}

std::string_view callee_name(SourceLanguage language, std::string_view function) {
  if (language == SourceLanguage::kGo) {
    function = function.substr(0, function.find('['));  // generics: "main.Map[...]"
    std::string_view name = function.substr(function.rfind('.') + 1);
    if (name.starts_with("func") && name.size() > 4 &&
        std::isdigit(static_cast<unsigned char>(name[4])) != 0) {
      return {};
    }
    return name;
  }
  // C++: drop template arguments at the end and qualifications.
  if (function.ends_with(">")) {
    int depth = 0;
    for (size_t i = function.size(); i-- > 0;) {
      if (function[i] == '>') ++depth;
      if (function[i] == '<' && --depth == 0) {
        function = function.substr(0, i);
        break;
      }
    }
  }
  if (function.find("lambda") != std::string_view::npos ||
      function.find("operator()") != std::string_view::npos) {
    return {};
  }
  size_t colon = function.rfind("::");
  return colon == std::string_view::npos ? function : function.substr(colon + 2);
}

std::string_view class_of(std::string_view function) {
  size_t colon = function.rfind("::");
  if (colon == std::string_view::npos) return {};
  std::string_view scope = function.substr(0, colon);
  if (scope.ends_with(">")) scope = scope.substr(0, scope.find('<'));
  size_t outer = scope.rfind("::");
  return outer == std::string_view::npos ? scope : scope.substr(outer + 2);
}

HolderInference::LineFacts& HolderInference::facts(uint32_t frame) {
  const Frame& f = s_.frames[frame];
  bool literal = callee_name(lang_, s_.str(f.function)).empty();
  uint64_t key = (static_cast<uint64_t>(f.file) << 32) | (static_cast<uint32_t>(f.line) << 1) |
                 (literal ? 1 : 0);
  auto [it, inserted] = facts_.try_emplace(key);
  if (inserted && f.file != kNoString && f.line > 0) {
    LineFacts& lf = it->second;
    lf.file = src_.get(s_.str(f.file));
    if (lf.file != nullptr) lf.fn = function_at(lang_, *lf.file, f.line, literal);
  }
  return it->second;
}

const std::vector<LockCall>& HolderInference::held_at(uint32_t frame) {
  LineFacts& lf = facts(frame);
  if (!lf.held_known) {
    lf.held_known = true;
    if (lf.fn) {
      lf.held = locks_held_at(lang_, *lf.file, *lf.fn, s_.frames[frame].line, effects_in(*lf.file));
    }
  }
  return lf.held;
}

const std::vector<LockCall>& HolderInference::calls_at(uint32_t frame) {
  LineFacts& lf = facts(frame);
  if (!lf.calls_known) {
    lf.calls_known = true;
    if (lf.file != nullptr) {
      lf.calls = lock_calls_on(lang_, *lf.file, s_.frames[frame].line, lf.fn ? &*lf.fn : nullptr);
    }
  }
  return lf.calls;
}

CallEffects HolderInference::effects_in(const SourceText& file) {
  return [this, &file](std::string_view callee, const std::string& receiver,
                       const std::vector<std::string>& args) {
    return call_effects(file, callee, receiver, args);
  };
}

// The definitions of `name` where a call in `file` can reach them (Go: its package; C/C++: the
// file and the headers beside it), each with what it does to locks.
HolderInference::Summary& HolderInference::summary_of(const SourceText& file,
                                                      std::string_view name) {
  std::string dir = file.path.substr(0, file.path.rfind('/') + 1);
  Summary& summary = summaries_[dir + std::string(name)];
  if (summary.known || summary.computing) return summary;
  summary.computing = true;
  std::vector<const SourceText*> files;
  if (lang_ == SourceLanguage::kGo) {
    files = src_.siblings(file, ".go");
  } else {
    files.push_back(&file);
    for (std::string_view suffix : {".h", ".hpp", ".hh"}) {
      for (const SourceText* header : src_.siblings(file, suffix)) files.push_back(header);
    }
  }
  for (const SourceText* f : files) {
    for (FunctionScope& fn : function_definitions(lang_, *f, name)) {
      std::vector<LockCall> effects = net_lock_effects(lang_, *f, fn, effects_in(*f));
      summary.definitions.push_back({f, std::move(fn), std::move(effects)});
    }
  }
  summary.computing = false;
  summary.known = true;
  return summary;
}

std::vector<LockCall> HolderInference::call_effects(const SourceText& file, std::string_view callee,
                                                    const std::string& receiver,
                                                    const std::vector<std::string>& args) {
  Summary& summary = summary_of(file, callee);
  if (summary.computing || summary.definitions.empty()) return {};
  std::vector<LockCall> out;
  bool first = true;
  for (const Summary::Definition& d : summary.definitions) {
    std::vector<LockCall> translated;
    for (const LockCall& effect : d.effects) {
      std::string object = in_caller_terms(*d.file, d.fn, effect.expression, receiver, args);
      if (object.empty()) continue;
      LockCall call = effect;
      call.expression = object;
      call.block_scoped = false;
      translated.push_back(std::move(call));
    }
    // Several definitions of one name (methods of different types) must agree.
    if (!first) {
      bool same = translated.size() == out.size();
      for (size_t i = 0; same && i < out.size(); ++i) {
        same = out[i].expression == translated[i].expression &&
               out[i].release == translated[i].release && out[i].shared == translated[i].shared;
      }
      if (!same) return {};
    }
    out = std::move(translated);
    first = false;
  }
  return out;
}

// A callee's lock expression as the caller names it: its receiver or parameter replaced by
// what the caller passed; its globals as they are. Empty when it is the callee's local.
std::string HolderInference::in_caller_terms(const SourceText& file, const FunctionScope& fn,
                                             const std::string& expression,
                                             const std::string& receiver,
                                             const std::vector<std::string>& args) {
  Expression x = parse_expression(expression);
  if (lang_ == SourceLanguage::kGo) {
    if (!fn.receiver.empty() && x.root == fn.receiver) {
      if (receiver.empty()) return {};
      std::string object = normalize_lock_expression(lang_, receiver, true);
      return object.empty() ? object : object + x.path;
    }
    for (size_t k = 0; k < fn.params.size() && k < args.size(); ++k) {
      if (fn.params[k] != x.root) continue;
      std::string object = normalize_lock_expression(lang_, args[k], true);
      return object.empty() ? object : object + x.path;
    }
    // A package variable: the same name in the caller's package.
    return is_callee_local(file, fn, x.root) ? std::string() : expression;
  }
  if (x.root == "this") {
    if (receiver.empty()) return expression;  // a member calling a member: the same this
    std::string object = receiver[0] == '*'
                             ? normalize_lock_expression(lang_, receiver.substr(1), true)
                             : normalize_lock_expression(lang_, "&(" + receiver + ")", true);
    return object.empty() || !x.deref ? std::string() : object + x.path;
  }
  for (size_t k = 0; k < fn.params.size() && k < args.size(); ++k) {
    if (fn.params[k] != x.root) continue;
    std::string object = x.deref ? normalize_lock_expression(lang_, args[k], true)
                                 : normalize_lock_expression(lang_, "&(" + args[k] + ")", true);
    return object.empty() ? object : object + x.path;
  }
  return is_callee_local(file, fn, x.root) ? std::string() : expression;
}

bool HolderInference::is_callee_local(const SourceText& file, const FunctionScope& fn,
                                      const std::string& root) {
  return root == fn.receiver ||
         std::find(fn.params.begin(), fn.params.end(), root) != fn.params.end() ||
         declares_local(lang_, file, fn, static_cast<int>(file.code.size()) + 1, root);
}

const HolderInference::RootFacts& HolderInference::root_facts(uint32_t frame, const LineFacts& lf,
                                                              const std::string& root) {
  const Frame& f = s_.frames[frame];
  std::string key = fmt::format("{}:{}:{}", f.file, f.line, root);
  auto [it, inserted] = roots_.try_emplace(std::move(key));
  if (!inserted) return it->second;
  RootFacts& r = it->second;
  const FunctionScope& fn = *lf.fn;
  const SourceText& file = *lf.file;
  if (lang_ == SourceLanguage::kGo && !fn.receiver.empty() && root == fn.receiver) {
    r.binding = Binding::kReceiver;
    return r;
  }
  if (lang_ != SourceLanguage::kGo && root == "this") {
    r.binding = Binding::kThis;
    return r;
  }
  for (size_t p = 0; p < fn.params.size(); ++p) {
    if (fn.params[p] == root) {
      r.binding = Binding::kParameter;
      r.param = static_cast<int>(p);
      return r;
    }
  }
  bool is_static = false;
  if (declares_local(lang_, file, fn, f.line, root, &is_static)) {
    r.binding = is_static ? Binding::kStaticLocal : Binding::kLocal;
    if (is_static) r.qualified = fmt::format("{}::{}", fn.name, root);
    return r;
  }
  if (lang_ == SourceLanguage::kGo) return go_root_facts(f, lf, root, r);
  return c_root_facts(f, lf, root, r);
}

HolderInference::RootFacts& HolderInference::go_root_facts(const Frame& f, const LineFacts& lf,
                                                           const std::string& root, RootFacts& r) {
  const SourceText& file = *lf.file;
  // A literal sees its enclosing functions' parameters and variables: locals of another call.
  for (auto outer = function_at(lang_, file, lf.fn->header_line - 1); outer && lf.fn->literal;
       outer = function_at(lang_, file, outer->header_line - 1)) {
    if (root == outer->receiver ||
        std::find(outer->params.begin(), outer->params.end(), root) != outer->params.end() ||
        declares_local(lang_, file, *outer, lf.fn->header_line, root)) {
      r.binding = Binding::kLocal;
      return r;
    }
    if (!outer->literal || outer->header_line <= 1) break;
  }
  if (std::string path = go_import_path(file, root); !path.empty()) {
    r.binding = Binding::kImport;
    r.qualified = path;
    return r;
  }
  for (const SourceText* sibling : src_.siblings(file, ".go")) {
    if (declares_file_global(lang_, *sibling, root)) {
      r.binding = Binding::kGlobal;
      r.qualified = fmt::format("{}.{}", go::package_of(s_.str(f.function)), root);
      return r;
    }
  }
  return r;  // unknown: no identity beyond its own frame
}

HolderInference::RootFacts& HolderInference::c_root_facts(const Frame& f, const LineFacts& lf,
                                                          const std::string& root, RootFacts& r) {
  const SourceText& file = *lf.file;
  // A lambda sees the variables of the function around it; a static one is one object.
  if (lf.fn->literal) {
    if (auto outer = function_at(lang_, file, lf.fn->header_line - 1)) {
      bool is_static = false;
      if (declares_local(lang_, file, *outer, lf.fn->header_line, root, &is_static)) {
        r.binding = is_static ? Binding::kStaticLocal : Binding::kLocal;
        if (is_static) r.qualified = fmt::format("{}::{}", outer->name, root);
        return r;
      }
    }
  }
  std::string_view cls = class_of(s_.str(f.function));
  if (!cls.empty()) {
    bool member = declares_member(file, cls, root);
    for (std::string_view suffix : {".h", ".hpp", ".hh", ".hxx"}) {
      for (const SourceText* header :
           member ? std::vector<const SourceText*>{} : src_.siblings(file, suffix)) {
        member = member || declares_member(*header, cls, root);
      }
    }
    if (member) {
      r.binding = Binding::kMember;
      return r;
    }
  }
  if (declares_file_global(lang_, file, root)) {
    r.binding = Binding::kGlobal;
    r.qualified = root;
    return r;
  }
  for (std::string_view suffix : {".h", ".hpp", ".hh"}) {
    for (const SourceText* header : src_.siblings(file, suffix)) {
      if (declares_file_global(lang_, *header, root)) {
        r.binding = Binding::kGlobal;
        r.qualified = root;
        return r;
      }
    }
  }
  return r;
}

// The printed argument a root names: Go by position (receiver first), C/C++ by name.
std::optional<ArgumentValue> HolderInference::argument_of(uint32_t frame, const LineFacts& lf,
                                                          const RootFacts& r,
                                                          const std::string& root) {
  if (s_.decode_arguments == nullptr) return std::nullopt;
  const Frame& f = s_.frames[frame];
  std::string_view printed = s_.str(f.args);
  std::vector<ArgumentValue> args = s_.decode_arguments(printed);
  if (lang_ == SourceLanguage::kGo) {
    size_t expected = lf.fn->params.size() + (lf.fn->receiver.empty() ? 0 : 1);
    // Go 1.17+ prints one item per parameter ({…} aggregates, '?'); older runtimes print raw
    // words, where a string or slice parameter takes several: positions hold only when the
    // count matches.
    bool per_parameter = printed.find_first_of("{?") != std::string_view::npos;
    if (!per_parameter && args.size() != expected) return std::nullopt;
    size_t index = r.binding == Binding::kReceiver
                       ? 0
                       : static_cast<size_t>(r.param) + (lf.fn->receiver.empty() ? 0 : 1);
    if (index < args.size() && args[index].value) return args[index];
    // Not printed exactly: the literal the go statement passed, if it passed one.
    if (auto text = created_with(frame, r.binding == Binding::kReceiver ? -1 : r.param)) {
      if (auto value = literal_value(*text)) {
        ArgumentValue v;
        v.value = value;
        return v;
      }
    }
    return std::nullopt;
  }
  for (const ArgumentValue& a : args) {
    if (a.name == root) return a;
  }
  return std::nullopt;
}

// A goroutine's entry function got its parameters from the `go` statement that started it:
// "go rebalance(1, 3, a)" fixes k = 1 where the dump prints k as "0x0?"; "go update(inventory,
// billing)" makes first the package variable inventory. Only what means the same outside the
// creating frame (which may be gone) is taken: integer literals and package variables.
// `param` -1 is the receiver ("go t.run()").
std::optional<std::string> HolderInference::created_with(uint32_t frame, int param) {
  // The frame's task: tasks hold contiguous frames, in order.
  auto after = std::upper_bound(s_.tasks.begin(), s_.tasks.end(), frame,
                                [](uint32_t f, const Task& t) { return f < t.first_frame; });
  if (after == s_.tasks.begin()) return std::nullopt;
  const Task* owner = &*std::prev(after);
  if (owner->created_file == kNoString || owner->frame_count == 0) return std::nullopt;
  // The entry function is the outermost frame, below runtime.goexit and the wrapper the
  // compiler makes for a go statement (shown at GOTRACEBACK=system, located at the statement).
  uint32_t entry = owner->first_frame + owner->frame_count - 1;
  while (entry > owner->first_frame && (is_runtime_[s_.frames[entry].function] ||
                                        (s_.frames[entry].file == owner->created_file &&
                                         s_.frames[entry].line == owner->created_line))) {
    --entry;
  }
  if (frame != entry) return std::nullopt;
  const SourceText* file = src_.get(s_.str(owner->created_file));
  std::string_view callee = callee_name(lang_, s_.str(s_.frames[frame].function));
  if (callee.empty()) return std::nullopt;
  auto call = call_on(lang_, *file, owner->created_line, callee);
  if (!call) return std::nullopt;
  std::string text = param < 0 ? call->receiver
                     : param < static_cast<int>(call->args.size())
                         ? call->args[static_cast<size_t>(param)]
                         : std::string();
  if (text.empty()) return std::nullopt;
  if (literal_value(text)) return text;
  std::string object = normalize_lock_expression(lang_, text, true);
  Expression x = parse_expression(object);
  if (x.root.empty()) return std::nullopt;
  for (const SourceText* sibling : src_.siblings(*file, ".go")) {
    if (declares_file_global(lang_, *sibling, x.root)) {
      return "global:" + std::string(go::package_of(s_.str(owner->created_by))) + "." + object;
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> HolderInference::literal_value(const std::string& text) {
  uint64_t value = 0;
  int base = text.starts_with("0x") ? 16 : 10;
  const char* begin = text.data() + (base == 16 ? 2 : 0);
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value, base);
  if (ec != std::errc() || end != text.data() + text.size() || begin == end) return std::nullopt;
  return value;
}

// Array indexes in a path, made comparable: a literal or a parameter whose value is printed
// becomes its value ("[1]" → "[0x1]"); any other index (a local, a loop variable) depends on
// the moment, so the path has no identity beyond its frame: nullopt.
std::optional<std::string> HolderInference::resolve_indexes(uint32_t frame, const LineFacts& lf,
                                                            const std::string& path) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] != '[') {
      out += path[i++];
      continue;
    }
    size_t close = path.find(']', i);
    if (close == std::string::npos) return std::nullopt;
    std::string index = path.substr(i + 1, close - i - 1);
    i = close + 1;
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), value);
    if (ec == std::errc() && end == index.data() + index.size()) {
      out += fmt::format("[{}]", hex_address(value));  // not "[" + …: GCC 12 -O3 -Wrestrict
      continue;
    }
    const RootFacts& r = root_facts(frame, lf, index);
    if (r.binding != Binding::kParameter) return std::nullopt;
    auto arg = argument_of(frame, lf, r, index);
    if (!arg || !arg->value) return std::nullopt;
    out += fmt::format("[{}]", hex_address(*arg->value));
  }
  return out;
}

// Every key of expression `expr` in `frame` of `task`, as it stood at `from_line` (the line
// that took a lock, or the frame's own line for a waiter). `up`: may follow a parameter to the
// caller's argument; `down`: may follow a local to the callee it was passed to.
void HolderInference::keys(TaskIndex task, uint32_t frame, const std::string& expr, int from_line,
                           int depth, bool up, bool down, std::vector<std::string>& out) {
  if (depth > 6) return;
  LineFacts& lf = facts(frame);
  if (!lf.fn) return;
  const Frame& f = s_.frames[frame];
  const Task& t = s_.tasks[task];
  Expression e = parse_expression(expr);
  if (e.root.empty()) return;
  // Within one call, one variable is one object, unless it is assigned in between.
  if (!assigned_between(lang_, *lf.file, from_line, f.line, e.root)) {
    out.push_back(fmt::format("frame:{}:{}", frame, expr));
  }
  std::optional<std::string> path = resolve_indexes(frame, lf, e.path);
  const RootFacts& r = root_facts(frame, lf, e.root);
  switch (r.binding) {
    case Binding::kReceiver:
    case Binding::kParameter:
    case Binding::kThis: {
      // The printed value is the parameter's value in this call, unless the function assigned
      // the parameter before the lock expression was evaluated.
      bool reassigned =
          assigned_between(lang_, *lf.file, lf.fn->body_line - 1, from_line + 1, e.root);
      std::optional<ArgumentValue> arg;
      if (!reassigned) {
        arg = argument_of(frame, lf, r, e.root);
      }
      if ((!arg || !arg->value) && path && lang_ == SourceLanguage::kGo && !reassigned) {
        // A package variable the go statement passed.
        if (auto created = created_with(frame, r.binding == Binding::kReceiver ? -1 : r.param);
            created && created->starts_with("global:")) {
          out.push_back(*created + *path);
        }
      }
      if (arg && arg->value && path) {
        bool through_pointer = lang_ == SourceLanguage::kGo || e.deref != arg->reference;
        if (through_pointer) out.push_back("val:" + hex_address(*arg->value) + *path);
        if (e.deref && path->empty() && !arg->symbol.empty() && arg->symbol_offset == 0) {
          out.push_back("global:" + std::string(arg->symbol));
        }
      }
      if (up && !reassigned) caller_keys(task, frame, lf, r, e, depth, out);
      break;
    }
    case Binding::kLocal:
      // "b := &buckets[from]": b is that object while b is not assigned again.
      if (auto alias = local_alias(lang_, *lf.file, *lf.fn, from_line, e.root);
          alias && (lang_ == SourceLanguage::kGo || alias->pointer == e.deref) &&
          !assigned_between(lang_, *lf.file, alias->line, from_line, e.root)) {
        keys(task, frame, alias->object + e.path, alias->line, depth + 1, up, down, out);
      }
      if (down && frame > t.first_frame) callee_keys(task, frame, e, depth, out);
      break;
    case Binding::kStaticLocal:
    case Binding::kGlobal:
    case Binding::kImport:
      if (path) {
        std::string deref = e.deref ? "*" : "";
        out.push_back(r.binding == Binding::kImport ? "global:" + r.qualified + *path
                                                    : "global:" + deref + r.qualified + *path);
      }
      break;
    case Binding::kMember:
      // mu_ in a method is this->mu_.
      keys(task, frame, "*this." + e.root + e.path, from_line, depth, up, down, out);
      break;
    case Binding::kUnknown:
      break;
  }
}

// A parameter is whatever the caller passed: "s.Len()" makes Len's receiver the caller's s,
// "lock_it(&db_lock)" makes lock_it's l point to db_lock.
void HolderInference::caller_keys(TaskIndex task, uint32_t frame, const LineFacts& lf,
                                  const RootFacts& r, const Expression& e, int depth,
                                  std::vector<std::string>& out) {
  const Task& t = s_.tasks[task];
  uint32_t caller = frame + 1;
  if (caller >= t.first_frame + t.frame_count || is_runtime_[s_.frames[caller].function]) return;
  std::string_view callee = callee_name(lang_, s_.str(s_.frames[frame].function));
  LineFacts& cf = facts(caller);
  if (callee.empty() || cf.file == nullptr || !cf.fn) return;
  auto call = call_on(lang_, *cf.file, s_.frames[caller].line, callee);
  if (!call) return;
  std::string passed;
  if (r.binding == Binding::kReceiver || r.binding == Binding::kThis) {
    passed = call->receiver;
  } else if (r.param < static_cast<int>(call->args.size())) {
    passed = call->args[static_cast<size_t>(r.param)];
  }
  if (passed.empty()) return;
  std::string object;
  if (lang_ == SourceLanguage::kGo) {
    object = normalize_lock_expression(lang_, passed, true) + e.path;
  } else if (r.binding == Binding::kThis) {
    // "p->f()" passes p (call_on marks the arrow with '*'); "o.f()" passes &o.
    object = passed[0] == '*' ? normalize_lock_expression(lang_, passed.substr(1), true)
                              : normalize_lock_expression(lang_, "&(" + passed + ")", true);
    if (!e.deref || object.empty()) return;
    object += e.path;
  } else {
    std::optional<ArgumentValue> arg = argument_of(frame, lf, r, e.root);
    bool reference = arg && arg->reference;
    if (e.deref) {
      object = normalize_lock_expression(lang_, passed, true);  // *p: what the pointer names
    } else if (reference) {
      object = normalize_lock_expression(lang_, "&(" + passed + ")", true);
    }
    if (object.empty()) return;
    object += e.path;
  }
  if (parse_expression(object).root.empty()) return;
  keys(task, caller, object, s_.frames[caller].line, depth + 1, /*up=*/true, /*down=*/false, out);
}

// A local is whatever this frame passed to its callee: "pass(w, peer)" with pass(a, b)
// printing a's value gives w's.
void HolderInference::callee_keys(TaskIndex task, uint32_t frame, const Expression& e, int depth,
                                  std::vector<std::string>& out) {
  uint32_t callee_frame = frame - 1;
  if (is_runtime_[s_.frames[callee_frame].function]) return;
  LineFacts& lf = facts(frame);
  LineFacts& callee_facts = facts(callee_frame);
  if (!callee_facts.fn || callee_facts.fn->literal) return;
  std::string_view callee = callee_name(lang_, s_.str(s_.frames[callee_frame].function));
  if (callee.empty()) return;
  auto call = call_on(lang_, *lf.file, s_.frames[frame].line, callee);
  if (!call) return;
  const FunctionScope& target = *callee_facts.fn;
  auto relate = [&](const std::string& passed, const std::string& name, bool receiver) {
    if (passed.empty() || name.empty() || name == "_") return;
    std::string object;
    if (lang_ == SourceLanguage::kGo) {
      // "pass(w)" passes w; "pass(w.inner)" passes what w.inner.mu is reached through.
      std::string p = normalize_lock_expression(lang_, passed, true);
      std::string full = e.root + e.path;
      if (p.empty()) return;
      if (full == p) {
        object = name;
      } else if (full.size() > p.size() && full.starts_with(p) &&
                 (full[p.size()] == '.' || full[p.size()] == '[')) {
        object = name + full.substr(p.size());
      } else {
        return;
      }
    } else {
      std::string as_object = normalize_lock_expression(lang_, "&(" + passed + ")", true);
      std::string as_pointer = normalize_lock_expression(lang_, passed, true);
      std::string ours = join({e.deref, e.root, ""});
      // The callee's name stands for our object through a pointer ("*p") or a reference.
      if (receiver) {
        bool arrow = passed[0] == '*';
        std::string passed_object =
            arrow ? normalize_lock_expression(lang_, passed.substr(1), true) : as_object;
        if (passed_object != ours) return;
        object = "*this" + e.path;
      } else if (as_pointer == ours) {
        object = "*" + name + e.path;
      } else if (as_object == ours) {
        object = name + e.path;  // by reference (or a copy, which has no printed address)
      } else {
        return;
      }
    }
    keys(task, callee_frame, object, s_.frames[callee_frame].line, depth + 1, /*up=*/false,
         /*down=*/true, out);
  };
  if (!call->receiver.empty()) {
    relate(call->receiver, lang_ == SourceLanguage::kGo ? target.receiver : "this", true);
  }
  for (size_t k = 0; k < call->args.size() && k < target.params.size(); ++k) {
    relate(call->args[k], target.params[k], false);
  }
}

}  // namespace dla::holders
