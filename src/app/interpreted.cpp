#include "app/interpreted.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/handles.h"
#include "util/io.h"
#include "util/strings.h"

namespace distill::app {

namespace {

// A manifest bigger than this is not a jar's (they are a few hundred bytes).
constexpr size_t kMaxManifest = 1 << 20;

std::string read_head(const std::string& path, const std::string& shown, size_t n) {
  FilePtr f(std::fopen(path.c_str(), "rb"));
  if (!f) throw Error(shown + ": cannot read the app's entry file: " + std::strerror(errno));
  std::string out(n, '\0');
  out.resize(std::fread(out.data(), 1, n, f.get()));
  return out;
}

std::string interpreter_file_name(const std::string& p) {
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// "python3" or "node" for an interpreter's file name, else "".
std::string runtime_of(const std::string& program) {
  std::string name = interpreter_file_name(program);
  if (name == "python3" || (name.rfind("python3.", 0) == 0 && name.size() > 8)) return "python3";
  if (name == "node" || name == "nodejs") return "node";
  return "";
}

// The interpreter a #! line runs: its program, or for `env [-S] NAME` the NAME.
std::string shebang_program(const std::string& line) {
  std::vector<std::string> words = split_list(line.substr(2), ' ');
  if (words.empty()) return "";
  if (interpreter_file_name(words[0]) != "env") return words[0];
  for (size_t i = 1; i < words.size(); ++i) {
    if (words[i][0] != '-' && words[i].find('=') == std::string::npos) return words[i];
  }
  return "";
}

EntryKind from_shebang(const std::string& head, const std::string& shown) {
  std::string line = head.substr(0, head.find('\n'));
  for (char& c : line) {
    if (c == '\t' || c == '\r') c = ' ';
  }
  std::string program = shebang_program(line);
  std::string runtime = runtime_of(program);
  if (runtime.empty()) {
    throw Error(shown + ": a script for '" + program +
                "', which --from auto does not know (it knows #! lines naming python3 or node, "
                ".py files and jars); name a base with --from");
  }
  return {EntryKind::kInterpreted, runtime, "a script whose #! line names " + program};
}

// The manifest of the zip at `path`, read through its central directory.
std::string jar_manifest(const std::string& path, const std::string& shown) {
  ArchiveReadPtr a(archive_read_new());
  archive_read_support_format_zip_seekable(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    throw Error(shown + ": not a readable zip: " + archive_error_string(a.get()));
  }
  archive_entry* e = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK) {
    if (std::strcmp(archive_entry_pathname(e), "META-INF/MANIFEST.MF") != 0) continue;
    std::string out;
    char buf[8192];
    la_ssize_t n;
    while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
      out.append(buf, static_cast<size_t>(n));
      if (out.size() > kMaxManifest) throw Error(shown + ": META-INF/MANIFEST.MF is over 1 MiB");
    }
    if (n < 0)
      throw Error(shown + ": cannot read META-INF/MANIFEST.MF: " + archive_error_string(a.get()));
    return out;
  }
  if (rc != ARCHIVE_EOF)
    throw Error(shown + ": not a readable zip: " + archive_error_string(a.get()));
  return "";
}

}  // namespace

std::string manifest_main_class(const std::string& manifest) {
  // Lines end in CRLF, LF or CR; a line starting with one space continues the last.
  std::vector<std::string> lines;
  std::string cur;
  for (size_t i = 0; i <= manifest.size(); ++i) {
    char c = i < manifest.size() ? manifest[i] : '\n';
    if (c != '\r' && c != '\n') {
      cur += c;
      continue;
    }
    if (c == '\r' && i + 1 < manifest.size() && manifest[i + 1] == '\n') ++i;
    if (!cur.empty() && cur[0] == ' ' && !lines.empty()) {
      lines.back() += cur.substr(1);
    } else {
      lines.push_back(cur);
    }
    cur.clear();
  }
  for (const auto& l : lines) {
    if (l.empty()) break;  // the main section ends at the first blank line
    if (l.size() > 11 && iequals(l.substr(0, 11), "Main-Class:"))
      return std::string(trim(l.substr(11)));
  }
  return "";
}

EntryKind classify_entry(const std::string& path, const std::string& shown) {
  std::string head = read_head(path, shown, 512);
  if (head.compare(0, 4,
                   "\x7f"
                   "ELF") == 0)
    return {EntryKind::kElf, "", "an ELF file"};
  if (head.compare(0, 2, "#!") == 0) return from_shebang(head, shown);
  if (head.compare(0, 4, "PK\x03\x04") == 0 || path.ends_with(".jar")) {
    std::string main = manifest_main_class(jar_manifest(path, shown));
    if (main.empty()) {
      throw Error(shown +
                  ": a jar without a Main-Class in META-INF/MANIFEST.MF, so java -jar "
                  "cannot run it; add one (jar --main-class) or name a base with --from");
    }
    return {EntryKind::kInterpreted, "java", "a jar, Main-Class " + main};
  }
  if (path.ends_with(".py")) return {EntryKind::kInterpreted, "python3", "a .py file"};
  for (const char* ext : {".js", ".mjs", ".cjs"}) {
    if (path.ends_with(ext))
      return {EntryKind::kInterpreted, "node", std::string("a ") + ext + " file"};
  }
  throw Error(shown +
              ": not an ELF program and not a script --from auto knows (a #! line naming "
              "python3 or node, a .py file or a jar); name a base with --from");
}

}  // namespace distill::app
