// The framing of the project's kept model artifacts (question answering, relation
// extraction): 8-byte magic | u64 n | n bytes of JSON metadata | torch archive. Each model
// reads its own metadata; this checks the frame.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace kg::ml {

std::string packModelFile(std::string_view magic, const nlohmann::json& meta,
                          torch::serialize::OutputArchive& archive);
// The metadata of `bytes`, its archive loaded (on the CPU) into `archive`. A wrong magic,
// lengths beyond the file, unparsable metadata or unreadable tensors are reported through
// fail(reason), which must throw; `kind` names the model ("a question-answering model").
nlohmann::json unpackModelFile(const std::string& bytes, std::string_view magic, const std::string& kind,
                               torch::serialize::InputArchive& archive,
                               const std::function<void(const std::string&)>& fail);

} // namespace kg::ml
