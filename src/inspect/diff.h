// Compares two images: files (content digest, type, mode, owner, link,
// mtime), packages, config and sizes. Either side may be `scratch`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "inspect/image_scan.h"

namespace distill::inspect {

inline constexpr const char* kDiffSchema = "distill.diff/v1";

// `report_a`/`report_b` are build_report() of the scans (which must have
// been made with ScanOptions::digests). The result's "differences" counts the
// files, packages and config fields that differ; 0 means the same content
// even when the manifests differ (e.g. in compression).
nlohmann::json diff_images(const nlohmann::json& report_a, const MergedFs& a,
                           const nlohmann::json& report_b, const MergedFs& b);

std::string render_diff_text(const nlohmann::json& diff);

}  // namespace distill::inspect
