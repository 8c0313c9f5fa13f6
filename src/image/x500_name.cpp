#include "image/x500_name.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <utility>
#include <vector>

#include "util/error.h"

namespace distill {

namespace {

// Java's toUpperCase(Locale.US).toLowerCase(Locale.US) followed by NFKD for
// U+0080..U+024F, where it differs from the character itself. Generated
// with Python's unicodedata (Unicode 14) so no ICU is needed at run time.
struct Fold {
  uint32_t cp;
  const char* utf8;
};
// clang-format off
constexpr Fold kFold[] = {
    {0x00A0, " "}, {0x00A8, " \xCC\x88"}, {0x00AA, "a"}, {0x00AF, " \xCC\x84"}, {0x00B2, "2"},
    {0x00B3, "3"}, {0x00B4, " \xCC\x81"}, {0x00B5, "\xCE\xBC"}, {0x00B8, " \xCC\xA7"},
    {0x00B9, "1"}, {0x00BA, "o"}, {0x00BC, "1\xE2\x81\x84" "4"}, {0x00BD, "1\xE2\x81\x84" "2"},
    {0x00BE, "3\xE2\x81\x84" "4"}, {0x00C0, "a\xCC\x80"}, {0x00C1, "a\xCC\x81"},
    {0x00C2, "a\xCC\x82"}, {0x00C3, "a\xCC\x83"}, {0x00C4, "a\xCC\x88"}, {0x00C5, "a\xCC\x8A"},
    {0x00C6, "\xC3\xA6"}, {0x00C7, "c\xCC\xA7"}, {0x00C8, "e\xCC\x80"}, {0x00C9, "e\xCC\x81"},
    {0x00CA, "e\xCC\x82"}, {0x00CB, "e\xCC\x88"}, {0x00CC, "i\xCC\x80"}, {0x00CD, "i\xCC\x81"},
    {0x00CE, "i\xCC\x82"}, {0x00CF, "i\xCC\x88"}, {0x00D0, "\xC3\xB0"}, {0x00D1, "n\xCC\x83"},
    {0x00D2, "o\xCC\x80"}, {0x00D3, "o\xCC\x81"}, {0x00D4, "o\xCC\x82"}, {0x00D5, "o\xCC\x83"},
    {0x00D6, "o\xCC\x88"}, {0x00D8, "\xC3\xB8"}, {0x00D9, "u\xCC\x80"}, {0x00DA, "u\xCC\x81"},
    {0x00DB, "u\xCC\x82"}, {0x00DC, "u\xCC\x88"}, {0x00DD, "y\xCC\x81"}, {0x00DE, "\xC3\xBE"},
    {0x00DF, "ss"}, {0x00E0, "a\xCC\x80"}, {0x00E1, "a\xCC\x81"}, {0x00E2, "a\xCC\x82"},
    {0x00E3, "a\xCC\x83"}, {0x00E4, "a\xCC\x88"}, {0x00E5, "a\xCC\x8A"}, {0x00E7, "c\xCC\xA7"},
    {0x00E8, "e\xCC\x80"}, {0x00E9, "e\xCC\x81"}, {0x00EA, "e\xCC\x82"}, {0x00EB, "e\xCC\x88"},
    {0x00EC, "i\xCC\x80"}, {0x00ED, "i\xCC\x81"}, {0x00EE, "i\xCC\x82"}, {0x00EF, "i\xCC\x88"},
    {0x00F1, "n\xCC\x83"}, {0x00F2, "o\xCC\x80"}, {0x00F3, "o\xCC\x81"}, {0x00F4, "o\xCC\x82"},
    {0x00F5, "o\xCC\x83"}, {0x00F6, "o\xCC\x88"}, {0x00F9, "u\xCC\x80"}, {0x00FA, "u\xCC\x81"},
    {0x00FB, "u\xCC\x82"}, {0x00FC, "u\xCC\x88"}, {0x00FD, "y\xCC\x81"}, {0x00FF, "y\xCC\x88"},
    {0x0100, "a\xCC\x84"}, {0x0101, "a\xCC\x84"}, {0x0102, "a\xCC\x86"}, {0x0103, "a\xCC\x86"},
    {0x0104, "a\xCC\xA8"}, {0x0105, "a\xCC\xA8"}, {0x0106, "c\xCC\x81"}, {0x0107, "c\xCC\x81"},
    {0x0108, "c\xCC\x82"}, {0x0109, "c\xCC\x82"}, {0x010A, "c\xCC\x87"}, {0x010B, "c\xCC\x87"},
    {0x010C, "c\xCC\x8C"}, {0x010D, "c\xCC\x8C"}, {0x010E, "d\xCC\x8C"}, {0x010F, "d\xCC\x8C"},
    {0x0110, "\xC4\x91"}, {0x0112, "e\xCC\x84"}, {0x0113, "e\xCC\x84"}, {0x0114, "e\xCC\x86"},
    {0x0115, "e\xCC\x86"}, {0x0116, "e\xCC\x87"}, {0x0117, "e\xCC\x87"}, {0x0118, "e\xCC\xA8"},
    {0x0119, "e\xCC\xA8"}, {0x011A, "e\xCC\x8C"}, {0x011B, "e\xCC\x8C"}, {0x011C, "g\xCC\x82"},
    {0x011D, "g\xCC\x82"}, {0x011E, "g\xCC\x86"}, {0x011F, "g\xCC\x86"}, {0x0120, "g\xCC\x87"},
    {0x0121, "g\xCC\x87"}, {0x0122, "g\xCC\xA7"}, {0x0123, "g\xCC\xA7"}, {0x0124, "h\xCC\x82"},
    {0x0125, "h\xCC\x82"}, {0x0126, "\xC4\xA7"}, {0x0128, "i\xCC\x83"}, {0x0129, "i\xCC\x83"},
    {0x012A, "i\xCC\x84"}, {0x012B, "i\xCC\x84"}, {0x012C, "i\xCC\x86"}, {0x012D, "i\xCC\x86"},
    {0x012E, "i\xCC\xA8"}, {0x012F, "i\xCC\xA8"}, {0x0130, "i\xCC\x87"}, {0x0131, "i"},
    {0x0132, "ij"}, {0x0133, "ij"}, {0x0134, "j\xCC\x82"}, {0x0135, "j\xCC\x82"},
    {0x0136, "k\xCC\xA7"}, {0x0137, "k\xCC\xA7"}, {0x0139, "l\xCC\x81"}, {0x013A, "l\xCC\x81"},
    {0x013B, "l\xCC\xA7"}, {0x013C, "l\xCC\xA7"}, {0x013D, "l\xCC\x8C"}, {0x013E, "l\xCC\x8C"},
    {0x013F, "l\xC2\xB7"}, {0x0140, "l\xC2\xB7"}, {0x0141, "\xC5\x82"}, {0x0143, "n\xCC\x81"},
    {0x0144, "n\xCC\x81"}, {0x0145, "n\xCC\xA7"}, {0x0146, "n\xCC\xA7"}, {0x0147, "n\xCC\x8C"},
    {0x0148, "n\xCC\x8C"}, {0x0149, "\xCA\xBCn"}, {0x014A, "\xC5\x8B"}, {0x014C, "o\xCC\x84"},
    {0x014D, "o\xCC\x84"}, {0x014E, "o\xCC\x86"}, {0x014F, "o\xCC\x86"}, {0x0150, "o\xCC\x8B"},
    {0x0151, "o\xCC\x8B"}, {0x0152, "\xC5\x93"}, {0x0154, "r\xCC\x81"}, {0x0155, "r\xCC\x81"},
    {0x0156, "r\xCC\xA7"}, {0x0157, "r\xCC\xA7"}, {0x0158, "r\xCC\x8C"}, {0x0159, "r\xCC\x8C"},
    {0x015A, "s\xCC\x81"}, {0x015B, "s\xCC\x81"}, {0x015C, "s\xCC\x82"}, {0x015D, "s\xCC\x82"},
    {0x015E, "s\xCC\xA7"}, {0x015F, "s\xCC\xA7"}, {0x0160, "s\xCC\x8C"}, {0x0161, "s\xCC\x8C"},
    {0x0162, "t\xCC\xA7"}, {0x0163, "t\xCC\xA7"}, {0x0164, "t\xCC\x8C"}, {0x0165, "t\xCC\x8C"},
    {0x0166, "\xC5\xA7"}, {0x0168, "u\xCC\x83"}, {0x0169, "u\xCC\x83"}, {0x016A, "u\xCC\x84"},
    {0x016B, "u\xCC\x84"}, {0x016C, "u\xCC\x86"}, {0x016D, "u\xCC\x86"}, {0x016E, "u\xCC\x8A"},
    {0x016F, "u\xCC\x8A"}, {0x0170, "u\xCC\x8B"}, {0x0171, "u\xCC\x8B"}, {0x0172, "u\xCC\xA8"},
    {0x0173, "u\xCC\xA8"}, {0x0174, "w\xCC\x82"}, {0x0175, "w\xCC\x82"}, {0x0176, "y\xCC\x82"},
    {0x0177, "y\xCC\x82"}, {0x0178, "y\xCC\x88"}, {0x0179, "z\xCC\x81"}, {0x017A, "z\xCC\x81"},
    {0x017B, "z\xCC\x87"}, {0x017C, "z\xCC\x87"}, {0x017D, "z\xCC\x8C"}, {0x017E, "z\xCC\x8C"},
    {0x017F, "s"}, {0x0181, "\xC9\x93"}, {0x0182, "\xC6\x83"}, {0x0184, "\xC6\x85"},
    {0x0186, "\xC9\x94"}, {0x0187, "\xC6\x88"}, {0x0189, "\xC9\x96"}, {0x018A, "\xC9\x97"},
    {0x018B, "\xC6\x8C"}, {0x018E, "\xC7\x9D"}, {0x018F, "\xC9\x99"}, {0x0190, "\xC9\x9B"},
    {0x0191, "\xC6\x92"}, {0x0193, "\xC9\xA0"}, {0x0194, "\xC9\xA3"}, {0x0196, "\xC9\xA9"},
    {0x0197, "\xC9\xA8"}, {0x0198, "\xC6\x99"}, {0x019C, "\xC9\xAF"}, {0x019D, "\xC9\xB2"},
    {0x019F, "\xC9\xB5"}, {0x01A0, "o\xCC\x9B"}, {0x01A1, "o\xCC\x9B"}, {0x01A2, "\xC6\xA3"},
    {0x01A4, "\xC6\xA5"}, {0x01A6, "\xCA\x80"}, {0x01A7, "\xC6\xA8"}, {0x01A9, "\xCA\x83"},
    {0x01AC, "\xC6\xAD"}, {0x01AE, "\xCA\x88"}, {0x01AF, "u\xCC\x9B"}, {0x01B0, "u\xCC\x9B"},
    {0x01B1, "\xCA\x8A"}, {0x01B2, "\xCA\x8B"}, {0x01B3, "\xC6\xB4"}, {0x01B5, "\xC6\xB6"},
    {0x01B7, "\xCA\x92"}, {0x01B8, "\xC6\xB9"}, {0x01BC, "\xC6\xBD"}, {0x01C4, "dz\xCC\x8C"},
    {0x01C5, "dz\xCC\x8C"}, {0x01C6, "dz\xCC\x8C"}, {0x01C7, "lj"}, {0x01C8, "lj"}, {0x01C9, "lj"},
    {0x01CA, "nj"}, {0x01CB, "nj"}, {0x01CC, "nj"}, {0x01CD, "a\xCC\x8C"}, {0x01CE, "a\xCC\x8C"},
    {0x01CF, "i\xCC\x8C"}, {0x01D0, "i\xCC\x8C"}, {0x01D1, "o\xCC\x8C"}, {0x01D2, "o\xCC\x8C"},
    {0x01D3, "u\xCC\x8C"}, {0x01D4, "u\xCC\x8C"}, {0x01D5, "u\xCC\x88\xCC\x84"},
    {0x01D6, "u\xCC\x88\xCC\x84"}, {0x01D7, "u\xCC\x88\xCC\x81"}, {0x01D8, "u\xCC\x88\xCC\x81"},
    {0x01D9, "u\xCC\x88\xCC\x8C"}, {0x01DA, "u\xCC\x88\xCC\x8C"}, {0x01DB, "u\xCC\x88\xCC\x80"},
    {0x01DC, "u\xCC\x88\xCC\x80"}, {0x01DE, "a\xCC\x88\xCC\x84"}, {0x01DF, "a\xCC\x88\xCC\x84"},
    {0x01E0, "a\xCC\x87\xCC\x84"}, {0x01E1, "a\xCC\x87\xCC\x84"}, {0x01E2, "\xC3\xA6\xCC\x84"},
    {0x01E3, "\xC3\xA6\xCC\x84"}, {0x01E4, "\xC7\xA5"}, {0x01E6, "g\xCC\x8C"},
    {0x01E7, "g\xCC\x8C"}, {0x01E8, "k\xCC\x8C"}, {0x01E9, "k\xCC\x8C"}, {0x01EA, "o\xCC\xA8"},
    {0x01EB, "o\xCC\xA8"}, {0x01EC, "o\xCC\xA8\xCC\x84"}, {0x01ED, "o\xCC\xA8\xCC\x84"},
    {0x01EE, "\xCA\x92\xCC\x8C"}, {0x01EF, "\xCA\x92\xCC\x8C"}, {0x01F0, "j\xCC\x8C"},
    {0x01F1, "dz"}, {0x01F2, "dz"}, {0x01F3, "dz"}, {0x01F4, "g\xCC\x81"}, {0x01F5, "g\xCC\x81"},
    {0x01F6, "\xC6\x95"}, {0x01F7, "\xC6\xBF"}, {0x01F8, "n\xCC\x80"}, {0x01F9, "n\xCC\x80"},
    {0x01FA, "a\xCC\x8A\xCC\x81"}, {0x01FB, "a\xCC\x8A\xCC\x81"}, {0x01FC, "\xC3\xA6\xCC\x81"},
    {0x01FD, "\xC3\xA6\xCC\x81"}, {0x01FE, "\xC3\xB8\xCC\x81"}, {0x01FF, "\xC3\xB8\xCC\x81"},
    {0x0200, "a\xCC\x8F"}, {0x0201, "a\xCC\x8F"}, {0x0202, "a\xCC\x91"}, {0x0203, "a\xCC\x91"},
    {0x0204, "e\xCC\x8F"}, {0x0205, "e\xCC\x8F"}, {0x0206, "e\xCC\x91"}, {0x0207, "e\xCC\x91"},
    {0x0208, "i\xCC\x8F"}, {0x0209, "i\xCC\x8F"}, {0x020A, "i\xCC\x91"}, {0x020B, "i\xCC\x91"},
    {0x020C, "o\xCC\x8F"}, {0x020D, "o\xCC\x8F"}, {0x020E, "o\xCC\x91"}, {0x020F, "o\xCC\x91"},
    {0x0210, "r\xCC\x8F"}, {0x0211, "r\xCC\x8F"}, {0x0212, "r\xCC\x91"}, {0x0213, "r\xCC\x91"},
    {0x0214, "u\xCC\x8F"}, {0x0215, "u\xCC\x8F"}, {0x0216, "u\xCC\x91"}, {0x0217, "u\xCC\x91"},
    {0x0218, "s\xCC\xA6"}, {0x0219, "s\xCC\xA6"}, {0x021A, "t\xCC\xA6"}, {0x021B, "t\xCC\xA6"},
    {0x021C, "\xC8\x9D"}, {0x021E, "h\xCC\x8C"}, {0x021F, "h\xCC\x8C"}, {0x0220, "\xC6\x9E"},
    {0x0222, "\xC8\xA3"}, {0x0224, "\xC8\xA5"}, {0x0226, "a\xCC\x87"}, {0x0227, "a\xCC\x87"},
    {0x0228, "e\xCC\xA7"}, {0x0229, "e\xCC\xA7"}, {0x022A, "o\xCC\x88\xCC\x84"},
    {0x022B, "o\xCC\x88\xCC\x84"}, {0x022C, "o\xCC\x83\xCC\x84"}, {0x022D, "o\xCC\x83\xCC\x84"},
    {0x022E, "o\xCC\x87"}, {0x022F, "o\xCC\x87"}, {0x0230, "o\xCC\x87\xCC\x84"},
    {0x0231, "o\xCC\x87\xCC\x84"}, {0x0232, "y\xCC\x84"}, {0x0233, "y\xCC\x84"},
    {0x023A, "\xE2\xB1\xA5"}, {0x023B, "\xC8\xBC"}, {0x023D, "\xC6\x9A"}, {0x023E, "\xE2\xB1\xA6"},
    {0x0241, "\xC9\x82"}, {0x0243, "\xC6\x80"}, {0x0244, "\xCA\x89"}, {0x0245, "\xCA\x8C"},
    {0x0246, "\xC9\x87"}, {0x0248, "\xC9\x89"}, {0x024A, "\xC9\x8B"}, {0x024C, "\xC9\x8D"},
    {0x024E, "\xC9\x8F"},
};
// clang-format on

bool decode_utf8(const std::string& s, size_t& i, uint32_t& cp) {
  auto b = static_cast<unsigned char>(s[i]);
  int extra = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
  if (extra < 0 || i + extra >= s.size()) return false;
  cp = extra == 0 ? b : b & (0x3f >> extra);
  for (int k = 1; k <= extra; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xc0) != 0x80) return false;
    cp = (cp << 6) | (c & 0x3f);
  }
  i += extra + 1;
  return true;
}

struct Keyword {
  int nid;
  const char* name;
};
// X500Principal's RFC 2253 keywords; every other type prints as its OID.
constexpr Keyword kKeywords[] = {
    {NID_commonName, "CN"},        {NID_countryName, "C"},
    {NID_localityName, "L"},       {NID_stateOrProvinceName, "ST"},
    {NID_organizationName, "O"},   {NID_organizationalUnitName, "OU"},
    {NID_streetAddress, "STREET"}, {NID_domainComponent, "DC"},
    {NID_userId, "UID"},
};

std::string oid_text(const ASN1_OBJECT* obj) {
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  if (n <= 0 || n >= static_cast<int>(sizeof buf)) throw Error("certificate name has a bad OID");
  return buf;
}

// DER of the value (tag, length, content), as Java prints non-string values.
std::string hex_der(const ASN1_STRING* v) {
  std::string der;
  der += static_cast<char>(ASN1_STRING_type(v));
  size_t len = static_cast<size_t>(ASN1_STRING_length(v));
  if (len < 0x80) {
    der += static_cast<char>(len);
  } else {
    std::string bytes;
    for (size_t l = len; l; l >>= 8) bytes.insert(bytes.begin(), static_cast<char>(l & 0xff));
    der += static_cast<char>(0x80 | bytes.size());
    der += bytes;
  }
  der.append(reinterpret_cast<const char*>(ASN1_STRING_get0_data(v)), len);
  static const char* digits = "0123456789abcdef";
  std::string out = "#";
  for (unsigned char b : der) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::string string_value(const ASN1_STRING* v) {
  std::string s(reinterpret_cast<const char*>(ASN1_STRING_get0_data(v)),
                static_cast<size_t>(ASN1_STRING_length(v)));
  static const std::string escapees = ",+<>;\"\\";
  std::string out;
  bool previous_white = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool white = c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    if (white) {
      if (previous_white) continue;
      previous_white = true;
      out += c;
      continue;
    }
    previous_white = false;
    if ((i == 0 && c == '#') || escapees.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  // String.trim(): everything up to U+0020 at both ends.
  size_t b = 0, e = out.size();
  while (b < e && static_cast<unsigned char>(out[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(out[e - 1]) <= ' ') --e;
  return out.substr(b, e - b);
}

struct Ava {
  std::string keyword;  // "CN" or a dotted OID
  bool is_oid = false;
  std::string text;
};

std::vector<uint64_t> oid_parts(const std::string& oid) {
  std::vector<uint64_t> parts;
  size_t pos = 0;
  while (pos <= oid.size()) {
    size_t dot = oid.find('.', pos);
    if (dot == std::string::npos) dot = oid.size();
    // OpenSSL prints arcs as digits, but an arc past 64 bits (or a stray
    // character) must not throw out of a sort: it ranks as the largest arc.
    uint64_t arc = 0;
    auto [end, ec] = std::from_chars(oid.data() + pos, oid.data() + dot, arc);
    if (ec != std::errc() || end != oid.data() + dot) arc = UINT64_MAX;
    parts.push_back(arc);
    pos = dot + 1;
  }
  return parts;
}

}  // namespace

std::string fold_canonical(const std::string& utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    size_t start = i;
    uint32_t cp = 0;
    if (!decode_utf8(utf8, i, cp)) {
      out += utf8[start];  // not UTF-8: leave the byte alone
      i = start + 1;
      continue;
    }
    if (cp >= 'A' && cp <= 'Z') {
      out += static_cast<char>(cp + 32);
      continue;
    }
    auto it = std::lower_bound(std::begin(kFold), std::end(kFold), cp,
                               [](const Fold& f, uint32_t c) { return f.cp < c; });
    if (it != std::end(kFold) && it->cp == cp) {
      out += it->utf8;
    } else {
      out.append(utf8, start, i - start);
    }
  }
  return out;
}

std::string canonical_x500_name(const X509_NAME* name) {
  int count = X509_NAME_entry_count(name);
  // Group entries into RDNs (multi-valued RDNs share a set number).
  std::vector<std::vector<Ava>> rdns;
  int last_set = -1;
  for (int i = 0; i < count; ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    const ASN1_OBJECT* obj = X509_NAME_ENTRY_get_object(e);
    const ASN1_STRING* v = X509_NAME_ENTRY_get_data(e);
    Ava ava;
    int nid = OBJ_obj2nid(obj);
    auto kw = std::find_if(std::begin(kKeywords), std::end(kKeywords),
                           [&](const Keyword& k) { return k.nid == nid && nid != NID_undef; });
    if (kw != std::end(kKeywords)) {
      ava.keyword = kw->name;
    } else {
      ava.keyword = oid_text(obj);
      ava.is_oid = true;
    }
    int type = ASN1_STRING_type(v);
    bool stringy = !ava.is_oid && (type == V_ASN1_PRINTABLESTRING || type == V_ASN1_UTF8STRING);
    ava.text = ava.keyword + "=" + (stringy ? string_value(v) : hex_der(v));
    int set = X509_NAME_ENTRY_set(e);
    if (rdns.empty() || set != last_set) rdns.emplace_back();
    rdns.back().push_back(std::move(ava));
    last_set = set;
  }
  std::string out;
  for (auto it = rdns.rbegin(); it != rdns.rend(); ++it) {
    auto& avas = *it;
    // Keywords alphabetically first, then OIDs in numeric order.
    std::stable_sort(avas.begin(), avas.end(), [](const Ava& a, const Ava& b) {
      if (a.is_oid != b.is_oid) return !a.is_oid;
      if (!a.is_oid) return a.keyword < b.keyword;
      return oid_parts(a.keyword) < oid_parts(b.keyword);
    });
    if (!out.empty()) out += ',';
    for (size_t k = 0; k < avas.size(); ++k) out += (k ? "+" : "") + avas[k].text;
  }
  return fold_canonical(out);
}

}  // namespace distill
