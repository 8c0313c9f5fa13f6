#include "util/io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "util/error.h"
#include "util/fs.h"

namespace distill {

// A file past several writeback points (every 8 MiB), written in uneven
// pieces, holds exactly what was written once finish() returns.
TEST(FileSink, ABigFileWrittenInPiecesHoldsEveryByte) {
  TempDir dir;
  std::string path = join_path(dir.path(), "big");
  std::string data(21u << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
  FileSink sink(path);
  for (size_t pos = 0, step = 1; pos < data.size(); pos += step, step = step * 3 % 5000011 + 1)
    sink.write(data.data() + pos, std::min(step, data.size() - pos));
  EXPECT_EQ(sink.written(), data.size());
  sink.finish();
  EXPECT_EQ(read_file(path), data);
}

TEST(FileSink, AnExistingFileIsNotOverwritten) {
  TempDir dir;
  std::string path = join_path(dir.path(), "taken");
  {
    FileSink first(path);
    first.write("first", 5);
    first.finish();
  }
  EXPECT_THROW(FileSink second(path), Error);
  EXPECT_EQ(read_file(path), "first");
}

}  // namespace distill
