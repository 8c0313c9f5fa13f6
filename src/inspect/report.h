// The inspect report: every fact about one image as a JSON document whose
// schema is documented in docs/inspect-schema.md ("distill.inspect/v1").
// The text and HTML renderers read only this document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inspect/image_scan.h"
#include "inspect/open_image.h"

namespace distill::inspect {

inline constexpr const char* kReportSchema = "distill.inspect/v1";

nlohmann::json config_facts(const oci::Image& image);
nlohmann::json build_report(const Target& target, const ImageScan& scan);

// What the config's history says layer i (of `layers`) is: its created_by,
// or null when it has none or the entries that are not empty_layer do not
// pair up one to one with the layers.
std::vector<nlohmann::json> layer_created_by(const nlohmann::json& config, size_t layers);

// Directory sizes as a nested tree ({name, size, children}) for treemaps,
// down to `max_depth`, folding entries smaller than `min_fraction` of the
// total into one "(other)" child.
nlohmann::json directory_size_tree(const MergedFs& fs, int max_depth, double min_fraction);

}  // namespace distill::inspect
