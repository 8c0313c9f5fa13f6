#include "cli/commands.h"

#include <algorithm>

#include "util/suggest.h"

namespace distill::cli {

namespace {
int g_exit_status = 0;
int g_error_status = 1;
}  // namespace

void set_exit_status(int status) {
  g_exit_status = status;
}
void set_error_status(int status) {
  g_error_status = status;
}
int exit_status() {
  return g_exit_status;
}
int error_status() {
  return g_error_status;
}

namespace {

// Index in args of the first word that is not a flag (the command), or 0.
// The program's own flags (-q, -v, --help, --version) take no value.
size_t command_index(const std::vector<std::string>& args, size_t from = 1) {
  for (size_t i = from; i < args.size(); ++i) {
    if (args[i] == "--") return 0;
    if (args[i].empty() || args[i][0] != '-') return i;
  }
  return 0;
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

const CLI::App* find_command(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

}  // namespace

std::vector<std::string> rewrite_help(std::vector<std::string> args) {
  size_t i = command_index(args);
  if (i == 0 || args[i] != "help") return args;
  size_t j = command_index(args, i + 1);
  std::vector<std::string> out(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(i));
  if (j != 0) out.push_back(args[j]);
  out.push_back("--help");
  return out;
}

std::string unknown_command_message(const CLI::App& app, const std::vector<std::string>& args) {
  size_t i = command_index(args);
  if (i == 0 || find_command(app, args[i])) return "";
  return "unknown command '" + args[i] + "'" + did_you_mean(args[i], command_names(app));
}

std::string unknown_option_message(const CLI::App& app, const std::vector<std::string>& args) {
  size_t i = command_index(args);
  const CLI::App* cmd = i == 0 ? nullptr : find_command(app, args[i]);
  std::vector<std::string> known;
  for (const CLI::App* a : {&app, cmd}) {
    if (!a) continue;
    for (const CLI::Option* o : a->get_options())
      for (const auto& n : o->get_lnames()) known.push_back("--" + n);
  }
  for (size_t k = 1; k < args.size(); ++k) {
    const std::string& t = args[k];
    if (t == "--") break;
    if (t.size() < 3 || !t.starts_with("--")) continue;
    std::string name = t.substr(0, t.find('='));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string where = cmd ? "distill " + cmd->get_name() : "distill";
    return "unknown option '" + name + "' for '" + where + "'" + did_you_mean(name, known);
  }
  return "";
}

std::string usage_message(const CLI::ParseError& e) {
  std::string m = e.what();
  size_t colon = m.find(": ");
  if (colon != std::string::npos && colon > 0) {
    std::string name = m.substr(0, colon);
    if (m.compare(colon + 2, name.size() + 1, name + " ") == 0) return m.substr(colon + 2);
  }
  return m;
}

std::string help_footer(const std::string& examples, const std::string& exit_status) {
  std::string out;
  if (!examples.empty()) out += "\nEXAMPLES\n" + examples + "\n";
  out +=
      "\nIMAGE REFERENCES\n"
      "  oci:DIR[:TAG]  oci-archive:FILE[:TAG]  docker-archive:FILE[:NAME:TAG]\n"
      "  docker://HOST/REPO[:TAG|@DIGEST]  scratch\n"
      "  a bare path (directory = OCI layout, file = oci-archive or docker-archive)\n"
      "\nEXIT STATUS\n"
      "  0 success, 1 error (the message names the file, field or package), 2 usage error\n" +
      exit_status +
      "\nENVIRONMENT\n"
      "  SOURCE_DATE_EPOCH  timestamp for generated files (default 0)\n"
      "  XDG_CACHE_HOME     cache root (default ~/.cache); distill uses $XDG_CACHE_HOME/distill\n"
      "  DISTILL_IMAGES     extra directory searched for image definitions\n";
  return out;
}

}  // namespace distill::cli
