#include "import/iri.h"

#include <cctype>
#include <filesystem>
#include <system_error>

namespace kg::import {

bool hasScheme(std::string_view iri)
{
    if (iri.empty() || !std::isalpha(static_cast<unsigned char>(iri[0])))
        return false;
    for (size_t i = 1; i < iri.size(); ++i) {
        const char c = iri[i];
        if (c == ':')
            return true;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
            return false;
    }
    return false;
}

namespace {

// RFC 3986, 5.2.4, on a path alone.
std::string dotFree(std::string_view in)
{
    std::string out;
    auto dropLastSegment = [&] {
        const size_t slash = out.rfind('/');
        out.erase(slash == std::string::npos ? 0 : slash);
    };
    while (!in.empty()) {
        if (in.substr(0, 3) == "../")
            in.remove_prefix(3);
        else if (in.substr(0, 2) == "./")
            in.remove_prefix(2);
        else if (in.substr(0, 3) == "/./")
            in.remove_prefix(2);
        else if (in == "/.")
            in = "/";
        else if (in.substr(0, 4) == "/../") {
            in.remove_prefix(3);
            dropLastSegment();
        } else if (in == "/..") {
            in = "/";
            dropLastSegment();
        } else if (in == "." || in == "..")
            in = {};
        else {
            const size_t next = in.find('/', in[0] == '/' ? 1 : 0);
            const size_t n = next == std::string_view::npos ? in.size() : next;
            out.append(in.substr(0, n));
            in.remove_prefix(n);
        }
    }
    return out;
}

} // namespace

std::string removeDotSegments(std::string_view iri)
{
    size_t pathStart = 0;
    if (hasScheme(iri)) {
        pathStart = iri.find(':') + 1;
        if (iri.substr(pathStart, 2) == "//") {
            const size_t end = iri.find_first_of("/?#", pathStart + 2);
            pathStart = end == std::string_view::npos ? iri.size() : end;
        }
    }
    const size_t pathEnd = std::min(iri.find_first_of("?#", pathStart), iri.size());
    const std::string_view path = iri.substr(pathStart, pathEnd - pathStart);
    if (path.find('.') == std::string_view::npos)
        return std::string(iri);
    std::string out(iri.substr(0, pathStart));
    out += dotFree(path);
    out.append(iri.substr(pathEnd));
    return out;
}

std::string fileBaseIri(const std::string& path)
{
    std::error_code ec;
    if (path.empty() || !std::filesystem::is_regular_file(path, ec))
        return {};
    const std::string abs = std::filesystem::absolute(path, ec).lexically_normal().string();
    if (ec)
        return {};
    static const char* hex = "0123456789ABCDEF";
    std::string out = "file://";
    for (const unsigned char c : abs) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace kg::import
