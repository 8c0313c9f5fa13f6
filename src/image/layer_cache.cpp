#include "image/layer_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <vector>

#include "archive/compress.h"
#include "debian/cache.h"
#include "image/selection.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/handles.h"
#include "util/log.h"
#include "util/sha256.h"

namespace distill {

namespace {

std::atomic<uint64_t> g_layer_hits{0}, g_layer_remote_hits{0}, g_layer_misses{0};

// The blob's identity on disk: a blob rewritten or replaced since it was
// stored has another inode, size or mtime.
nlohmann::json blob_stat(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw_errno("cannot stat", path);
  return {{"ino", static_cast<uint64_t>(st.st_ino)},
          {"size", static_cast<uint64_t>(st.st_size)},
          {"mtime_ns", static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec}};
}

// Copies `from` to a new file `to` (the kernel copies; nothing is hashed).
void copy_blob(const std::string& from, const std::string& to) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) throw_errno("cannot open", from);
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!out) throw_errno("cannot create", to);
  // copy_file_range refuses two filesystems on some kernels (EXDEV) and
  // some filesystems (EINVAL, EOPNOTSUPP); then the bytes go through a buffer.
  bool kernel_copy = true;
  std::vector<char> buf;
  for (;;) {
    ssize_t n = -1;
    if (kernel_copy) {
      n = ::copy_file_range(in.get(), nullptr, out.get(), nullptr, 1 << 30, 0);
      if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP || errno == ENOSYS)) {
        kernel_copy = false;
        buf.resize(1 << 20);
        continue;
      }
    } else {
      n = ::read(in.get(), buf.data(), buf.size());
      for (ssize_t done = 0; n > 0 && done < n;) {
        ssize_t w = ::write(out.get(), buf.data() + done, static_cast<size_t>(n - done));
        if (w < 0) {
          n = -1;
          break;
        }
        done += w;
      }
    }
    if (n == 0) break;
    if (n < 0) {
      int saved = errno;
      ::unlink(to.c_str());
      errno = saved;
      throw_errno("cannot copy to", to);
    }
  }
}

// Hard-links `from` to `to`, or copies it when they are on two filesystems.
void link_or_copy(const std::string& from, const std::string& to) {
  if (::link(from.c_str(), to.c_str()) == 0) return;
  if (errno == EEXIST) return;  // the same layer twice in one build: the same bytes
  if (errno != EXDEV && errno != EPERM && errno != EMLINK) throw_errno("cannot link", to);
  copy_blob(from, to);
}

nlohmann::json layer_paths_json(const BuiltLayer& l) {
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& [path, type] : l.paths) paths.push_back({path, static_cast<int>(type)});
  return paths;
}

// Reads an entry's or a store's record of the sizes and member paths.
void read_info_fields(const nlohmann::json& e, BuiltLayer& out) {
  out.uncompressed_size = e.at("uncompressed_size").get<uint64_t>();
  out.entries = e.at("entries").get<uint64_t>();
  for (const auto& p : e.at("paths"))
    out.paths.emplace_back(p.at(0).get<std::string>(),
                           static_cast<TarEntry::Type>(p.at(1).get<int>()));
}

nlohmann::json entry_json(const std::string& key, const BuiltLayer& l, const nlohmann::json& st) {
  oci::Descriptor d = l.layer->descriptor();
  nlohmann::json paths = layer_paths_json(l);
  return {{"recipe", kLayerRecipeVersion},
          {"key", key},
          {"media_type", d.media_type},
          {"digest", d.digest},
          {"size", d.size},
          {"diff_id", l.layer->diff_id()},
          {"uncompressed_size", l.uncompressed_size},
          {"entries", l.entries},
          {"paths", paths},
          {"blob", st}};
}

}  // namespace

std::string layer_cache_key(const LayerJob& job, const LayerBlobOptions& blob,
                            const std::vector<BuiltLayer>& below) {
  if (job.key_inputs.empty()) return "";
  nlohmann::json k = {{"recipe", kLayerRecipeVersion},
                      {"inputs", job.key_inputs},
                      {"compressor", compressor_identity(blob.compression, blob.level)},
                      {"merged_usr", blob.merged_usr}};
  if (job.run_on_below) {
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& l : below) ids.push_back(l.layer->diff_id());
    k["below"] = ids;
  }
  return sha256_hex(k.dump());
}

std::string layer_info_json(const BuiltLayer& layer) {
  nlohmann::json j = {{"recipe", kLayerRecipeVersion},
                      {"uncompressed_size", layer.uncompressed_size},
                      {"entries", layer.entries},
                      {"paths", layer_paths_json(layer)}};
  return j.dump();
}

void read_layer_info(const std::string& info, BuiltLayer& out) {
  try {
    nlohmann::json j = nlohmann::json::parse(info);
    if (j.at("recipe") != kLayerRecipeVersion) throw Error("another layer recipe");
    read_info_fields(j, out);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInvalid, std::string("not a layer info record (") + e.what() + ")");
  }
}

LayerCache::LayerCache(const std::string& cache_dir)
    : cache_dir_(cache_dir.empty() ? debian::Cache::default_dir() : absolute_path(cache_dir)),
      dir_(join_path(cache_dir_, "layers")) {
  make_dirs(dir_);
  make_dirs(join_path(cache_dir_, "locks"));
}

std::optional<BuiltLayer> LayerCache::find(const std::string& key, const std::string& dir) {
  std::string meta = join_path(dir_, key + ".json"), blob = join_path(dir_, key + ".blob");
  if (!path_exists(meta)) return std::nullopt;
  // The entry's metadata, once it and the blob it describes check out.
  auto check = [&]() -> nlohmann::json {
    nlohmann::json doc = nlohmann::json::parse(read_file(meta));
    nlohmann::json e = doc.at("entry");
    if (sha256_hex(e.dump()) != doc.at("sha256").get<std::string>())
      throw Error("its metadata does not match their SHA-256");
    if (e.at("key") != key || e.at("recipe") != kLayerRecipeVersion)
      throw Error("its metadata is for another key");
    if (blob_stat(blob) != e.at("blob")) throw Error("its blob was changed or replaced");
    return e;
  };
  nlohmann::json e;
  try {
    e = check();
  } catch (const std::exception& first) {
    // A concurrent writer may have been between its two renames: look again
    // while holding the key's lock before calling the entry broken.
    debian::Cache::Lock lock(join_path(cache_dir_, "locks/layer-" + key + ".lock"));
    try {
      e = check();
    } catch (const std::exception& again) {
      remove(key, again.what());
      return std::nullopt;
    }
  }
  oci::Descriptor d;
  d.media_type = e.at("media_type").get<std::string>();
  d.digest = e.at("digest").get<std::string>();
  d.size = e.at("size").get<int64_t>();
  std::string dest = join_path(dir, "sha256-" + digest_hex(d.digest));
  // Outside the checks: a full disk under `dir` is the build's error (one
  // line), not a broken entry to rebuild.
  link_or_copy(blob, dest);
  BuiltLayer out;
  out.layer = std::make_shared<oci::FileLayer>(dest, d, e.at("diff_id").get<std::string>());
  read_info_fields(e, out);
  ::utimensat(AT_FDCWD, meta.c_str(), nullptr, 0);  // last use, for prune
  return out;
}

bool LayerCache::has(const std::string& key) const {
  return path_exists(join_path(dir_, key + ".json"));
}

void LayerCache::store(const std::string& key, const BuiltLayer& layer) {
  std::string meta = join_path(dir_, key + ".json"), blob = join_path(dir_, key + ".blob");
  try {
    debian::Cache::Lock lock(join_path(cache_dir_, "locks/layer-" + key + ".lock"));
    std::string tmp = join_path(dir_, ".tmp-" + key + "." + std::to_string(::getpid()));
    ::unlink(tmp.c_str());
    link_or_copy(layer.layer->path(), tmp);
    if (::rename(tmp.c_str(), blob.c_str()) != 0) {
      ::unlink(tmp.c_str());
      throw_errno("cannot store", blob);
    }
    nlohmann::json e = entry_json(key, layer, blob_stat(blob));
    nlohmann::json doc = {{"entry", e}, {"sha256", sha256_hex(e.dump())}};
    // The metadata is written last: it is what makes the entry visible.
    write_file_atomic(meta, doc.dump() + "\n");
  } catch (const std::exception& e) {
    log_warn("layer cache: cannot store " + key + ": " + e.what());
  }
}

void LayerCache::remove(const std::string& key, const std::string& why) {
  log_warn("layer cache entry " + join_path(dir_, key) + " is broken (" + why +
           "); building the layer again");
  ::unlink(join_path(dir_, key + ".json").c_str());
  ::unlink(join_path(dir_, key + ".blob").c_str());
}

LayerCache::Usage LayerCache::usage() const {
  Usage u;
  DirPtr d = open_dir(dir_);
  if (!d) return u;
  while (dirent* ent = ::readdir(d.get())) {
    std::string n = ent->d_name;
    if (n.starts_with(".")) continue;
    struct stat st;
    if (::stat(join_path(dir_, n).c_str(), &st) != 0) continue;
    u.bytes += static_cast<uint64_t>(st.st_size);
    if (n.ends_with(".json")) ++u.entries;
  }
  return u;
}

namespace {

// One job's way through the caches: the local one, then the remote stores.
// Shared by the job's wrapper (copied into it), so every member is
// thread-safe or read-only once the jobs run.
struct CacheChain {
  std::shared_ptr<LayerCache> local;
  LayerStores remote;

  // A layer of a remote store: downloaded into `dir` and kept locally.
  std::optional<BuiltLayer> take(const std::string& key, const StoredLayer& hit,
                                 const std::string& dir, const std::string& label) const {
    std::string path = join_path(dir, "sha256-" + digest_hex(hit.blob.digest));
    try {
      BuiltLayer out;
      read_layer_info(hit.info, out);
      hit.from->fetch(hit, path);
      out.layer = std::make_shared<oci::FileLayer>(path, hit.blob, hit.diff_id);
      local->store(key, out);
      log_verbose(label + ": from the layer cache " + hit.from->name());
      return out;
    } catch (const std::exception& e) {
      ::unlink(path.c_str());
      log_warn("layer cache " + hit.from->name() + ": cannot use " + hit.blob.digest + " (" +
               e.what() + "); building " + label + " instead");
      return std::nullopt;
    }
  }

  std::optional<StoredLayer> lookup(const std::string& key) const {
    for (LayerStore* s : remote.from) {
      if (auto hit = s->lookup(key)) {
        hit->from = s;
        return hit;
      }
    }
    return std::nullopt;
  }

  // The layer for `key`: `remote_hit` if given (looked up before), else
  // looked up now (unless `looked`); built by `build` on a miss.
  template <typename Build>
  BuiltLayer through(const std::string& key, const std::string& dir, const std::string& label,
                     std::optional<StoredLayer> remote_hit, bool looked, Build&& build) const {
    if (auto hit = local->find(key, dir)) {
      ++g_layer_hits;
      return *hit;
    }
    if (!looked) remote_hit = lookup(key);
    if (remote_hit) {
      if (auto got = take(key, *remote_hit, dir, label)) {
        ++g_layer_remote_hits;
        return *got;
      }
    }
    ++g_layer_misses;
    BuiltLayer built = build();
    local->store(key, built);
    if (!remote.to.empty()) {
      std::string info = layer_info_json(built);
      for (LayerStore* s : remote.to) s->store(key, built, info);
    }
    return built;
  }
};

}  // namespace

void use_layer_cache(std::vector<LayerJob>& jobs, const LayerBlobOptions& blob,
                     const std::string& cache_dir, const LayerStores& remote, DebFiles* debs) {
  auto chain =
      std::make_shared<CacheChain>(CacheChain{std::make_shared<LayerCache>(cache_dir), remote});
  std::vector<std::string> wanted;  // the .debs of the jobs no cache has
  for (LayerJob& job : jobs) {
    if (job.key_inputs.empty()) {
      if (remote.to.empty() || !job.run) continue;
      job.run = [chain, run = job.run](const std::string& dir) {
        BuiltLayer built = run(dir);
        for (LayerStore* s : chain->remote.to) s->store_blob(built);
        return built;
      };
      continue;
    }
    if (job.run) {
      std::string key = layer_cache_key(job, blob);
      std::optional<StoredLayer> hit;
      if (!chain->local->has(key)) {
        hit = chain->lookup(key);
        if (!hit) wanted.insert(wanted.end(), job.debs.begin(), job.debs.end());
      }
      job.run = [chain, key, hit, label = job.name, run = job.run](const std::string& dir) {
        return chain->through(key, dir, label, hit, true, [&] { return run(dir); });
      };
    } else {
      LayerJob shape = job;  // for the key: inputs and that it reads the layers below
      job.run_on_below = [chain, shape, blob, run = job.run_on_below](
                             const std::string& dir, const std::vector<BuiltLayer>& below) {
        return chain->through(layer_cache_key(shape, blob, below), dir, shape.name, std::nullopt,
                              false, [&] { return run(dir, below); });
      };
    }
  }
  if (debs && !wanted.empty()) debs->fetch(wanted);
}

LayerCacheCounts layer_cache_counts() {
  return {g_layer_hits.load(), g_layer_remote_hits.load(), g_layer_misses.load()};
}

}  // namespace distill
