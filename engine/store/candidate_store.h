// Candidate triples extracted from text (tables candidates and candidate_evidence, schema
// v6) and a person's decisions on them. Accepting or rejecting is an undoable edit in the
// project's edit log, so undo/redo and reopening keep the decision and its provenance; a
// decided triple is never proposed again. Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kg {

class Project;

struct CandidateEvidence {
    int64_t sentence = 0;
    double score = 0;                 // the extractor's score from this sentence
    int headBegin = 0, headEnd = 0;   // byte range of each mention in the sentence; an empty
    int tailBegin = 0, tailEnd = 0;   // range: named by the document (a description's entity)
    std::string text;                 // filled when read back
    int64_t doc = 0;
    std::string docName;
};

struct CandidateRecord {
    int64_t id = 0;
    int64_t head = 0, rel = 0, tail = 0;
    double score = 0;
    int64_t run = 0;                 // extraction run (0: none)
    std::string status = "pending"; // pending | accepted | rejected
    int64_t triple = 0;              // the triple an accepted candidate became
    std::string decided;             // when (UTC), "" while pending
    std::vector<CandidateEvidence> evidence; // best first
};

struct CandidateCounts {
    int64_t pending = 0, accepted = 0, rejected = 0;
};

class CandidateStore {
public:
    explicit CandidateStore(Project& project);

    // Replaces every pending candidate with `fresh` in one transaction. Fresh candidates
    // whose triple is already in the graph or already decided (accepted or rejected) are
    // dropped. Returns how many were stored.
    int64_t replacePending(int64_t run, const std::vector<CandidateRecord>& fresh);
    // By score, best first; status "" = any. Evidence is read for each when withEvidence.
    std::vector<CandidateRecord> list(const std::string& status = "pending", double minScore = 0,
                                      int64_t limit = 100, int64_t offset = 0, bool withEvidence = true);
    CandidateRecord get(int64_t id); // Error(NotFound)
    CandidateCounts counts();

    // Adds the candidate's triple (or the edited one where head/rel/tail are non-zero) to
    // the train split and marks it accepted: one undoable edit. Returns the triple id.
    // Error(Conflict) when that triple exists or the candidate is not pending.
    int64_t accept(int64_t id, int64_t head = 0, int64_t rel = 0, int64_t tail = 0);
    // Marks it rejected (undoable); it is not proposed again.
    void reject(int64_t id);
    // Accepts every pending candidate scoring >= minScore whose triple is not in the graph,
    // as one undoable edit. Returns how many.
    int64_t acceptAbove(double minScore);
    // Accepted candidates whose triple names `entity`: where those triples came from.
    std::vector<CandidateRecord> provenance(int64_t entity);

private:
    Project& project_;
};

} // namespace kg
