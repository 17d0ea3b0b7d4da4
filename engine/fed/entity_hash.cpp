#include "fed/entity_hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/error.h"

namespace kg::fed {

EntityHash entityHash(std::string_view salt, std::string_view key)
{
    if (salt.size() < 8)
        throw Error(Errc::InvalidArgument, "the federation salt must have at least 8 characters (a secret shared by "
                                           "the silos, never by the coordinator)");
    EntityHash out{};
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), salt.data(), static_cast<int>(salt.size()), reinterpret_cast<const unsigned char*>(key.data()),
              key.size(), out.data(), &length) ||
        length != out.size())
        throw Error(Errc::Io, "HMAC-SHA256 failed");
    return out;
}

} // namespace kg::fed
