// IRI helpers for the RDF reader: RFC 3986 dot-segment removal (Serd 0.30 keeps "." and ".."
// in the middle of resolved paths) and the file:// URI that is a file's default base.
#pragma once

#include <string>
#include <string_view>

namespace kg::import {

// True if `iri` starts with a scheme ("http:", "file:", "urn:", ...).
bool hasScheme(std::string_view iri);

// `iri` with remove_dot_segments (RFC 3986, 5.2.4) applied to its path; scheme, authority,
// query and fragment unchanged.
std::string removeDotSegments(std::string_view iri);

// "file:///abs/path" for a file path (made absolute, bytes outside the unreserved set and
// '/' percent-encoded); "" when `path` names no existing file.
std::string fileBaseIri(const std::string& path);

} // namespace kg::import
