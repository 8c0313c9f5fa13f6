// "Did you mean ...?" for mistyped commands, flags and image names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace distill {

// Optimal string alignment distance: the fewest insertions, deletions,
// substitutions and swaps of two neighbouring characters turning `a` into
// `b` (so "buidl" is 1 from "build").
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is near enough to be a typo of it
// (1 edit for words up to 4 characters, 2 up to 8, 3 beyond), else "". Ties
// go to the earlier candidate; `word` itself is never suggested.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'X'?" for closest_match(word, candidates), or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace distill
