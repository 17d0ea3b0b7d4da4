// Salted hashes of entity keys for federated alignment: HMAC-SHA256(salt, key). Silos share
// the salt (a secret the coordinator never sees), so the coordinator can match entities held
// by several silos without learning their keys, and cannot test guesses against the hashes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kg::fed {

using EntityHash = std::array<uint8_t, 32>;

// Throws Error(Errc::InvalidArgument) for a salt shorter than 8 bytes.
EntityHash entityHash(std::string_view salt, std::string_view key);

} // namespace kg::fed
