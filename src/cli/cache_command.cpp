// distill cache stats|prune: what the shared cache directory holds
// (downloads, compact indices, layers) and bounding it by size.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "archive/size_limits.h"
#include "cli/commands.h"
#include "image/cache_prune.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct CacheArgs {
  std::string cache_dir;
  std::string max_size;
  bool json = false;
};

void print_usage(const std::vector<CacheKindUsage>& kinds, bool json, const char* verb) {
  uint64_t entries = 0, bytes = 0;
  for (const auto& k : kinds) {
    entries += k.entries;
    bytes += k.bytes;
  }
  if (json) {
    nlohmann::json j = {{"entries", entries}, {"bytes", bytes}};
    for (const auto& k : kinds) j[k.kind] = {{"entries", k.entries}, {"bytes", k.bytes}};
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  for (const auto& k : kinds)
    std::printf("%-10s %8llu %s  %s\n", k.kind.c_str(), static_cast<unsigned long long>(k.entries),
                verb, human_size(k.bytes).c_str());
  std::printf("%-10s %8llu %s  %s\n", "total", static_cast<unsigned long long>(entries), verb,
              human_size(bytes).c_str());
}

}  // namespace

void add_cache_command(CLI::App& app) {
  auto a = std::make_shared<CacheArgs>();
  CLI::App* cmd = app.add_subcommand(
      "cache",
      "Show or bound the cache builds share (downloaded .debs and Packages files, indices in\n"
      "their compact form, finished layers; default $XDG_CACHE_HOME/distill).");
  cmd->require_subcommand(1);
  CLI::App* stats = cmd->add_subcommand("stats", "Print the entries and bytes of each kind");
  stats->add_option("--cache-dir", a->cache_dir, "Cache (default $XDG_CACHE_HOME/distill)");
  stats->add_flag("--json", a->json, "Print the result as JSON");
  stats->callback([a] { print_usage(cache_usage(a->cache_dir), a->json, "entries"); });
  CLI::App* prune = cmd->add_subcommand(
      "prune", "Remove the least recently used entries until the cache holds at most SIZE");
  prune->add_option("--cache-dir", a->cache_dir, "Cache (default $XDG_CACHE_HOME/distill)");
  prune->add_option("--max-size", a->max_size, "The size to prune to: 500M, 2G, 0 for all")
      ->required();
  prune->add_flag("--json", a->json, "Print what was removed as JSON");
  prune->callback([a] {
    uint64_t max = a->max_size == "0" ? 0 : parse_size(a->max_size, "--max-size");
    print_usage(prune_cache(a->cache_dir, max), a->json, "removed");
  });
  cmd->footer(
      help_footer("  distill cache stats\n"
                  "  distill cache prune --max-size 2G\n"
                  "  distill cache stats --json | jq .layers.bytes"));
}

}  // namespace distill::cli
