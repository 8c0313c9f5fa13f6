#include "app/contents_index.h"

#include "debian/release.h"
#include "util/fs.h"

namespace distill::app {

namespace {

bool contents_library_name(std::string_view name) {
  if (!(name.starts_with("lib") || name.starts_with("ld-") || name.starts_with("ld64")))
    return false;
  size_t so = name.find(".so");
  return so != std::string_view::npos && (so + 3 == name.size() || name[so + 3] == '.');
}

}  // namespace

void ContentsIndex::add(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    size_t ws = line.find_last_of(" \t");
    if (ws == std::string_view::npos) continue;
    std::string_view path = line.substr(0, ws);
    while (!path.empty() && (path.back() == ' ' || path.back() == '\t')) path.remove_suffix(1);
    std::string_view pkgs = line.substr(ws + 1);
    size_t slash = path.rfind('/');
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (path.empty() || !contents_library_name(name)) continue;
    std::string abs = path.front() == '/' ? std::string(path) : "/" + std::string(path);
    size_t start = 0;
    while (start <= pkgs.size()) {
      size_t comma = pkgs.find(',', start);
      std::string_view item =
          pkgs.substr(start, comma == std::string_view::npos ? comma : comma - start);
      // "section/pkg" or "section/sub/pkg": the package is the last part.
      if (size_t s = item.rfind('/'); s != std::string_view::npos) item = item.substr(s + 1);
      if (!item.empty()) {
        by_name_[std::string(name)].emplace_back(abs, std::string(item));
        ++size_;
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
}

std::vector<std::pair<std::string, std::string>> ContentsIndex::find(
    const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? std::vector<std::pair<std::string, std::string>>{} : it->second;
}

LoadedContents load_contents(debian::Archive& archive, const std::string& arch) {
  LoadedContents out;
  for (const auto& f : archive.contents(arch)) {
    std::string text = f.path.empty() ? "" : debian::decompress_index(read_file(f.path), f.where);
    if (text.empty()) {
      out.without_contents.push_back(f.origin);
      continue;
    }
    out.index.add(text);
  }
  return out;
}

}  // namespace distill::app
