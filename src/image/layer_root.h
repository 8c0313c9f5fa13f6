// The root filesystem an image's layers add up to, as an elf::RootTree, for
// the parts that look at the finished image (the ld.so.cache part). distill's
// own layers carry no whiteouts, so a later layer's entry simply replaces an
// earlier one's.
#pragma once

#include <vector>

#include "elf/root_tree.h"
#include "image/layer_blob.h"

namespace distill {

// Reads every layer's tar in order into one tree. Only the bytes ldconfig
// reads are kept in memory: files named like libraries (elf::is_library_name)
// and files under /etc up to 1 MiB; other files are listed with no reader.
// Hardlinks share their target's bytes. Throws distill::Error naming the
// layer on a corrupt tar.
elf::RootTree root_of_layers(const std::vector<BuiltLayer>& layers);

}  // namespace distill
