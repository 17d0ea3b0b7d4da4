// The JSON form of an answered question, shared by `kgwb ask --json` and `kgwb serve`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ml/qa.h"

namespace kg {
class Project;
}

namespace kgcli {

nlohmann::json askJson(kg::Project& project, const std::string& question, const kg::ml::QaResult& result, int64_t run);

} // namespace kgcli
