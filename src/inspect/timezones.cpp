#include <string>

#include "inspect/facts.h"

namespace distill::inspect {

nlohmann::json timezone_facts(const MergedFs& fs) {
  nlohmann::json j;
  uint64_t count = 0;
  // posix/ and right/ are copies of the same zones under other rules; count
  // each zone once, as tzdata's own zone list does.
  fs.for_each_below("usr/share/zoneinfo", [&](const FileInfo& f) {
    if (f.type != TarEntry::Type::kFile && f.type != TarEntry::Type::kHardlink &&
        f.type != TarEntry::Type::kSymlink)
      return;
    std::string rel = f.path.substr(19);
    if (rel.rfind("posix/", 0) == 0 || rel.rfind("right/", 0) == 0) return;
    if (rel.find('.') != std::string::npos) return;  // zone1970.tab, leapseconds.list...
    if (rel.find('/') == std::string::npos && (rel == "leapseconds" || rel == "tzdata.zi" ||
                                               rel == "leap-seconds" || rel == "posixrules"))
      return;
    if (rel[0] < 'A' || rel[0] > 'Z') return;  // zone names start with a capital
    ++count;
  });
  j["path"] = "/usr/share/zoneinfo";
  j["count"] = count;
  auto utc = fs.resolve("usr/share/zoneinfo/UTC");
  j["has_utc"] = utc.has_value();
  const FileInfo* lt = fs.find("etc/localtime");
  j["localtime"] = lt && lt->type == TarEntry::Type::kSymlink ? nlohmann::json(lt->link)
                   : lt                                       ? nlohmann::json("file")
                                                              : nlohmann::json(nullptr);
  return j;
}

}  // namespace distill::inspect
