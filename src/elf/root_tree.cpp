#include "elf/root_tree.h"

#include <fcntl.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <system_error>

#include "util/error.h"
#include "util/io.h"
#include "util/read_at.h"

namespace distill::elf {

namespace {

// The same bound as the kernel's symlink-following limit (MAXSYMLINKS).
constexpr int kMaxSymlinks = 40;

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view c = path.substr(i, j - i);
    if (!c.empty() && c != ".") parts.emplace_back(c);
    i = j + 1;
  }
  return parts;
}

std::string read_disk(const std::string& path, uint64_t off, size_t len) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) throw_errno("cannot open", path);
  return read_at(fd.get(), off, len, path);
}

}  // namespace

std::string RootTree::normalize(std::string_view path) {
  std::string out;
  for (const auto& c : split(path)) out += "/" + c;
  return out.empty() ? "/" : out;
}

std::string RootTree::ensure_directory(const std::string& path) {
  // Like tar extracting into an existing tree: an existing symlink to a
  // directory is followed (Debian 13's /lib -> usr/lib), anything else in
  // the way is replaced by a directory.
  nodes_.try_emplace("/", Node{});
  std::string cur = "/";
  for (const auto& c : split(path)) {
    std::string next = (cur == "/" ? "" : cur) + "/" + c;
    auto it = nodes_.find(next);
    if (it != nodes_.end() && it->second.type == Type::kSymlink) {
      auto real = resolve(next);
      if (real && nodes_.at(*real).type == Type::kDirectory) {
        cur = *real;
        continue;
      }
    }
    if (it == nodes_.end() || it->second.type != Type::kDirectory) {
      children_[cur].insert(c);
      nodes_[next] = Node{};
    }
    cur = next;
  }
  return cur;
}

void RootTree::put(std::string_view path, Node node) {
  std::string p = normalize(path);
  if (p == "/") {
    nodes_.try_emplace("/", Node{});
    return;  // the root stays a directory
  }
  size_t slash = p.rfind('/');
  std::string parent = ensure_directory(slash == 0 ? "/" : p.substr(0, slash));
  std::string leaf = p.substr(slash + 1);
  children_[parent].insert(leaf);
  nodes_[(parent == "/" ? "" : parent) + "/" + leaf] = std::move(node);
}

void RootTree::add_file(std::string_view path, uint64_t size, ReadAt read) {
  Node n;
  n.type = Type::kFile;
  n.size = size;
  n.read = std::move(read);
  put(path, std::move(n));
}

void RootTree::add_directory(std::string_view path) {
  ensure_directory(normalize(path));
}

void RootTree::add_symlink(std::string_view path, std::string target) {
  Node n;
  n.type = Type::kSymlink;
  n.target = std::move(target);
  put(path, std::move(n));
}

void RootTree::add_other(std::string_view path) {
  Node n;
  n.type = Type::kOther;
  put(path, std::move(n));
}

RootTree RootTree::from_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  RootTree tree;
  tree.add_directory("/");
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  if (ec) throw Error(dir + ": cannot list directory: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(dir + ": cannot list directory: " + ec.message());
    std::string abs = it->path().string();
    std::string rel = abs.substr(dir.size());
    fs::file_status st = it->symlink_status(ec);
    if (ec) throw Error(abs + ": cannot stat: " + ec.message());
    if (fs::is_symlink(st)) {
      tree.add_symlink(rel, fs::read_symlink(it->path(), ec).string());
      if (ec) throw Error(abs + ": cannot read symlink: " + ec.message());
    } else if (fs::is_directory(st)) {
      tree.add_directory(rel);
    } else if (fs::is_regular_file(st)) {
      uint64_t size = fs::file_size(it->path(), ec);
      if (ec) throw Error(abs + ": cannot stat: " + ec.message());
      tree.add_file(rel, size,
                    [abs](uint64_t off, size_t len) { return read_disk(abs, off, len); });
    } else {
      tree.add_other(rel);
    }
  }
  return tree;
}

const RootTree::Node* RootTree::find(std::string_view path) const {
  auto it = nodes_.find(normalize(path));
  return it == nodes_.end() ? nullptr : &it->second;
}

std::optional<std::string> RootTree::resolve(std::string_view path) const {
  std::deque<std::string> todo;
  for (auto& c : split(path)) todo.push_back(std::move(c));
  std::vector<std::string> cur;  // components of the resolved prefix
  int links = 0;
  auto joined = [&cur] {
    std::string s;
    for (const auto& c : cur) s += "/" + c;
    return s.empty() ? std::string("/") : s;
  };
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c == "..") {
      if (!cur.empty()) cur.pop_back();
      continue;
    }
    const Node* parent = find(joined());
    if (!parent || parent->type != Type::kDirectory) return std::nullopt;
    cur.push_back(c);
    const Node* n = find(joined());
    if (!n) return std::nullopt;
    if (n->type != Type::kSymlink) continue;
    if (++links > kMaxSymlinks || n->target.empty()) return std::nullopt;
    cur.pop_back();
    if (n->target[0] == '/') cur.clear();
    auto parts = split(n->target);
    todo.insert(todo.begin(), parts.begin(), parts.end());
  }
  return joined();
}

std::vector<std::string> RootTree::list(const std::string& dir) const {
  auto it = children_.find(normalize(dir));
  if (it == children_.end()) return {};
  return std::vector<std::string>(it->second.begin(), it->second.end());
}

std::string RootTree::read_all(const std::string& path, size_t max) const {
  const Node* n = find(path);
  if (!n || n->type != Type::kFile || !n->read) return "";
  return n->read(0, static_cast<size_t>(std::min<uint64_t>(n->size, max)));
}

}  // namespace distill::elf
