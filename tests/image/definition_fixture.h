#pragma once

#include <gtest/gtest.h>

#include <string>

#include "error_of.h"
#include "image/definition.h"
#include "util/fs.h"

namespace distill {

// A temp dir to write definition files into and load them from.
struct DefinitionFixture : ::testing::Test {
  TempDir tmp;
  std::string write(const std::string& name, const std::string& yaml) {
    std::string p = join_path(tmp.path(), name);
    make_dirs(parent_dir(p));
    write_file_atomic(p, yaml);
    return p;
  }
  // Loads `yaml` from file `name` (default: a fresh one) and returns the
  // error message ("" if it loaded).
  std::string load_error(const std::string& yaml, std::string name = "") {
    if (name.empty()) name = "def-" + std::to_string(counter_++) + ".yaml";
    std::string p = write(name, yaml);
    return error_of([&] { load_definition_file(p); });
  }
  int counter_ = 0;
};

}  // namespace distill
