// Flag parsing for the topolab-cli subcommands. Every subcommand declares its flags in one table
// (a `Command`, beside the subcommand's code); `check_args` is the one function that holds a
// command line against that table before the subcommand runs: an unknown flag, a missing value,
// a value given to a switch or an operand where none is taken is an error naming it (exit 2), and
// `--help`/`-h` prints the usage built from the table (exit 0, nothing runs). The subcommands
// then read their flags with `flag`, `has_flag` and `flag_all`.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.h"
#include "lesson/text.h"

namespace topo::cli {

namespace {

const Flag* find_flag(const Command& c, const std::string& name) {
  for (const auto& f : c.flags)
    if (name == f.name) return &f;
  return nullptr;
}

std::string unknown_flag(const Command& c, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& f : c.flags) names.push_back(f.name);
  names.push_back("help");
  const std::string near = lesson::closest(name, names);
  std::string msg = "unknown flag --" + name;
  if (!near.empty()) msg += " (did you mean --" + near + "?)";
  return msg;
}

}  // namespace

ArgsCheck check_args(const Command& c, const Args& a, std::string* err) {
  bool operands_only = false;
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string& s = a[i];
    if (operands_only || s == "-" || s.size() < 2 || s[0] != '-' || (s[1] != '-' && !std::isalpha(static_cast<unsigned char>(s[1])))) {
      if (!c.operands) {
        *err = "unexpected argument \"" + s + "\" (" + c.name + " takes only flags)";
        return ArgsCheck::Error;
      }
      continue;
    }
    if (s == "--") { operands_only = true; continue; }
    if (s == "--help" || s == "-h") return ArgsCheck::Help;
    if (s[1] != '-') {
      *err = "unknown flag " + s;
      return ArgsCheck::Error;
    }
    const size_t eq = s.find('=');
    const std::string name = s.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const Flag* f = find_flag(c, name);
    if (!f) {
      *err = unknown_flag(c, name);
      return ArgsCheck::Error;
    }
    if (!f->value) {
      if (eq != std::string::npos) {
        *err = "flag --" + name + " takes no value";
        return ArgsCheck::Error;
      }
      continue;
    }
    if (eq != std::string::npos) {
      if (eq + 1 == s.size()) {
        *err = "missing value for --" + name + " (--" + name + " " + f->value + ")";
        return ArgsCheck::Error;
      }
      continue;
    }
    if (i + 1 >= a.size() || a[i + 1].rfind("--", 0) == 0) {
      *err = "missing value for --" + name + " (--" + name + " " + f->value + ")";
      return ArgsCheck::Error;
    }
    ++i;  // the value
  }
  return ArgsCheck::Run;
}

std::string command_usage(const Command& c) {
  std::string u = std::string("usage: topolab-cli ") + c.name;
  if (!c.flags.empty()) u += " [FLAGS]";
  if (c.operands) u += std::string(" ") + c.operands;
  u += std::string("\n\n") + c.summary + "\n";
  size_t width = std::string("-h, --help").size();
  auto left = [](const Flag& f) { return std::string("--") + f.name + (f.value ? std::string(" ") + f.value : ""); };
  for (const auto& f : c.flags) width = std::max(width, left(f).size());
  auto line = [&](const std::string& l, const std::string& help) {
    return "  " + l + std::string(width - l.size() + 3, ' ') + help + "\n";
  };
  u += "\nflags:\n";
  for (const auto& f : c.flags) u += line(left(f), f.help);
  u += line("-h, --help", "print this help and exit");
  return u;
}

int run_command(const Command& c, const Args& a) {
  std::string err;
  switch (check_args(c, a, &err)) {
    case ArgsCheck::Help:
      std::cout << command_usage(c);
      if (c.more_help) std::cout << c.more_help(a);
      return 0;
    case ArgsCheck::Error:
      std::cerr << "topolab-cli " << c.name << ": " << err << " (see topolab-cli " << c.name << " --help)\n";
      return 2;
    case ArgsCheck::Run:
      break;
  }
  try {
    return c.run(a);
  } catch (const std::exception& e) {
    std::cerr << "topolab-cli " << c.name << ": error: " << e.what() << "\n";
    return 2;
  }
}

const std::vector<const Command*>& commands() {
  static const std::vector<const Command*> all = {&kScenarios, &kHash,   &kTrace, &kBench, &kBenchUi,
                                                  &kChaos,     &kCheckHistory, &kCheck, &kRun, &kRecord};
  return all;
}

void print_usage(std::ostream& out) {
  out << "topolab-cli " << TOPOLAB_VERSION << ": the Topolab simulation core on the command line\n\n"
      << "usage: topolab-cli COMMAND [ARGS]   (topolab-cli COMMAND --help: its flags)\n\ncommands:\n";
  size_t width = 0;
  for (const Command* c : commands()) width = std::max(width, std::string(c->name).size());
  for (const Command* c : commands())
    out << "  " << c->name << std::string(width - std::string(c->name).size() + 3, ' ') << c->summary << "\n";
  out << "\n  --version   print the version\n  --help      this text\n";
}

int cli_main(const Args& argv) {
  if (argv.empty()) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string& cmd = argv[0];
  if (cmd == "--version" || cmd == "version") {
    std::cout << "topolab-cli " << TOPOLAB_VERSION << "\n";
    return 0;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    print_usage(std::cout);
    return 0;
  }
  const Args rest(argv.begin() + 1, argv.end());
  std::vector<std::string> names;
  for (const Command* c : commands()) {
    if (cmd == c->name) return run_command(*c, rest);
    names.push_back(c->name);
  }
  const std::string near = lesson::closest(cmd, names);
  std::cerr << "topolab-cli: unknown command \"" << cmd << "\"" << (near.empty() ? "" : " (did you mean " + near + "?)")
            << " (see topolab-cli --help)\n";
  return 2;
}

std::string flag(const Args& a, const std::string& name, const std::string& fallback) {
  const std::string eq = "--" + name + "=";
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "--" + name && i + 1 < a.size()) return a[i + 1];
    if (a[i].rfind(eq, 0) == 0) return a[i].substr(eq.size());
  }
  return fallback;
}

bool has_flag(const Args& a, const std::string& name) {
  for (const auto& s : a)
    if (s == "--" + name || s.rfind("--" + name + "=", 0) == 0) return true;
  return false;
}

std::vector<std::string> flag_all(const Args& a, const std::string& name) {
  std::vector<std::string> out;
  const std::string eq = "--" + name + "=";
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "--" + name && i + 1 < a.size()) out.push_back(a[++i]);
    else if (a[i].rfind(eq, 0) == 0) out.push_back(a[i].substr(eq.size()));
  }
  return out;
}

bool set_flags(const Args& a, const char* cmd, std::map<std::string, std::string>* out) {
  for (const auto& kv : flag_all(a, "set")) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "topolab-cli " << cmd << ": --set expects KEY=VALUE, got \"" << kv << "\"\n";
      return false;
    }
    (*out)[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return true;
}

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

}  // namespace topo::cli
