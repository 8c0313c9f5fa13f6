// What runs an app's entry file, read from the file itself: an ELF program
// (the ELF analysis picks its base), a script whose #! line names python3
// or node, a .py (or .js/.mjs/.cjs) file, or a jar (a zip whose
// META-INF/MANIFEST.MF names a Main-Class, found through the zip's central
// directory). `distill build --from auto` turns the runtime into a family
// image (images/common/interpreters.yaml) and that image's entrypoint.
#pragma once

#include <string>

namespace distill::app {

struct EntryKind {
  enum Kind { kElf, kInterpreted } kind = kElf;
  std::string runtime;  // kInterpreted: "python3", "node" or "java"
  std::string reason;   // "a script whose #! line names /usr/bin/python3", "a .py file",
                        // "a jar, Main-Class x.Main"
};

// Reads the head of host file `path` (`shown` names it in messages, e.g. the
// --app argument). Throws Error "SHOWN: ..." for a file it cannot read, a
// #! line naming another interpreter, a jar without a Main-Class, and
// anything else that is neither an ELF nor a recognised script.
EntryKind classify_entry(const std::string& path, const std::string& shown);

// The Main-Class of manifest text (META-INF/MANIFEST.MF, with its 72-byte
// continuation lines joined), or "" if it has none.
std::string manifest_main_class(const std::string& manifest);

}  // namespace distill::app
