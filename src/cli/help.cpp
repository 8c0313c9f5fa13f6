#include "cli/commands.h"

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

std::string help_footer(const std::string& examples) {
  std::string out;
  if (!examples.empty()) out += "\nEXAMPLES\n" + examples + "\n";
  out +=
      "\nIMAGE REFERENCES\n"
      "  oci:DIR[:TAG]  docker-archive:FILE[:NAME:TAG]  docker://HOST/REPO[:TAG|@DIGEST]\n"
      "  scratch        a bare path (directory = OCI layout, file = docker-archive)\n"
      "\nEXIT STATUS\n"
      "  0 success, 1 error (the message names the file, field or package), 2 usage error\n"
      "\nENVIRONMENT\n"
      "  SOURCE_DATE_EPOCH  timestamp for generated files (default 0)\n"
      "  XDG_CACHE_HOME     cache root (default ~/.cache); distill uses $XDG_CACHE_HOME/distill\n"
      "  DISTILL_IMAGES     extra directory searched for image definitions\n";
  return out;
}

}  // namespace distill::cli
