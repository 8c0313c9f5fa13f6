#include "sbom/rebuild_diff.h"

#include <cstdio>

#include "archive/tar_reader.h"
#include "util/sha256.h"

namespace distill::sbom {

namespace {

// One tar member with its content's digest, or nothing at the end.
struct RebuildMember {
  bool present = false;
  TarEntry entry;
  std::string sha256;
};

class MemberStream {
 public:
  MemberStream(const oci::Layer& layer, const std::string& name, const SizeLimits& limits)
      : tar_(layer.open_tar(), name) {
    tar_.set_limits(limits.file, limits.layer);
  }
  RebuildMember next() {
    RebuildMember m;
    if (!tar_.next(m.entry)) return m;
    m.present = true;
    Sha256 h;
    for (size_t n; (n = tar_.read(buf_, sizeof buf_)) > 0;) h.update(buf_, n);
    m.sha256 = h.hex();
    return m;
  }

 private:
  TarReader tar_;
  char buf_[1 << 16];
};

std::string octal(uint32_t mode) {
  char b[16];
  std::snprintf(b, sizeof b, "%04o", mode);
  return b;
}

// What differs between two members of the same path, "" when nothing does.
std::string member_difference(const RebuildMember& a, const RebuildMember& b) {
  const TarEntry& x = a.entry;
  const TarEntry& y = b.entry;
  if (x.type != y.type)
    return std::string("type ") + type_name(x.type) + " != " + type_name(y.type);
  if (x.mode != y.mode) return "mode " + octal(x.mode) + " != " + octal(y.mode);
  if (x.uid != y.uid || x.gid != y.gid)
    return "owner " + std::to_string(x.uid) + ":" + std::to_string(x.gid) +
           " != " + std::to_string(y.uid) + ":" + std::to_string(y.gid);
  if (x.mtime != y.mtime)
    return "mtime " + std::to_string(x.mtime) + " != " + std::to_string(y.mtime);
  if (x.link != y.link) return "link target " + x.link + " != " + y.link;
  if (x.size != y.size)
    return "size " + std::to_string(x.size) + " != " + std::to_string(y.size) + " bytes";
  if (a.sha256 != b.sha256) return "content";
  return "";
}

void first_member_difference(const oci::Layer& a, const oci::Layer& b, int index,
                             const SizeLimits& limits, RebuildDiff& d) {
  MemberStream sa(a, "layer " + std::to_string(index) + " of the image", limits);
  MemberStream sb(b, "layer " + std::to_string(index) + " of the rebuild", limits);
  while (true) {
    RebuildMember x = sa.next();
    RebuildMember y = sb.next();
    if (!x.present && !y.present) {
      d.detail = "same members, different tar bytes";
      return;
    }
    if (!x.present || !y.present) {
      d.path = "/" + (x.present ? x.entry.path : y.entry.path);
      d.detail = x.present ? "only in the image" : "only in the rebuild";
      return;
    }
    if (x.entry.path != y.entry.path) {
      d.path = "/" + std::min(x.entry.path, y.entry.path);
      d.detail = x.entry.path < y.entry.path ? "only in the image" : "only in the rebuild";
      return;
    }
    if (std::string why = member_difference(x, y); !why.empty()) {
      d.path = "/" + x.entry.path;
      d.detail = why;
      return;
    }
  }
}

}  // namespace

RebuildDiff compare_rebuild(const oci::Image& image, const oci::Image& rebuilt,
                            const SizeLimits& limits) {
  RebuildDiff d;
  if (image.digest() == rebuilt.digest()) {
    d.identical = true;
    return d;
  }
  auto la = image.layers();
  auto lb = rebuilt.layers();
  for (size_t i = 0; i < std::max(la.size(), lb.size()); ++i) {
    if (i < la.size() && i < lb.size() && la[i]->diff_id() == lb[i]->diff_id()) continue;
    d.layer = static_cast<int>(i);
    if (i < la.size()) d.layer_digest = la[i]->descriptor().digest;
    if (i < lb.size()) d.rebuilt_digest = lb[i]->descriptor().digest;
    if (i < la.size() && i < lb.size()) {
      first_member_difference(*la[i], *lb[i], d.layer, limits, d);
    } else {
      d.detail = i < la.size() ? "only in the image" : "only in the rebuild";
    }
    return d;
  }
  if (image.raw_config() != rebuilt.raw_config()) {
    d.what = "the layers agree; the image config differs (" + sha256_digest(image.raw_config()) +
             " != " + sha256_digest(rebuilt.raw_config()) + ")";
  } else {
    d.what =
        "the layers and the config agree; the manifest differs (layer compression or "
        "annotations)";
  }
  return d;
}

}  // namespace distill::sbom
