#include "image/layer_blob.h"

#include <stdlib.h>
#include <unistd.h>

#include "image/merged_usr.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill {

std::string layer_media_type(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return oci::kOciLayerGzip;
    case Compression::kZstd:
      return oci::kOciLayerZstd;
    case Compression::kNone:
      break;
  }
  return oci::kOciLayerTar;
}

BuiltLayer write_layer_blob(const std::string& dir, const LayerBlobOptions& opts,
                            const std::string& label, const std::function<void(TarWriter&)>& fill) {
  std::string tmpl = join_path(dir, ".layer-XXXXXX");
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw_errno("cannot create layer file in", dir);
  ::close(fd);
  ::unlink(tmpl.c_str());
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      if (!path.empty()) ::unlink(path.c_str());
    }
  } cleanup{tmpl};

  FileSink file(tmpl);
  DigestSink blob(&file);
  // The diff_id's hash is the compressor's tap: fed by gzip's member
  // threads, off this (a big layer's decoding) thread.
  DigestSink tar_hash;
  auto compressor = make_compressor(opts.compression, blob, opts.level, &tar_hash);
  BuiltLayer out;
  {
    TarWriter tar(*compressor);
    // The one place every layer's entries pass (packages, generated files,
    // CA bundle, keystore, extract:, busybox, and any part added later), so
    // no layer can put a real /lib over base-files' lib -> usr/lib, as a
    // tar with a lib/ directory does in a merged-/usr image (the reference's
    // validate_usr_symlinks checks every layer for the same reason). Writers
    // that know a finer origin (a definition's file:line) check first.
    if (opts.merged_usr) tar.set_check([&label](const TarEntry& e) { check_merged_usr(e, label); });
    fill(tar);
    tar.finish();
    out.entries = tar.entries();
  }
  compressor->finish();  // finishes blob and file in turn; tar_hash has every byte
  tar_hash.finish();
  out.uncompressed_size = tar_hash.size();

  oci::Descriptor d;
  d.media_type = layer_media_type(opts.compression);
  d.digest = blob.digest();
  d.size = static_cast<int64_t>(blob.size());
  std::string final_path = join_path(dir, "sha256-" + digest_hex(d.digest));
  if (::rename(tmpl.c_str(), final_path.c_str()) != 0)
    throw_errno("cannot store layer", final_path);
  cleanup.path.clear();
  out.layer = std::make_shared<oci::FileLayer>(final_path, d, tar_hash.digest());
  return out;
}

}  // namespace distill
