// Parts "rootfs", "passwd", "home", "group", "tmp", "nsswitch" and
// "os-release": the generated files one layer each, as the reference images
// have them (reference-images-debian13.md §2.1, §2.2, §4.4). rootfs is the
// single entry "./"; the others write what image/generated.h routes to them,
// named "./etc", "./etc/passwd"... with their parents, all with the build's
// mtime, except nsswitch: the single entry "etc/nsswitch.conf" with the
// reference's fixed mtime. A definition lists them in parts: in place of
// (or before) "generated", which keeps what they do not take (files:,
// directories: and symlinks: of the definition's own).
#include "image/parts.h"

namespace distill {

namespace {

// The mtime of the reference's static/nsswitch.conf, which its nsswitch
// layer keeps (1 January 2018) while every other generated entry has 0.
constexpr int64_t kNsswitchMtime = 1514722362;

bool never_needed(const Definition&) {
  return false;  // what a split part does not take, part "generated" writes
}

void no_sources(const Definition&, std::vector<std::string>&) {}

// "passwd /etc/passwd", "home /home, /home/nonroot, /root".
std::string describe(const std::string& part, const LayerPlan& plan) {
  std::string out = part;
  std::vector<std::string> paths = plan.paths();
  for (size_t i = 0; i < paths.size(); ++i) out += (i == 0 ? " " : ", ") + paths[i];
  return out;
}

void split_jobs(const PartInput& in, const std::string& part, const LayerPlan::Style& style,
                int64_t mtime, std::vector<LayerJob>& out) {
  const LayerPlan* plan = in.generated.find(part);
  if (!plan) return;
  LayerBlobOptions blob = in.layers.blob;
  std::string label = part + " layer";
  out.push_back(
      {label, describe(part, *plan), [plan, mtime, blob, style, label](const std::string& dir) {
         return write_layer_blob(dir, blob, label,
                                 [&](TarWriter& tar) { plan->write(tar, mtime, style); });
       }});
}

// A layer of the generated files routed to `part`, "./"-named with parents.
void dotted_jobs(const PartInput& in, const char* part, std::vector<LayerJob>& out) {
  split_jobs(in, part, LayerPlan::Style{"./", true}, in.layers.mtime, out);
}

void rootfs_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  LayerBlobOptions blob = in.layers.blob;
  int64_t mtime = in.layers.mtime;
  out.push_back({"rootfs layer", "rootfs /", [blob, mtime](const std::string& dir) {
                   return write_layer_blob(dir, blob, "rootfs layer", [&](TarWriter& tar) {
                     TarEntry e;
                     e.path = "./";
                     e.type = TarEntry::Type::kDirectory;
                     e.mode = 0755;
                     e.uname = e.gname = "root";
                     e.mtime = mtime;
                     tar.add(e);
                   });
                 }});
}

void nsswitch_jobs(const PartInput& in, std::vector<LayerJob>& out) {
  split_jobs(in, "nsswitch", LayerPlan::Style{"", false}, kNsswitchMtime, out);
}

}  // namespace

extern const PartKind kRootfsPart{"rootfs", never_needed, no_sources, rootfs_jobs};
extern const PartKind kPasswdPart{
    "passwd", never_needed, no_sources,
    [](const PartInput& in, std::vector<LayerJob>& out) { dotted_jobs(in, "passwd", out); }};
extern const PartKind kHomePart{
    "home", never_needed, no_sources,
    [](const PartInput& in, std::vector<LayerJob>& out) { dotted_jobs(in, "home", out); }};
extern const PartKind kGroupPart{
    "group", never_needed, no_sources,
    [](const PartInput& in, std::vector<LayerJob>& out) { dotted_jobs(in, "group", out); }};
extern const PartKind kTmpPart{
    "tmp", never_needed, no_sources,
    [](const PartInput& in, std::vector<LayerJob>& out) { dotted_jobs(in, "tmp", out); }};
extern const PartKind kNsswitchPart{"nsswitch", never_needed, no_sources, nsswitch_jobs};
extern const PartKind kOsReleasePart{
    "os-release", never_needed, no_sources,
    [](const PartInput& in, std::vector<LayerJob>& out) { dotted_jobs(in, "os-release", out); }};

}  // namespace distill
