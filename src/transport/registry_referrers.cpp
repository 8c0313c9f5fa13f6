// Attached artifacts of docker://HOST/REPO images (registry/referrers.h):
// the referrers API where the registry has it, else the tag schema.
#include "registry/reference.h"
#include "registry/referrers.h"
#include "registry/session.h"
#include "transport/transports.h"

namespace distill::transport {

namespace {

class RegistryReferrers : public ReferrerStore {
 public:
  RegistryReferrers(const Reference& ref, const registry::RegistryOptions& opts)
      : ref_(registry::parse_image_ref(ref.text)),
        session_(std::make_shared<registry::Session>(ref_.registry, ref_.api_host(), opts)) {}

  std::vector<Attached> list(const std::string& subject) override {
    std::vector<Attached> out;
    for (auto& f : registry::list_referrers(*session_, ref_.repository, subject))
      out.push_back({std::move(f.manifest), std::move(f.source)});
    return out;
  }

  std::string document(const Attached& a) override {
    return registry::fetch_referrer_document(*session_, ref_.repository, a.manifest);
  }

  std::string attach(const oci::Descriptor& subject,
                     const std::vector<oci::Attachment>& items) override {
    std::string where;
    registry::attach_referrers(session_, ref_, subject, items, &where);
    return where;
  }

 private:
  registry::ImageRef ref_;
  std::shared_ptr<registry::Session> session_;
};

}  // namespace

std::unique_ptr<ReferrerStore> registry_referrers(const Reference& ref,
                                                  const registry::RegistryOptions& opts) {
  return std::make_unique<RegistryReferrers>(ref, opts);
}

}  // namespace distill::transport
