// oci:DIR[:TAG] for writing: blobs added to the layout (an existing one keeps
// its other tags), index.json swapped in atomically.
#include "oci/layout.h"
#include "transport/transports.h"

namespace distill::transport {

namespace {

class LayoutSink : public Sink {
 public:
  LayoutSink(Reference ref, WriteOptions opts) : ref_(std::move(ref)), opts_(std::move(opts)) {}

  WriteResult write(const oci::Artifact& a) override {
    prefetch_blobs(a, opts_);
    oci::OciLayoutWriter w(ref_.path);
    oci::Descriptor d = a.index ? w.write_index(*a.index) : w.write_image(*a.image);
    for (const auto& t : sink_tags(ref_, opts_, "latest")) w.tag(d, t);
    w.commit();
    return {d.digest, ""};
  }

 private:
  Reference ref_;
  WriteOptions opts_;
};

}  // namespace

std::unique_ptr<Sink> oci_layout_sink(const Reference& ref, const WriteOptions& opts) {
  return std::make_unique<LayoutSink>(ref, opts);
}

}  // namespace distill::transport
