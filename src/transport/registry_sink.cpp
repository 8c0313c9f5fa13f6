// docker://HOST/REPO[:TAG|@DIGEST] for writing: blobs, then manifests, the
// tagged one last (registry/push.h).
#include "registry/open.h"
#include "transport/transports.h"
#include "util/error.h"
#include "util/log.h"

namespace distill::transport {

namespace {

class RegistrySink : public Sink {
 public:
  RegistrySink(Reference ref, WriteOptions opts) : ref_(std::move(ref)), opts_(std::move(opts)) {}

  WriteResult write(const oci::Artifact& a) override {
    registry::PushStats st = registry::push_artifact(a, ref_.text, opts_.registry);
    std::string summary = "pushed " + std::to_string(st.uploaded) + " blobs (" +
                          human_size(st.bytes) + "), " + std::to_string(st.skipped) +
                          " already present, " + std::to_string(st.mounted) + " mounted";
    return {st.digest, summary};
  }

 private:
  Reference ref_;
  WriteOptions opts_;
};

}  // namespace

std::unique_ptr<Sink> registry_sink(const Reference& ref, const WriteOptions& opts) {
  if (!opts.tags.empty())
    throw Error("-t/--tag applies to oci: destinations; put the tag in " + ref.text);
  return std::make_unique<RegistrySink>(ref, opts);
}

}  // namespace distill::transport
