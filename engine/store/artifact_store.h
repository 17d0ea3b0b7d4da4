// Named binary artifacts kept in the project (table `artifacts`, schema v4): mined rules,
// the sentencepiece tokenizer model, transformer weights. put() replaces atomically.
#pragma once

#include <optional>
#include <string>

namespace kg {

class Project;

struct Artifact {
    std::string name, kind, data, meta, created;
};

class ArtifactStore {
public:
    explicit ArtifactStore(Project& project);
    void put(const std::string& name, const std::string& kind, const std::string& data,
             const std::string& metaJson = "{}");
    std::optional<Artifact> get(const std::string& name);
    void remove(const std::string& name);

private:
    Project& project_;
};

} // namespace kg
