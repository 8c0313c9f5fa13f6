// The readers and writers behind transport.h, one pair of files each
// (NAME_source.cpp, NAME_sink.cpp). Only transport.cpp's table uses these.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "transport/transport.h"

namespace distill::transport {

oci::Artifact open_oci_layout(const Reference& ref, const OpenOptions& opts);
std::unique_ptr<Sink> oci_layout_sink(const Reference& ref, const WriteOptions& opts);
bool is_layout_path(const std::string& path);
std::unique_ptr<ReferrerStore> oci_layout_referrers(const Reference& ref,
                                                    const registry::RegistryOptions& opts);
std::vector<std::string> oci_layout_tags(const Reference& ref, const OpenOptions& opts);

oci::Artifact open_oci_archive(const Reference& ref, const OpenOptions& opts);
std::unique_ptr<Sink> oci_archive_sink(const Reference& ref, const WriteOptions& opts);
bool is_oci_archive_path(const std::string& path);
std::vector<std::string> oci_archive_tags(const Reference& ref, const OpenOptions& opts);

oci::Artifact open_docker_archive(const Reference& ref, const OpenOptions& opts);
std::unique_ptr<Sink> docker_archive_sink(const Reference& ref, const WriteOptions& opts);
bool is_docker_archive_path(const std::string& path);
std::vector<std::string> docker_archive_tags(const Reference& ref, const OpenOptions& opts);

oci::Artifact open_registry(const Reference& ref, const OpenOptions& opts);
std::unique_ptr<Sink> registry_sink(const Reference& ref, const WriteOptions& opts);
std::vector<std::string> registry_tags(const Reference& ref, const OpenOptions& opts);
std::unique_ptr<ReferrerStore> registry_referrers(const Reference& ref,
                                                  const registry::RegistryOptions& opts);

oci::Artifact open_scratch(const Reference& ref, const OpenOptions& opts);
std::unique_ptr<Sink> scratch_sink(const Reference& ref, const WriteOptions& opts);
std::vector<std::string> scratch_tags(const Reference& ref, const OpenOptions& opts);

// Where `-o -` archives go: stdout, a descriptor it does not close. A failed
// write (the reader went away) is an Error naming stdout.
class StdoutSink : public ByteSink {
 public:
  void write(const void* data, size_t size) override;
};

// Downloads, in parallel, the layers of `artifact` that live in a registry,
// so that a local sink then reads files. A no-op for other layers.
void prefetch_blobs(const oci::Artifact& artifact, const WriteOptions& opts);

// The tags a local sink stores: opts.tags, else the reference's tag, else
// `fallback` ("" = none).
std::vector<std::string> sink_tags(const Reference& ref, const WriteOptions& opts,
                                   const std::string& fallback);

}  // namespace distill::transport
