// Helpers shared by the fuzz targets: scratch files for entry points that
// only read paths, and splitting one input into several documents.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace distill::fuzz {

// /dev/shm keeps the per-input writes off the disk.
inline std::string scratch_base() {
  if (::access("/dev/shm", W_OK) == 0) return "/dev/shm";
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

// A directory private to this process, removed at exit.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = scratch_base() + "/distill-fuzz-XXXXXX";
    if (!::mkdtemp(tmpl.data())) std::abort();
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  // Empties the directory between inputs.
  void clear() const {
    std::error_code ec;
    for (auto& e : std::filesystem::directory_iterator(path_, ec))
      std::filesystem::remove_all(e.path(), ec);
  }

 private:
  std::string path_;
};

// Writes `data` to `path` (replacing it); aborts on failure since a harness
// that cannot write its input tests nothing.
inline void write_file(const std::string& path, std::string_view data) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f) != data.size()) std::abort();
  if (std::fclose(f) != 0) std::abort();
}

// Splits `input` at each `sep`, into at most `max` parts (the last keeps the
// rest), so that one fuzz input can carry several related documents.
inline std::vector<std::string_view> split(std::string_view input, std::string_view sep,
                                           size_t max) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max) {
    size_t at = input.find(sep);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + sep.size());
  }
  parts.push_back(input);
  return parts;
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace distill::fuzz
