// Attached artifacts of oci:DIR images: untagged index.json entries with an
// artifactType, beside the images (as oras keeps them), so that skopeo and
// umoci, which look images up by ref.name, read the layout as before.
#include "oci/layout.h"
#include "transport/transports.h"
#include "util/error.h"
#include "util/fs.h"

namespace distill::transport {

namespace {

class LayoutReferrers : public ReferrerStore {
 public:
  explicit LayoutReferrers(std::string dir) : dir_(std::move(dir)) {}

  std::vector<Attached> list(const std::string& subject) override {
    std::vector<Attached> out;
    for (auto& d : oci::OciLayout(dir_).referrers(subject)) out.push_back({d, "index.json"});
    return out;
  }

  std::string document(const Attached& a) override {
    oci::OciLayout layout(dir_);
    std::string what = dir_ + ": artifact " + a.manifest.digest;
    oci::ParsedArtifact p = oci::parse_artifact(layout.read_blob(a.manifest), what);
    return layout.read_blob(p.layers[0]);
  }

  std::string attach(const oci::Descriptor& subject,
                     const std::vector<oci::Attachment>& items) override {
    if (!oci::is_oci_layout(dir_)) throw Error(dir_ + ": no such OCI image layout");
    oci::OciLayoutWriter w(dir_);
    if (!w.has_blob(subject.digest))
      throw Error(dir_ + ": no image " + subject.digest + " to attach to");
    for (const auto& item : items) {
      oci::ArtifactManifest m = oci::make_artifact(subject, item);
      w.attach(m.descriptor, m.raw, m.blob, item.content);
    }
    w.commit();
    return "index.json";
  }

 private:
  std::string dir_;
};

}  // namespace

std::unique_ptr<ReferrerStore> oci_layout_referrers(const Reference& ref,
                                                    const registry::RegistryOptions&) {
  return std::make_unique<LayoutReferrers>(ref.path);
}

}  // namespace distill::transport
