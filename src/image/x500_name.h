// X.500 names printed the way Java's X500Principal.getName(CANONICAL) does.
// The reference images use that string as the alias of every certificate
// in their JKS cacerts, so equal aliases need the same rules.
#pragma once

#include <openssl/types.h>

#include <string>

namespace distill {

// RFC 2253 order (last RDN first), RFC 2253 keywords (cn, c, l, st, o, ou,
// street, dc, uid) or dotted OIDs, PrintableString/UTF8String values
// trimmed with whitespace runs collapsed and ",+<>;\"\\" escaped, other
// values as #hex DER, then case-folded (upper, then lower) and NFKD
// normalised. Folding and NFKD cover U+0000..U+024F (every Latin name in
// Mozilla's roots); other characters are kept as they are.
std::string canonical_x500_name(const X509_NAME* name);

// The folding and NFKD step alone, on UTF-8 text (exposed for tests).
std::string fold_canonical(const std::string& utf8);

}  // namespace distill
