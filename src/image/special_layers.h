// Layers built from part of a package rather than all of it: the CA bundle
// (from ca-certificates) and its Java keystore, paths picked from a package
// (`extract:`, e.g. libc-bin's C.utf8 locale) and busybox for the debug
// variants. Like the
// reference images, neither package's maintainer scripts are imitated
// beyond what the result needs.
#pragma once

#include <string>
#include <vector>

#include "image/layer_blob.h"

namespace distill {

// The PEM bundle at `dest`: every file under usr/share/ca-certificates/ of
// the package, concatenated in byte order of their paths (what
// update-ca-certificates produces with the default configuration), plus
// the package's copyright and status.d records so scanners see it.
BuiltLayer write_ca_bundle_layer(const std::string& dir, const LayerBlobOptions& blob,
                                 const std::string& deb, const std::string& dest, int64_t mtime);

// The certificates of a bundle, for counting and tests.
std::string extract_ca_bundle(const std::string& deb);

// The CA bundle as a JKS trust store at `dest` (Java's cacerts), mode 0555,
// as the reference's cacerts_java layer.
BuiltLayer write_java_keystore_layer(const std::string& dir, const LayerBlobOptions& blob,
                                     const std::string& deb, const std::string& dest,
                                     const std::string& password, int64_t mtime);

// The members of `deb` whose "/path", or one of its parent directories,
// matches one of `globs` (fnmatch, "*" spans "/"), with their modes and
// owners; hardlinks become copies. With `status`, also the package's
// status.d records. Nothing matching is an error naming `label`. With
// blob.merged_usr the members are first moved into /usr as in a package
// layer, so `globs` match the paths where they land.
BuiltLayer write_extract_layer(const std::string& dir, const LayerBlobOptions& blob,
                               const std::string& deb, const std::vector<std::string>& globs,
                               bool status, int64_t mtime, const std::string& label);

// busybox at DIR/busybox (from busybox-static's /bin/busybox) and one
// symlink per applet, DIR/<applet> -> DIR/busybox.
BuiltLayer write_busybox_layer(const std::string& dir, const LayerBlobOptions& blob,
                               const std::string& deb, const std::string& busybox_dir,
                               const std::vector<std::string>& applets, int64_t mtime);

}  // namespace distill
