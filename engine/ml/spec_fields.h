// Reading a job spec's JSON object field by field (the question-answering and extraction
// specs): a missing key keeps the field's default, a value of another type is
// Error(InvalidArgument) naming the key, check() refuses a value out of range.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>

#include "core/error.h"

namespace kg::ml {

class SpecFields {
public:
    // `what` names the spec in the error for a non-object ("a question-answering spec").
    SpecFields(const std::string& json, const std::string& what)
        : j_(nlohmann::json::parse(json, nullptr, false))
    {
        if (!j_.is_object())
            throw Error(Errc::InvalidArgument, what + " is a JSON object");
    }
    template <class T>
    void get(const char* key, T& field) const
    {
        if (!j_.contains(key))
            return;
        try {
            field = j_.at(key).get<std::decay_t<T>>();
        } catch (const nlohmann::json::exception&) {
            throw Error(Errc::InvalidArgument, std::string("bad value for '") + key + "'");
        }
    }
    static void check(bool ok, const char* field)
    {
        if (!ok)
            throw Error(Errc::InvalidArgument, std::string("'") + field + "' is out of range");
    }

private:
    nlohmann::json j_;
};

} // namespace kg::ml
