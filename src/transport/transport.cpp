#include "transport/transport.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "registry/open.h"
#include "transport/transports.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::transport {

namespace {

// The one table of reference kinds. A new transport is a source and a sink
// file plus one line here. For a bare PATH the first `claims` that says yes
// wins (so the directory and oci-archive checks come before the fallback).
struct Entry {
  Transport t;
  bool (*claims)(const std::string& path);  // for bare paths; null = never
};

const std::vector<Entry>& table() {
  static const std::vector<Entry> kTable = {
      {{"oci", "oci:", true, true, open_oci_layout, oci_layout_sink, oci_layout_tags,
        oci_layout_referrers},
       is_layout_path},
      {{"oci-archive", "oci-archive:", true, true, open_oci_archive, oci_archive_sink,
        oci_archive_tags, nullptr},
       is_oci_archive_path},
      {{"docker-archive", "docker-archive:", true, false, open_docker_archive, docker_archive_sink,
        docker_archive_tags, nullptr},
       is_docker_archive_path},
      {{"docker", "docker://", false, true, open_registry, registry_sink, registry_tags,
        registry_referrers},
       nullptr},
      {{"scratch", "", false, false, open_scratch, scratch_sink, scratch_tags, nullptr}, nullptr},
  };
  return kTable;
}

bool starts_with(const std::string& s, const std::string& p) {
  return s.rfind(p, 0) == 0;
}

// "PATH:TAG" where PATH exists; a path that exists as given wins.
void split_path_tag(const std::string& rest, Reference& r) {
  if (path_exists(rest) || rest.find(':') == std::string::npos) {
    r.path = rest;
    return;
  }
  size_t colon = rest.find(':');
  r.path = rest.substr(0, colon);
  r.tag = rest.substr(colon + 1);
}

const Transport& by_name(const std::string& name) {
  for (const auto& e : table()) {
    if (e.t.name == name) return e.t;
  }
  throw Error("unknown image format '" + name +
              "' (expected one of: oci, oci-archive, "
              "docker-archive)");
}

[[noreturn]] void bad_reference(const std::string& text) {
  throw Error("cannot understand image reference '" + text +
              "' (use oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE, "
              "docker://HOST/REPO:TAG or a path)");
}

}  // namespace

const std::string& Reference::kind() const {
  static const std::string kNone;
  return transport ? transport->name : kNone;
}

Reference parse_reference(const std::string& text) {
  Reference r;
  r.text = text;
  if (text.empty()) throw Error("empty image reference");
  if (text == "scratch") {
    r.transport = &by_name("scratch");
    return r;
  }
  for (const auto& e : table()) {
    if (e.t.prefix.empty() || !starts_with(text, e.t.prefix)) continue;
    r.transport = &e.t;
    std::string rest = text.substr(e.t.prefix.size());
    if (e.t.path_tag) {
      split_path_tag(rest, r);
    } else {
      r.path = rest;
      if (r.path.empty()) throw Error("empty registry reference in '" + text + "'");
    }
    break;
  }
  if (!r.transport) {
    if (text.find("://") != std::string::npos ||
        (text.find(':') != std::string::npos && !path_exists(text) &&
         !path_exists(text.substr(0, text.find(':'))))) {
      bad_reference(text);
    }
    split_path_tag(text, r);
    for (const auto& e : table()) {
      if (e.claims && e.claims(r.path)) {
        r.transport = &e.t;
        break;
      }
    }
    if (!r.transport) bad_reference(text);
  }
  if (r.path.empty()) throw Error("image reference '" + text + "' names no path");
  return r;
}

Reference make_reference(const std::string& name, const std::string& path) {
  Reference r;
  r.transport = &by_name(name);
  r.path = path;
  r.text = r.transport->prefix + path;
  return r;
}

std::vector<std::string> transport_names() {
  std::vector<std::string> out;
  for (const auto& e : table()) out.push_back(e.t.name);
  return out;
}

bool is_stdout(const Reference& ref) {
  return ref.transport && ref.transport->path_tag && ref.path == "-";
}

void check_writable(const Reference& ref) {
  if (!is_stdout(ref)) return;
  if (ref.kind() != "oci-archive" && ref.kind() != "docker-archive") {
    throw Error("an " + ref.kind() +
                " layout is a directory and cannot be streamed to stdout; use --format "
                "oci-archive or docker-archive with -o - (or docker-archive:- as a destination)");
  }
  if (::isatty(STDOUT_FILENO)) {
    throw Error("refusing to write a " + ref.kind() +
                " to a terminal; pipe it (e.g. '| podman load') or redirect stdout to a file");
  }
  // A reader that goes away (`| head`) must fail the write with EPIPE, so
  // that the temp files are removed, not kill the process where it stands.
  ::signal(SIGPIPE, SIG_IGN);
}

oci::Artifact open(const Reference& ref, const OpenOptions& opts) {
  if (!ref.transport) throw Error("internal: reference '" + ref.text + "' has no transport");
  return ref.transport->open(ref, opts);
}

std::unique_ptr<ReferrerStore> open_referrers(const Reference& ref,
                                              const registry::RegistryOptions& opts) {
  if (!ref.transport) throw Error("internal: reference '" + ref.text + "' has no transport");
  if (!ref.transport->referrers) return nullptr;
  return ref.transport->referrers(ref, opts);
}

std::vector<std::string> list_tags(const Reference& ref, const OpenOptions& opts) {
  if (!ref.transport) throw Error("internal: reference '" + ref.text + "' has no transport");
  return ref.transport->tags(ref, opts);
}

WriteResult write(const Reference& ref, const oci::Artifact& artifact, const WriteOptions& opts) {
  if (!ref.transport) throw Error("internal: reference '" + ref.text + "' has no transport");
  if (!artifact.image && !artifact.index) throw Error("internal: nothing to write");
  check_writable(ref);
  return ref.transport->make_sink(ref, opts)->write(artifact);
}

void StdoutSink::write(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(STDOUT_FILENO, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot write", "stdout");
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void prefetch_blobs(const oci::Artifact& artifact, const WriteOptions& opts) {
  registry::prefetch(artifact, opts.registry);
}

std::vector<std::string> sink_tags(const Reference& ref, const WriteOptions& opts,
                                   const std::string& fallback) {
  if (!opts.tags.empty()) return opts.tags;
  if (!ref.tag.empty()) return {ref.tag};
  if (!fallback.empty()) return {fallback};
  return {};
}

oci::ImagePtr scratch_image(const oci::Platform& platform) {
  nlohmann::json c;
  c["architecture"] = platform.architecture;
  c["os"] = platform.os;
  c["config"] = nlohmann::json::object();
  c["rootfs"] = {{"type", "layers"}, {"diff_ids", nlohmann::json::array()}};
  std::string config = c.dump();
  return std::make_shared<oci::MemoryImage>(oci::make_manifest(config, {}), config,
                                            std::vector<oci::LayerPtr>{});
}

}  // namespace distill::transport
