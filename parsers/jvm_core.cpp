#include "parsers/jvm_core.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unordered_set>

#include <fmt/format.h>

#include "parsers/jvm_sa_dump.h"
#include "parsers/run_command.h"

namespace dla {

namespace {

std::string hex_bytes(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

bool is_file(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The build-id of the ELF file at `path`, hex; empty when it has none or cannot be read.
std::string build_id_of_file(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  elf_version(EV_CURRENT);
  std::string id;
  if (Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr)) {
    const void* bits = nullptr;
    ssize_t n = dwelf_elf_gnu_build_id(elf, &bits);
    if (n > 0) id = hex_bytes({static_cast<const char*>(bits), static_cast<size_t>(n)});
    elf_end(elf);
  }
  close(fd);
  return id;
}

// The first line of a program's error output, for a one-line message.
std::string first_line(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
  return std::string(text.substr(0, text.find('\n')));
}

// How long the SA may take. It reads the core lazily, but --locks walks the whole heap for
// java.util.concurrent locks: measured 5-25 s for a 2.6 GB core of a 128 MB heap here; a large
// heap takes longer.
constexpr double kSaTimeoutSeconds = 900;

class JvmCoreReader {
 public:
  JvmCoreReader(const Input& input, const CoreFile& core, const JvmInCore& jvm,
                const CoreOptions& options, SnapshotBuilder& out)
      : in_(input), core_(core), jvm_(jvm), options_(options), out_(out) {}

  void run() {
    if (in_.name == "-") {
      fail(
          "read from standard input; the Serviceability Agent reads a core from a file: save it "
          "to a file and give its path");
    }
    std::vector<std::string> command = sa_command(jvm_, options_.sysroot, java(), in_.name);
    check_jdk(command);
    if (!options_.run_serviceability_agent) {
      fail(
          fmt::format("its Java threads are read by running '{}', which this run may not do; "
                      "run it, then dlanalyze its output",
                      shell_words(command)));
    }
    if (options_.progress) {
      options_.progress(
          fmt::format("{}: a JVM core: reading its Java threads with '{}' (this "
                      "takes tens of seconds)",
                      in_.name, shell_words(command)));
    }
    std::vector<std::string> env;
    // The SA opens the core's libraries at the paths the core records, under SA_ALTROOT.
    if (!options_.sysroot.empty()) env.push_back("SA_ALTROOT=" + options_.sysroot);
    CommandResult r = run_command(command, env, kSaTimeoutSeconds);
    if (options_.progress) {
      options_.progress(
          fmt::format("{}: the Serviceability Agent took {:.1f} s", in_.name, r.seconds));
    }
    if (r.timed_out) {
      fail(
          fmt::format("'{}' did not finish in {:.0f} s and was stopped; run it yourself, then "
                      "dlanalyze its output",
                      shell_words(command), kSaTimeoutSeconds));
    }
    if (r.exit_code != 0 || r.out.find("Debugger attached successfully.") == std::string::npos) {
      std::string why = first_line(r.err.empty() ? r.out : r.err);
      fail(fmt::format(
          "'{}' failed ({}){}", shell_words(command),
          r.signal != 0 ? fmt::format("signal {}", r.signal) : fmt::format("exit {}", r.exit_code),
          why.empty() ? "" : ": " + why));
    }
    sa_output_ = std::move(r.out);
    read_sa_dump({fmt::format("{} (Serviceability Agent output)", in_.name), sa_output_}, out_);
    tie_threads_to_core();
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(fmt::format("{}: a JVM core ({}{}): {}", in_.name, jvm_.libjvm,
                            jvm_.build_id.empty() ? "" : ", build-id " + jvm_.build_id, why));
  }

  std::string local(const std::string& path) const { return options_.sysroot + path; }

  // The executable the SA is given: --exe, else the core's own when it is here, else the JDK's
  // launcher (the SA needs one of the same JDK; the VM is in libjvm.so).
  std::string java() const {
    if (!options_.exe.empty()) return options_.exe;
    if (core_.entry) {
      std::string exe(core_.mapping_path(*core_.entry));
      if (exe.ends_with(" (deleted)")) exe.resize(exe.size() - 10);
      if (!exe.empty() && is_file(local(exe))) return local(exe);
    }
    return local(jvm_.home) + "/bin/java";
  }

  // The SA must be the core's own JDK build: its libjvm.so here, with the core's build-id.
  void check_jdk(const std::vector<std::string>& command) const {
    std::string wanted = fmt::format("{} ({})", jvm_.home, jvm_.layout->jdk);
    std::string libjvm = local(jvm_.libjvm);
    if (!is_file(libjvm)) {
      // The command as it runs where that JDK is installed at its own path.
      std::string exe = options_.exe.empty() ? jvm_.home + "/bin/java" : options_.exe;
      fail(
          fmt::format("its Java threads can only be read by the Serviceability Agent of the JDK "
                      "it ran on, {}, which is not installed here ({} is missing): install that "
                      "JDK build (or give a copy of the crashed machine's files with --sysroot) "
                      "and run '{}', then dlanalyze its output",
                      wanted, libjvm, shell_words(sa_command(jvm_, "", exe, in_.name))));
    }
    std::string here = build_id_of_file(libjvm);
    if (!jvm_.build_id.empty() && here != jvm_.build_id) {
      fail(fmt::format(
          "the JDK at {} is another build (its libjvm.so has build-id {}): only the "
          "Serviceability Agent of the core's own JDK build can read its Java "
          "threads; install the JDK whose libjvm.so has build-id {} and run '{}' "
          "with it, then dlanalyze its output",
          local(jvm_.home), here.empty() ? "none" : here, jvm_.build_id, shell_words(command)));
    }
    if (!is_file(command[0])) {
      fail(
          fmt::format("the JDK at {} has no {}: install the full JDK of that build (on Debian: "
                      "openjdk-N-jdk-headless) and run '{}', then dlanalyze its output",
                      local(jvm_.home), command[0], shell_words(command)));
    }
    if (jvm_.build_id.empty()) {
      out_.warn(in_.name, fmt::format("the core does not hold libjvm.so's build-id: the JDK at {} "
                                      "is taken for the core's own without a check",
                                      local(jvm_.home)));
    }
  }

  // Each Java thread's nid is its LWP, which must be one of the core's threads: that proves the
  // SA read this core, and gives each Java thread its place among the native ones.
  void tie_threads_to_core() {
    std::unordered_set<int64_t> lwps;
    for (const CoreThread& t : core_.threads) lwps.insert(t.lwp);
    Snapshot& s = out_.snapshot();
    std::vector<std::string> strangers;
    size_t tied = 0;
    for (const Task& t : s.tasks) {
      if (!t.lwp) continue;
      if (lwps.count(*t.lwp)) {
        ++tied;
      } else {
        strangers.push_back(fmt::format("\"{}\" (nid {})", s.str(t.id), *t.lwp));
      }
    }
    if (tied == 0) {
      throw Error(
          fmt::format("{}: none of the {} Java threads the Serviceability Agent printed is "
                      "one of the core's {} threads: its output is not of this core",
                      in_.name, s.tasks.size(), core_.threads.size()));
    }
    if (!strangers.empty()) {
      out_.warn(in_.name, fmt::format("{} Java thread(s) are not among the core's threads: {}",
                                      strangers.size(), fmt::join(strangers, ", ")));
    }
  }

  const Input& in_;
  const CoreFile& core_;
  const JvmInCore& jvm_;
  const CoreOptions& options_;
  SnapshotBuilder& out_;
  std::string sa_output_;  // the snapshot's strings are copied out of it; kept for messages
};

}  // namespace

std::optional<JvmInCore> find_jvm_in_core(const CoreFile& core) {
  for (const CoreMapping& m : core.mappings) {
    std::string path(m.path);
    if (path.ends_with(" (deleted)")) path.resize(path.size() - 10);  // replaced on disk since
    if (!path.ends_with("/libjvm.so")) continue;
    JvmInCore jvm;
    jvm.libjvm = path;
    jvm.layout = hotspot::find_jdk_layout(path);
    if (jvm.layout != nullptr) {
      jvm.home = path.substr(0, path.size() - jvm.layout->libjvm_suffix.size());
    } else {
      // An unknown layout (an embedded VM, a custom build): the SA of JDK 9+ is the best bet,
      // its home two levels above lib/<vm>/libjvm.so.
      jvm.layout = hotspot::find_jdk_layout("/lib/server/libjvm.so");
      std::string_view dir = path;
      for (int up = 0; up < 3 && dir.rfind('/') != std::string_view::npos; ++up) {
        dir = dir.substr(0, dir.rfind('/'));
      }
      jvm.home = std::string(dir);
    }
    for (const CoreMapping& first : core.mappings) {
      if (first.path == m.path && first.file_offset == 0) {
        if (auto id = core.build_id_at(first.start)) jvm.build_id = hex_bytes(*id);
        break;
      }
    }
    return jvm;
  }
  return std::nullopt;
}

std::vector<std::string> sa_command(const JvmInCore& jvm, const std::string& sysroot,
                                    const std::string& java, const std::string& core_path) {
  std::vector<std::string> argv;
  std::string_view spec = jvm.layout->sa_command;
  bool first = true;
  while (!spec.empty()) {
    size_t space = spec.find(' ');
    std::string_view word = spec.substr(0, space);
    spec = space == std::string_view::npos ? std::string_view() : spec.substr(space + 1);
    if (first) {
      argv.push_back(sysroot + jvm.home + "/" + std::string(word));
      first = false;
    } else if (word == "{java}") {
      argv.push_back(java);
    } else if (word == "{core}") {
      argv.push_back(core_path);
    } else {
      argv.emplace_back(word);
    }
  }
  return argv;
}

void read_jvm_core(const Input& input, const CoreFile& core, const JvmInCore& jvm,
                   const CoreOptions& options, SnapshotBuilder& out) {
  JvmCoreReader(input, core, jvm, options, out).run();
}

}  // namespace dla
