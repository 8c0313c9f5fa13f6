// RAII for the C libraries' handles: one std::unique_ptr alias per handle
// type, each freeing with the library's own function, so no code outside
// this header calls closedir, fclose, archive_*_free or the OpenSSL *_free
// functions itself. The library types are only declared here; the deleters
// live in handles.cpp, so including this header does not pull in libarchive
// or OpenSSL.
#pragma once

#include <dirent.h>

#include <cstdio>
#include <memory>
#include <string>

struct archive;
struct archive_entry;
struct bio_st;
struct x509_st;
struct evp_md_ctx_st;

namespace distill {

struct DirCloser {
  void operator()(DIR* d) const;
};
struct FileCloser {
  void operator()(std::FILE* f) const;
};
// archive_read_new() handles.
struct ArchiveReadFree {
  void operator()(archive* a) const;
};
// archive_write_new() handles. archive_write_free closes first, which may
// still write; code that must see that write's error calls archive_write_close
// itself before letting go.
struct ArchiveWriteFree {
  void operator()(archive* a) const;
};
struct ArchiveEntryFree {
  void operator()(archive_entry* e) const;
};
struct BioFree {
  void operator()(bio_st* b) const;
};
struct X509Free {
  void operator()(x509_st* x) const;
};
struct EvpMdCtxFree {
  void operator()(evp_md_ctx_st* c) const;
};

using DirPtr = std::unique_ptr<DIR, DirCloser>;
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;
using ArchiveReadPtr = std::unique_ptr<archive, ArchiveReadFree>;
using ArchiveWritePtr = std::unique_ptr<archive, ArchiveWriteFree>;
using ArchiveEntryPtr = std::unique_ptr<archive_entry, ArchiveEntryFree>;
using BioPtr = std::unique_ptr<bio_st, BioFree>;
using X509Ptr = std::unique_ptr<x509_st, X509Free>;
using EvpMdCtxPtr = std::unique_ptr<evp_md_ctx_st, EvpMdCtxFree>;

// opendir(path); null (errno set) when it cannot be opened.
DirPtr open_dir(const std::string& path);

}  // namespace distill
