// Parts "ca-bundle" and "java-keystore": the PEM bundle from the CA
// package the family rules name (ca-bundle.package), and the JKS trust
// store made from the same certificates. Both read the package without
// installing it; a definition that installs it whole gets neither layer.
#include <nlohmann/json.hpp>

#include "image/parts.h"
#include "image/special_layers.h"
#include "util/error.h"

namespace distill {

namespace {

void ca_sources(const Definition& def, std::vector<std::string>& out) {
  if (def.ca_bundle) add_source(def, rule_package(def, def.ca_package, "ca-bundle.package"), out);
}

void ca_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  if (!in.def.ca_bundle) return;
  const SelectedPackage* p = in.selection.source(in.def.ca_package.value_or(""));
  if (!p) return;
  std::string dest = *in.def.ca_bundle;
  auto deb = deb_source(in.debs, *p);
  if (in.explain) {
    in.explain->push_back({in.arch, "file " + dest,
                           "CA bundle from " + p->locked.name + " " + p->locked.version + " (" +
                               key_origin(in.def, "ca-bundle") + ")"});
  }
  LayerBlobOptions blob = in.layers.blob;
  int64_t mtime = in.layers.mtime;
  out.push_back({"CA bundle from " + p->locked.name + " " + p->locked.version,
                 "CA bundle " + dest + " from " + p->locked.name + " " + p->locked.version,
                 [blob, deb, dest, mtime](const std::string& dir) {
                   return write_ca_bundle_layer(dir, blob, deb(), dest, mtime);
                 }});
  out.back().key_inputs = nlohmann::json{
      {"part", "ca-bundle"},
      {"deb", p->locked.sha256},
      {"dest", dest},
      {"mtime", mtime}}.dump();
  out.back().debs = {p->locked.name};
}

void keystore_sources(const Definition& def, std::vector<std::string>& out) {
  if (def.java_keystore) {
    add_source(def, rule_package(def, def.ca_package, "ca-bundle.package"), out);
  }
}

void keystore_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  if (!in.def.java_keystore) return;
  const SelectedPackage* p = in.selection.source(in.def.ca_package.value_or(""));
  if (!p) return;
  if (!in.def.java_keystore_password) {
    throw Error(in.def.path +
                ": ca-bundle.java-keystore-password is not set; the family rules "
                "(images/common/family.yaml) set it");
  }
  std::string dest = *in.def.java_keystore;
  auto deb = deb_source(in.debs, *p);
  std::string password = *in.def.java_keystore_password;
  if (in.explain) {
    in.explain->push_back({in.arch, "file " + dest,
                           "Java keystore of the CA bundle from " + p->locked.name + " " +
                               p->locked.version + " (" + key_origin(in.def, "java-keystore") +
                               ")"});
  }
  LayerBlobOptions blob = in.layers.blob;
  int64_t mtime = in.layers.mtime;
  out.push_back({"Java keystore from " + p->locked.name + " " + p->locked.version,
                 "Java keystore " + dest + " from " + p->locked.name + " " + p->locked.version,
                 [blob, deb, dest, password, mtime](const std::string& dir) {
                   return write_java_keystore_layer(dir, blob, deb(), dest, password, mtime);
                 }});
  out.back().key_inputs = nlohmann::json{
      {"part", "java-keystore"},
      {"deb", p->locked.sha256},
      {"dest", dest},
      {"password", password},
      {"mtime", mtime}}.dump();
  out.back().debs = {p->locked.name};
}

}  // namespace

extern const PartKind kCaBundlePart{"ca-bundle",
                                    [](const Definition& def) { return def.ca_bundle.has_value(); },
                                    ca_sources, ca_jobs};

extern const PartKind kJavaKeystorePart{
    "java-keystore", [](const Definition& def) { return def.java_keystore.has_value(); },
    keystore_sources, keystore_jobs};

}  // namespace distill
