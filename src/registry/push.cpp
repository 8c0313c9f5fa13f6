#include "registry/push.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <map>
#include <thread>

#include "registry/pull.h"
#include "registry/url.h"
#include "util/error.h"
#include "util/log.h"
#include "util/retry.h"
#include "util/sha256.h"

namespace distill::registry {

namespace {

struct Blob {
  oci::Descriptor desc;
  oci::LayerPtr layer;     // null for configs
  std::string data;        // configs
  std::string mount_from;  // repository in the same registry holding it
};

// Counts bytes read into the progress display and the stats.
class CountingSource : public ByteSource {
 public:
  CountingSource(ByteSource& in, Progress* p, std::atomic<uint64_t>& n)
      : in_(in), progress_(p), n_(n) {}
  size_t read(void* buf, size_t size) override {
    size_t got = in_.read(buf, size);
    if (progress_) progress_->add(got);
    n_ += got;
    return got;
  }

 private:
  ByteSource& in_;
  Progress* progress_;
  std::atomic<uint64_t>& n_;
};

// Like Session::fail, but a 401 is transient too: a token can expire in the
// middle of an upload, and the next attempt fetches a fresh one.
[[noreturn]] void fail(Session& s, const net::Response& r, const std::string& what) {
  try {
    s.fail(r, what);
  } catch (const Error& e) {
    if (r.status == 401) throw Error(ErrorKind::kTransient, e.what());
    throw;
  }
}

class Pusher {
 public:
  Pusher(std::shared_ptr<Session> session, ImageRef ref)
      : s_(std::move(session)),
        ref_(std::move(ref)),
        scope_(repository_scope(ref_.repository, true)) {}

  void push_blobs(std::vector<Blob> blobs) {
    // Largest first: the push takes as long as its biggest upload, so that
    // one starts at once and the small ones share the other connections
    // meanwhile (in layer order a Java image's JRE layer started after 32
    // small ones: 0.70 s into a local registry, against 0.45 s this way).
    std::stable_sort(blobs.begin(), blobs.end(),
                     [](const Blob& a, const Blob& b) { return a.desc.size > b.desc.size; });
    uint64_t total = 0;
    for (auto& b : blobs) total += static_cast<uint64_t>(b.desc.size);
    Progress progress("pushing " + ref_.to_string(), total);
    progress_ = &progress;
    std::atomic<size_t> next{0};
    std::mutex mu;
    std::exception_ptr first;
    auto worker = [&] {
      while (true) {
        size_t i = next++;
        if (i >= blobs.size()) return;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (first) return;
        }
        try {
          push_blob_with_retries(blobs[i]);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mu);
          if (!first) first = std::current_exception();
        }
      }
    };
    int n = std::clamp(s_->options().parallel, 1, 4);
    n = std::min<int>(n, static_cast<int>(blobs.size()));
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    progress.done();
    progress_ = nullptr;
    if (first) std::rethrow_exception(first);
  }

  // Returns the registry's OCI-Subject header ("" when it sent none).
  std::string put_manifest(const std::string& raw, const std::string& media_type,
                           const std::string& reference) {
    std::string subject;
    std::string name = ref_.name() + (reference.rfind("sha256:", 0) == 0 ? "@" : ":") + reference;
    retry(policy(), "manifest " + name, [&] {
      net::Request req;
      req.method = "PUT";
      req.url = "/v2/" + ref_.repository + "/manifests/" + reference;
      req.headers.set("Content-Type", media_type);
      req.body = raw;
      net::Response r = s_->send(req, scope_);
      if (r.status != 201 && r.status != 200 && r.status != 202)
        fail(*s_, r, "pushing manifest " + name);
      auto got = r.headers.get("Docker-Content-Digest");
      std::string want = sha256_digest(raw);
      if (got && got->rfind("sha256:", 0) == 0 && *got != want) {
        throw Error("pushing manifest " + name + ": the registry stored digest " + *got +
                    ", expected " + want);
      }
      subject = r.headers.get("OCI-Subject").value_or("");
      log_verbose("pushed manifest " + name);
    });
    return subject;
  }

  PushStats stats() const {
    PushStats p;
    p.uploaded = uploaded_;
    p.skipped = skipped_;
    p.mounted = mounted_;
    p.bytes = bytes_;
    return p;
  }

 private:
  RetryPolicy policy() const {
    return RetryPolicy{s_->options().retries, s_->options().backoff_ms};
  }

  // A dropped connection, a 5xx/429 or an expired token (kTransient) starts
  // the blob over; a final answer or a corrupt layer does not.
  void push_blob_with_retries(const Blob& b) {
    retry(policy(), blob_name(b), [&] { push_blob(b); });
  }

  std::string blob_name(const Blob& b) const { return "blob " + b.desc.digest; }

  void push_blob(const Blob& b) {
    const std::string& digest = b.desc.digest;
    net::Request head;
    head.method = "HEAD";
    head.url = "/v2/" + ref_.repository + "/blobs/" + digest;
    net::Response r = s_->send(head, scope_);
    if (r.status == 200) {
      log_verbose(blob_name(b) + " already in " + ref_.name() + ", skipped");
      ++skipped_;
      if (progress_) progress_->add(static_cast<uint64_t>(b.desc.size));
      return;
    }
    if (r.status != 404) fail(*s_, r, "checking " + blob_name(b) + " in " + ref_.name());

    std::string location;
    net::Request post;
    post.method = "POST";
    post.url = "/v2/" + ref_.repository + "/blobs/uploads/";
    std::string scope = scope_;
    if (!b.mount_from.empty() && b.mount_from != ref_.repository) {
      post.url = add_query(add_query(post.url, "mount", digest), "from", b.mount_from);
      scope += " " + repository_scope(b.mount_from, false);
    }
    r = s_->send(post, scope);
    if (r.status == 201 && !b.mount_from.empty()) {
      log_verbose(blob_name(b) + " mounted from " + s_->registry() + "/" + b.mount_from);
      ++mounted_;
      if (progress_) progress_->add(static_cast<uint64_t>(b.desc.size));
      return;
    }
    if (r.status != 202)
      fail(*s_, r, "starting the upload of " + blob_name(b) + " to " + ref_.name());
    location = upload_location(r, post.url);

    std::unique_ptr<ByteSource> src;
    if (b.layer) {
      src = b.layer->open_blob();
    } else {
      src = std::make_unique<StringSource>(b.data);
    }
    std::atomic<uint64_t> sent{0};
    CountingSource counted(*src, progress_, sent);
    uint64_t chunk = s_->options().chunk_size;
    uint64_t size = static_cast<uint64_t>(b.desc.size);
    if (chunk > 0 && size > chunk) {
      r = upload_chunks(b, location, counted, chunk);
    } else {
      net::Request put;
      put.method = "PUT";
      put.url = add_query(location, "digest", digest);
      put.headers.set("Content-Type", "application/octet-stream");
      put.body_source = &counted;
      put.body_size = b.desc.size;
      r = s_->send(put, scope_);
    }
    if (r.status != 201) {
      if (r.status == 400) {
        fail(*s_, r,
             "uploading " + blob_name(b) + " to " + ref_.name() +
                 " (the registry rejected the content for this digest)");
      }
      fail(*s_, r, "uploading " + blob_name(b) + " to " + ref_.name());
    }
    log_verbose(blob_name(b) + " uploaded to " + ref_.name() + " (" + human_size(sent) + ")");
    ++uploaded_;
    bytes_ += sent;
  }

  // Sends the blob in PATCH chunks of `chunk` bytes, then the closing PUT.
  // A chunk whose connection drops (or that the registry answers 416 or
  // 5xx) is not sent again blindly: the upload's status (GET on its
  // location, OCI distribution spec) says how many bytes the registry holds
  // in its Range header, and the upload continues from there. Bytes the
  // registry lost before the current chunk cannot be re-read from the
  // stream: that throws kTransient and the blob starts over.
  net::Response upload_chunks(const Blob& b, std::string& location, ByteSource& in,
                              uint64_t chunk) {
    uint64_t size = static_cast<uint64_t>(b.desc.size);
    std::string buf;
    uint64_t buf_start = 0;  // buf holds the blob's bytes [buf_start, buf_start + buf.size())
    uint64_t offset = 0;     // the registry holds [0, offset)
    int resumes = 0;
    while (offset < size) {
      if (offset >= buf_start + buf.size()) {
        buf_start = offset;
        fill_chunk(b, in, buf, std::min(chunk, size - offset));
      }
      net::Request patch;
      patch.method = "PATCH";
      patch.url = location;
      patch.retries = 0;  // resumed below, from what the registry says it has
      patch.headers.set("Content-Type", "application/octet-stream");
      patch.body = buf.substr(offset - buf_start);
      uint64_t end = buf_start + buf.size();
      patch.headers.set("Content-Range", std::to_string(offset) + "-" + std::to_string(end - 1));
      std::string failure;
      try {
        net::Response r = s_->send(patch, scope_);
        if (r.status == 202) {
          location = upload_location(r, location);
          offset = end;
          continue;
        }
        if (r.status != 416 && status_error_kind(r.status) != ErrorKind::kTransient)
          fail(*s_, r, "uploading a chunk of " + blob_name(b) + " to " + ref_.name());
        failure = "HTTP " + std::to_string(r.status);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::kTransient && e.kind() != ErrorKind::kNetwork) throw;
        failure = e.what();
      }
      if (resumes++ >= s_->options().retries)
        throw Error(ErrorKind::kTransient, "uploading " + blob_name(b) + " to " + ref_.name() +
                                               ": " + failure + " (gave up resuming)");
      offset = resume_offset(b, location, failure);
      if (offset < buf_start || offset > end) {
        throw Error(ErrorKind::kTransient, ref_.name() + " holds " + std::to_string(offset) +
                                               " bytes of " + blob_name(b) +
                                               ", not within the chunk being sent: starting over");
      }
    }
    // The digest check happens when the source reaches its end.
    char extra;
    if (in.read(&extra, 1) != 0) throw Error(blob_name(b) + " is longer than its descriptor");
    net::Request put;
    put.method = "PUT";
    put.url = add_query(location, "digest", b.desc.digest);
    return s_->send(put, scope_);
  }

  void fill_chunk(const Blob& b, ByteSource& in, std::string& buf, uint64_t n) {
    buf.resize(n);
    size_t got = 0;
    while (got < n) {
      size_t k = in.read(buf.data() + got, n - got);
      if (k == 0) throw Error(blob_name(b) + " ended early while uploading");
      got += k;
    }
  }

  // How many bytes of the upload at `location` the registry holds: its
  // status answer's Range "0-LAST" (none yet: no Range, or "0-0" on some
  // registries before the first byte). Updates `location`.
  uint64_t resume_offset(const Blob& b, std::string& location, const std::string& why) {
    std::this_thread::sleep_for(std::chrono::milliseconds(s_->options().backoff_ms));
    net::Request status;
    status.url = location;
    net::Response r = s_->send(status, scope_);
    if (r.status != 204 && r.status != 200)
      fail(*s_, r, "asking " + ref_.name() + " how much of " + blob_name(b) + " it holds");
    location = upload_location(r, location);
    uint64_t have = 0;
    if (auto range = r.headers.get("Range")) {
      std::string v = *range;
      if (v.rfind("bytes=", 0) == 0) v = v.substr(6);
      size_t dash = v.find('-');
      if (dash != std::string::npos) {
        uint64_t last = std::strtoull(v.c_str() + dash + 1, nullptr, 10);
        have = last + 1;
        // "0-0" may mean nothing as well as one byte; one byte is never a
        // whole chunk here, so count it as nothing and resend it.
        if (last == 0) have = 0;
      }
    }
    log_info("resuming the upload of " + blob_name(b) + " to " + ref_.name() + " at byte " +
             std::to_string(have) + " (" + why + ")");
    return have;
  }

  std::string upload_location(const net::Response& r, const std::string& request_url) {
    auto loc = r.headers.get("Location");
    if (!loc || loc->empty())
      throw Error(s_->registry() + " started an upload without a Location header");
    std::string base = request_url.rfind("/", 0) == 0 ? s_->base_url() + request_url : request_url;
    return resolve_url(base, *loc);
  }

  std::shared_ptr<Session> s_;
  ImageRef ref_;
  std::string scope_;
  Progress* progress_ = nullptr;
  std::atomic<int> uploaded_{0}, skipped_{0}, mounted_{0};
  std::atomic<uint64_t> bytes_{0};
};

// Where a blob could be mounted from: a layer pulled from the same registry.
std::string mount_source(const oci::LayerPtr& layer, const Session& dest) {
  auto* rl = dynamic_cast<const RegistryLayer*>(layer.get());
  if (rl && rl->session()->registry() == dest.registry()) return rl->repository();
  // A layer a build took from a registry cache (RegistryOptions::mount_from).
  const auto& hints = dest.options().mount_from;
  auto it = hints.find(layer->descriptor().digest);
  std::string prefix = dest.registry() + "/";
  if (it != hints.end() && it->second.rfind(prefix, 0) == 0)
    return it->second.substr(prefix.size());
  return "";
}

void collect(const oci::Image& image, const Session& dest, std::vector<Blob>& blobs,
             std::map<std::string, size_t>& seen) {
  for (const auto& l : image.layers()) {
    oci::Descriptor d = l->descriptor();
    if (seen.count(d.digest)) continue;
    seen[d.digest] = blobs.size();
    blobs.push_back(Blob{d, l, "", mount_source(l, dest)});
  }
  std::string config = image.raw_config();
  oci::Descriptor cd;
  cd.digest = sha256_digest(config);
  cd.size = static_cast<int64_t>(config.size());
  if (seen.count(cd.digest)) return;
  seen[cd.digest] = blobs.size();
  // The config lives where the image's layers came from.
  std::string from = image.layers().empty() ? "" : mount_source(image.layers()[0], dest);
  blobs.push_back(Blob{cd, nullptr, config, from});
}

}  // namespace

PushStats push(const std::shared_ptr<Session>& session, const ImageRef& ref,
               const oci::Artifact& artifact) {
  std::vector<Blob> blobs;
  std::map<std::string, size_t> seen;
  std::vector<oci::ImagePtr> images;
  std::string raw, media_type;
  if (artifact.index) {
    for (const auto& e : artifact.index->manifests()) {
      if (!e.image) {
        throw Error("cannot push index entry " + e.descriptor.digest +
                    ": it is not an image manifest (nested indexes are not supported)");
      }
      images.push_back(e.image);
    }
    raw = artifact.index->raw_index();
    media_type = artifact.index->media_type();
  } else if (artifact.image) {
    images.push_back(artifact.image);
    raw = artifact.image->raw_manifest();
    media_type = artifact.image->manifest_media_type();
  } else {
    throw Error("internal: nothing to push");
  }
  std::string digest = sha256_digest(raw);
  if (!ref.digest.empty() && ref.digest != digest) {
    throw Error("cannot push to " + ref.to_string() + ": the image's digest is " + digest);
  }
  for (const auto& img : images) {
    oci::validate_image(*img, img->digest());
    collect(*img, *session, blobs, seen);
  }
  Pusher p(session, ref);
  p.push_blobs(std::move(blobs));
  // Platform manifests by digest, then what the tag names, last.
  if (artifact.index) {
    for (const auto& img : images) {
      p.put_manifest(img->raw_manifest(), img->manifest_media_type(), img->digest());
    }
  }
  p.put_manifest(raw, media_type, ref.reference());
  PushStats st = p.stats();
  st.digest = digest;
  return st;
}

PushStats push_blob(const std::shared_ptr<Session>& session, const ImageRef& ref,
                    const oci::Descriptor& desc, const oci::LayerPtr& layer,
                    const std::string& data) {
  Pusher p(session, ref);
  std::vector<Blob> blobs;
  blobs.push_back(Blob{desc, layer, data, layer ? mount_source(layer, *session) : ""});
  p.push_blobs(std::move(blobs));
  return p.stats();
}

std::string push_manifest(const std::shared_ptr<Session>& session, const ImageRef& ref,
                          const std::string& raw, const std::string& media_type,
                          const std::string& reference) {
  Pusher p(session, ref);
  return p.put_manifest(raw, media_type, reference);
}

}  // namespace distill::registry
