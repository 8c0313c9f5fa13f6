// The host's apt configuration: which repositories apt would use
// (sources.list one-line format and deb822 *.sources) and apt.conf settings
// distill honours (the HTTP proxy). `root` is "/" on a real host and a fake
// tree in tests.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "net/http.h"

namespace distill::debian {

struct AptSource {
  std::string uri;  // without trailing slash
  std::vector<std::string> suites;
  std::vector<std::string> components;
  std::vector<std::string> signed_by;      // keyring paths (absolute, under root)
  std::string signed_by_key;               // an inline ASCII-armored key block, if given so
  std::vector<std::string> architectures;  // "" = every architecture
  std::string where;                       // "file:line" for messages
};

// One-line format: "deb [opt=val ...] URI SUITE COMP...". deb-src lines are skipped.
std::vector<AptSource> parse_sources_list(std::string_view text, const std::string& where);
// deb822 format; stanzas with "Enabled: no" or without Types: deb are skipped.
std::vector<AptSource> parse_deb822_sources(std::string_view text, const std::string& where);
// Reads ROOT/etc/apt/sources.list, sources.list.d/*.list and *.sources.
std::vector<AptSource> read_apt_sources(const std::string& root = "/");

// apt.conf: keys flattened with "::" and lowercased ("acquire::http::proxy").
std::map<std::string, std::string> parse_apt_conf(std::string_view text, const std::string& where);
// ROOT/etc/apt/apt.conf and apt.conf.d/* (in name order; later files win).
std::map<std::string, std::string> read_apt_conf(const std::string& root = "/");
// Acquire::http::Proxy, Acquire::https::Proxy and their per-host forms.
net::ProxyConfig apt_proxy_config(const std::map<std::string, std::string>& conf);

}  // namespace distill::debian
