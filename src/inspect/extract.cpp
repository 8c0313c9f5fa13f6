#include "inspect/extract.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "archive/tar_reader.h"
#include "inspect/image_scan.h"
#include "inspect/safe_output.h"
#include "util/error.h"

namespace distill::inspect {

namespace {

using Type = TarEntry::Type;

struct Item {
  const FileInfo* node;
  std::string out;
};

std::string strip_slashes(const std::string& p) {
  std::string s = p;
  while (!s.empty() && s[0] == '/') s.erase(0, 1);
  return s;
}

void write_all(int fd, const char* data, size_t n, const std::string& what) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) throw_errno("cannot write", what);
    data += w;
    n -= static_cast<size_t>(w);
  }
}

}  // namespace

ExtractResult extract_paths(const oci::Image& image, const std::vector<std::string>& paths,
                            const std::string& out_dir, const SizeLimits& limits) {
  ScanOptions opt;
  opt.captures = false;
  opt.limits = limits;
  ImageScan scan = scan_image(image, opt);
  const MergedFs& fs = scan.fs;

  std::vector<Item> items;
  for (const auto& raw : paths) {
    std::string rel = normalize_member_path(strip_slashes(raw));
    std::string real;
    const FileInfo* node = nullptr;
    if (!rel.empty()) {
      // Parents resolve through the image's symlinks; the last component is
      // taken as it is, so asking for a symlink gives the symlink.
      size_t slash = rel.rfind('/');
      std::string parent = slash == std::string::npos ? "" : rel.substr(0, slash);
      std::string base = slash == std::string::npos ? rel : rel.substr(slash + 1);
      auto rp = parent.empty() ? std::optional<std::string>("") : fs.resolve(parent);
      if (rp) real = rp->empty() ? base : *rp + "/" + base;
      node = rp ? fs.find(real) : nullptr;
      if (!node) throw Error(raw + " is not in the image");
      items.push_back({node, rel});
    }
    if (rel.empty() || node->type == Type::kDirectory) {
      fs.for_each_below(real, [&](const FileInfo& f) {
        std::string suffix = f.path.substr(real.empty() ? 0 : real.size() + 1);
        items.push_back({&f, rel.empty() ? suffix : rel + "/" + suffix});
      });
    }
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.out < b.out; });
  items.erase(std::unique(items.begin(), items.end(),
                          [](const Item& a, const Item& b) { return a.out == b.out; }),
              items.end());

  SafeOutputDir out(out_dir);
  ExtractResult result;
  // layer -> member path -> output paths and the entry's metadata
  std::map<int, std::multimap<std::string, const Item*>> wanted;
  std::vector<const Item*> dirs;
  for (const auto& it : items) {
    const FileInfo& f = *it.node;
    switch (f.type) {
      case Type::kDirectory:
        out.make_dir(it.out);
        dirs.push_back(&it);
        ++result.directories;
        break;
      case Type::kSymlink:
        out.make_symlink(it.out, f.link);
        ++result.symlinks;
        break;
      case Type::kFile:
        wanted[f.layer].emplace(f.path, &it);
        break;
      case Type::kHardlink:
        wanted[f.layer].emplace(f.link, &it);
        break;
      default:
        result.skipped.push_back("/" + f.path);
        break;
    }
  }

  auto layers = image.layers();
  std::set<std::string> written;
  std::vector<char> buf(1 << 16);
  for (const auto& [index, members] : wanted) {
    const oci::Layer& layer = *layers[static_cast<size_t>(index)];
    std::string name = "layer " + layer.descriptor().digest;
    TarReader tar(layer.open_tar(), name);
    tar.set_limits(limits.file, limits.layer);
    TarEntry e;
    while (tar.next(e)) {
      if (e.type != Type::kFile) continue;
      auto [lo, hi] = members.equal_range(e.path);
      if (lo == hi) continue;
      std::vector<std::pair<Fd, const Item*>> fds;
      for (auto m = lo; m != hi; ++m) {
        bool again = written.count(m->second->out) > 0;
        fds.emplace_back(out.create_file(m->second->out, 0600, again), m->second);
        written.insert(m->second->out);
      }
      for (size_t n; (n = tar.read(buf.data(), buf.size())) > 0;) {
        for (auto& [fd, item] : fds) write_all(fd.get(), buf.data(), n, item->out);
      }
      for (auto& [fd, item] : fds) {
        // A hardlink takes the mode of the member it links to, as on disk.
        if (::fchmod(fd.get(), e.mode & 0777) != 0) throw_errno("cannot chmod", item->out);
        struct timespec ts[2] = {{static_cast<time_t>(e.mtime), 0},
                                 {static_cast<time_t>(e.mtime), 0}};
        ::futimens(fd.get(), ts);
      }
    }
  }
  for (const auto& [index, members] : wanted) {
    for (const auto& [member, item] : members) {
      if (!written.count(item->out)) {
        throw Error("layer " + std::to_string(index) + " has no file data for /" + member);
      }
    }
  }
  for (const auto& it : items) {
    if (it.node->type == Type::kFile || it.node->type == Type::kHardlink) {
      ++result.files;
      result.bytes += it.node->size;
    }
  }
  // Directory modes last, deepest first, so read-only directories do not
  // stop their own children from being written.
  for (auto d = dirs.rbegin(); d != dirs.rend(); ++d) {
    out.set_mode((*d)->out, (*d)->node->mode);
    out.set_mtime((*d)->out, (*d)->node->mtime);
  }
  out.keep();
  return result;
}

}  // namespace distill::inspect
