#include "image/special_layers.h"

#include <map>

#include "archive/tar_reader.h"
#include "debian/deb_file.h"
#include "image/java_keystore.h"
#include "image/layer_plan.h"
#include "image/merged_usr.h"
#include "image/package_layer.h"
#include "image/status_d.h"
#include "util/error.h"

namespace distill {

namespace {

constexpr const char* kCertDir = "usr/share/ca-certificates/";
constexpr const char* kCaCopyright = "usr/share/doc/ca-certificates/copyright";

struct CaContent {
  std::string bundle;
  std::string copyright;
};

CaContent read_ca_content(const debian::DebFile& deb) {
  TarReader reader(deb.open_data(), deb.path() + " (" + deb.data_member() + ")");
  std::map<std::string, std::string> certs;  // byte order of paths
  CaContent out;
  TarEntry e;
  while (reader.next(e)) {
    if (e.type != TarEntry::Type::kFile) continue;
    if (e.path.rfind(kCertDir, 0) == 0) {
      certs[e.path] = reader.read_all_data();
    } else if (e.path == kCaCopyright) {
      out.copyright = reader.read_all_data();
    }
  }
  if (certs.empty()) throw Error(deb.path() + ": no certificates under /" + kCertDir);
  for (auto& [path, pem] : certs) {
    out.bundle += pem;
    if (!pem.empty() && pem.back() != '\n') out.bundle += '\n';
  }
  return out;
}

}  // namespace

std::string extract_ca_bundle(const std::string& deb_path) {
  debian::DebFile deb(deb_path);
  return read_ca_content(deb).bundle;
}

BuiltLayer write_ca_bundle_layer(const std::string& dir, const LayerBlobOptions& blob,
                                 const std::string& deb_path, const std::string& dest,
                                 int64_t mtime) {
  debian::DebFile deb(deb_path);
  CaContent ca = read_ca_content(deb);
  std::string package = control_package_name(deb.control(), deb_path);
  LayerPlan plan;
  plan.add_file(dest, ca.bundle, 0555, 0, 0, deb_path + " (CA bundle)");
  if (!ca.copyright.empty()) {
    plan.add_file("/" + std::string(kCaCopyright), ca.copyright, 0555, 0, 0, deb_path);
  }
  add_status_files(plan, package, deb.control(), deb.md5sums(), deb_path);
  return write_layer_blob(dir, blob, "CA bundle layer (ca-bundle: " + dest + ")",
                          [&](TarWriter& tar) { plan.write(tar, mtime); });
}

BuiltLayer write_java_keystore_layer(const std::string& dir, const LayerBlobOptions& blob,
                                     const std::string& deb_path, const std::string& dest,
                                     const std::string& password, int64_t mtime) {
  debian::DebFile deb(deb_path);
  CaContent ca = read_ca_content(deb);
  std::string jks = write_java_keystore(
      keystore_entries_from_pem(ca.bundle, deb_path + " (CA bundle)"), password);
  LayerPlan plan;
  plan.add_file(dest, std::move(jks), 0555, 0, 0, deb_path + " (Java keystore)");
  return write_layer_blob(dir, blob, "Java keystore layer (ca-bundle.java-keystore: " + dest + ")",
                          [&](TarWriter& tar) { plan.write(tar, mtime); });
}

BuiltLayer write_extract_layer(const std::string& dir, const LayerBlobOptions& blob,
                               const std::string& deb_path, const std::vector<std::string>& globs,
                               bool status, int64_t mtime, const std::string& label) {
  debian::DebFile deb(deb_path);
  // A path is taken when it or one of its parents matches, so naming a
  // directory takes its whole subtree, as `tar -x PATH` would.
  auto wanted = [&](const std::string& path) {
    for (size_t end = path.find('/');; end = path.find('/', end + 1)) {
      if (path_excluded(path.substr(0, end), globs)) return true;
      if (end == std::string::npos) return false;
    }
  };
  LayerPlan plan;
  std::map<std::string, std::string> files;  // taken files, for hardlinks
  TarReader reader(deb.open_data(), deb_path + " (" + deb.data_member() + ")");
  TarEntry e;
  while (reader.next(e)) {
    if (e.path.empty()) continue;
    // Merged /usr applies to the package's data as a whole, as in its
    // package layer, so paths: name the members where they land (/usr/lib).
    if (blob.merged_usr && merge_usr(e) == MergedUsrAction::kDrop) continue;
    if (!wanted(e.path)) continue;
    std::string where = label + ": " + e.path;
    switch (e.type) {
      case TarEntry::Type::kDirectory:
        plan.add_directory("/" + e.path, e.mode, e.uid, e.gid, where);
        break;
      case TarEntry::Type::kSymlink:
        plan.add_symlink("/" + e.path, e.link, e.uid, e.gid, where);
        break;
      case TarEntry::Type::kFile:
        files[e.path] = reader.read_all_data();
        plan.add_file("/" + e.path, files[e.path], e.mode, e.uid, e.gid, where);
        break;
      case TarEntry::Type::kHardlink: {
        auto it = files.find(e.link);
        if (it == files.end()) {
          throw Error(label + ": /" + e.path + " is a hardlink to /" + e.link +
                      ", which the extract paths do not take; add it to paths");
        }
        plan.add_file("/" + e.path, it->second, e.mode, e.uid, e.gid, where);
        break;
      }
      default:
        throw Error(label + ": /" + e.path + " is a " + type_name(e.type) +
                    "; device nodes are not allowed in image layers");
    }
  }
  if (plan.empty()) {
    std::string list;
    for (const auto& g : globs) list += (list.empty() ? "" : ", ") + g;
    throw Error(label + ": nothing in " + deb_path + " matches " + list);
  }
  if (status) {
    std::string package = control_package_name(deb.control(), deb_path);
    add_status_files(plan, package, deb.control(), deb.md5sums(), label);
  }
  return write_layer_blob(dir, blob, label, [&](TarWriter& tar) { plan.write(tar, mtime); });
}

BuiltLayer write_busybox_layer(const std::string& dir, const LayerBlobOptions& blob,
                               const std::string& deb_path, const std::string& busybox_dir,
                               const std::vector<std::string>& applets, int64_t mtime) {
  debian::DebFile deb(deb_path);
  std::string binary;
  {
    TarReader reader(deb.open_data(), deb_path + " (" + deb.data_member() + ")");
    TarEntry e;
    while (reader.next(e)) {
      if (e.type == TarEntry::Type::kFile &&
          (e.path == "bin/busybox" || e.path == "usr/bin/busybox")) {
        binary = reader.read_all_data();
        break;
      }
    }
  }
  if (binary.empty()) throw Error(deb_path + ": no /bin/busybox in the package");
  LayerPlan plan;
  plan.add_directory(busybox_dir, 0755, 0, 0, "busybox");
  std::string target = busybox_dir + "/busybox";
  plan.add_file(target, std::move(binary), 0755, 0, 0, deb_path);
  for (const auto& a : applets) {
    if (a == "busybox" || a.empty() || a.find('/') != std::string::npos) continue;
    plan.add_symlink(busybox_dir + "/" + a, target, 0, 0, "busybox applet " + a);
  }
  return write_layer_blob(dir, blob, "busybox layer (busybox: " + busybox_dir + ")",
                          [&](TarWriter& tar) { plan.write(tar, mtime); });
}

}  // namespace distill
