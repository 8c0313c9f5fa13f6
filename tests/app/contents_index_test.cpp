#include "app/contents_index.h"

#include <gtest/gtest.h>

namespace distill::app {
namespace {

using Hits = std::vector<std::pair<std::string, std::string>>;

TEST(ContentsIndex, KeysSharedObjectsByFileNameAcrossPaths) {
  ContentsIndex idx;
  idx.add(
      "usr/lib/x86_64-linux-gnu/libsqlite3.so.0          libs/libsqlite3-0\n"
      "usr/lib/x86_64-linux-gnu/blas/libblas.so.3        libs/libblas3\n"
      "usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 libs/libopenblas0-pthread\n"
      "usr/share/doc/libsqlite3-0/copyright              libs/libsqlite3-0\n"
      "lib/x86_64-linux-gnu/libz.so.1   libs/zlib1g,oldlibs/zlib1g-compat\n"
      "usr/lib/x86_64-linux-gnu/libz.so.1.2.13 non-free/libs/zlib1g\n"
      "garbage-line-without-package\n");
  EXPECT_EQ(idx.find("libsqlite3.so.0"),
            (Hits{{"/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", "libsqlite3-0"}}));
  EXPECT_EQ(
      idx.find("libblas.so.3"),
      (Hits{{"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3", "libblas3"},
            {"/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "libopenblas0-pthread"}}));
  EXPECT_EQ(idx.find("libz.so.1"), (Hits{{"/lib/x86_64-linux-gnu/libz.so.1", "zlib1g"},
                                         {"/lib/x86_64-linux-gnu/libz.so.1", "zlib1g-compat"}}));
  EXPECT_EQ(idx.find("libz.so.1.2.13"),
            (Hits{{"/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", "zlib1g"}}));
  EXPECT_TRUE(idx.find("copyright").empty());
  EXPECT_EQ(idx.size(), 6u);
}

TEST(ContentsIndex, EmptyTextAddsNothing) {
  ContentsIndex idx;
  idx.add("");
  EXPECT_EQ(idx.size(), 0u);
  EXPECT_TRUE(idx.find("libc.so.6").empty());
}

}  // namespace
}  // namespace distill::app
