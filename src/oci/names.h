// The distribution spec's grammar for tags and repository names, with
// messages that name the first character that breaks it. Used where a user
// gives a name (-t/--tag, docker:// references) so a bad one fails at once
// instead of reaching index.json or a registry.
#pragma once

#include <string>

namespace distill::oci {

// "" when `tag` matches [A-Za-z0-9_][A-Za-z0-9._-]{0,127}; else a message
// "tag 'x y': ' ' (a space) at position 2 is not allowed; ...". `what`
// replaces "tag" as the message's subject (e.g. "--tag").
std::string tag_problem(const std::string& tag, const std::string& what = "tag");

// "" when `name` is [HOST[:PORT]/]COMPONENT(/COMPONENT)*, each component
// [a-z0-9]+ joined by '.', '_', '__' or '-'+, at most 255 characters
// (a first part with '.' or ':', or "localhost", is the host); else a
// message naming the bad character.
std::string repository_problem(const std::string& name, const std::string& what = "repository");

// For -t/--tag: a plain tag, or NAME[:TAG] (a docker-archive's RepoTags
// entry) when the value has a ':' or '/'. "" when valid; positions in the
// message count in the whole value.
std::string tag_flag_problem(const std::string& value, const std::string& what);

}  // namespace distill::oci
