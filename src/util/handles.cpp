#include "util/handles.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace distill {

void DirCloser::operator()(DIR* d) const {
  ::closedir(d);
}
void FileCloser::operator()(std::FILE* f) const {
  std::fclose(f);
}
void ArchiveReadFree::operator()(archive* a) const {
  archive_read_free(a);
}
void ArchiveWriteFree::operator()(archive* a) const {
  archive_write_free(a);
}
void ArchiveEntryFree::operator()(archive_entry* e) const {
  archive_entry_free(e);
}
void BioFree::operator()(bio_st* b) const {
  BIO_free(b);
}
void X509Free::operator()(x509_st* x) const {
  X509_free(x);
}
void EvpMdCtxFree::operator()(evp_md_ctx_st* c) const {
  EVP_MD_CTX_free(c);
}

DirPtr open_dir(const std::string& path) {
  return DirPtr(::opendir(path.c_str()));
}

}  // namespace distill
