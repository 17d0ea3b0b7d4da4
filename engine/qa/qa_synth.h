// Synthetic questions for weak supervision on any project: random walks of 1..maxHops hops
// over the train graph, phrased from the relations' labels (or their keys, made readable),
// e.g. "what is the country of the birthplace of Marie Curie ?". Every entity the walk's
// relation path reaches from the topic is a right answer. Stored with synthetic = 1, so they
// are marked wherever questions are shown or counted. Torch-free.
#pragma once

#include <cstdint>

namespace kg {
class Project;
}

namespace kg::qa {

struct SynthOptions {
    int64_t count = 1000;
    int64_t maxHops = 2;
    int64_t maxAnswers = 20; // walks whose path reaches more entities are skipped (too vague)
    uint64_t seed = 42;
};

// Adds up to options.count questions (80/10/10 train/valid/test) in one transaction;
// returns how many. Error(InvalidArgument) for a project without train triples.
int64_t synthesizeQuestions(Project& project, const SynthOptions& options);

} // namespace kg::qa
