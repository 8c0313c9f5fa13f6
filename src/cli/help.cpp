#include "cli/commands.h"

namespace distill::cli {

std::string help_footer(const std::string& examples) {
  std::string out;
  if (!examples.empty()) out += "\nEXAMPLES\n" + examples + "\n";
  out +=
      "\nIMAGE REFERENCES\n"
      "  oci:DIR[:TAG]  oci-archive:FILE[:TAG]  docker-archive:FILE[:NAME:TAG]\n"
      "  docker://HOST/REPO[:TAG|@DIGEST]  scratch\n"
      "  a bare path (directory = OCI layout, file = oci-archive or docker-archive)\n"
      "\nEXIT STATUS\n"
      "  0 success, 1 error (the message names the file, field or package), 2 usage error\n"
      "\nENVIRONMENT\n"
      "  SOURCE_DATE_EPOCH  timestamp for generated files (default 0)\n"
      "  XDG_CACHE_HOME     cache root (default ~/.cache); distill uses $XDG_CACHE_HOME/distill\n"
      "  DISTILL_IMAGES     extra directory searched for image definitions\n";
  return out;
}

}  // namespace distill::cli
