// Documents and their sentences kept in the project (tables documents, sentences and
// sentence_fts, schema v6): the corpus that triples are extracted from. Torch-free.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kg {

class Project;

struct DocumentRecord {
    int64_t id = 0;
    std::string name;   // file name, or "description of <entity key>"
    std::string source; // the path it was read from ("" for descriptions)
    std::string format; // text | markdown | html | description
    int64_t entity = 0; // the entity a description is about (0: none)
    int64_t bytes = 0;
    int64_t sentences = 0;
};

struct NewDocument {
    std::string name, source, format;
    int64_t entity = 0;
    int64_t bytes = 0;
    std::vector<std::string> sentences;
};

struct SentenceRow {
    int64_t id = 0, doc = 0;
    int64_t docEntity = 0; // the document's entity (descriptions), else 0
    std::string text;
};

struct DocCounts {
    int64_t documents = 0, sentences = 0, descriptions = 0;
};

class DocStore {
public:
    explicit DocStore(Project& project);
    // Adds every document in one transaction (all or nothing); returns their ids.
    std::vector<int64_t> add(const std::vector<NewDocument>& documents);
    // Every entity description not yet a document becomes one (format "description", about
    // that entity), in one transaction. `split` cuts a description into sentences. Returns
    // the documents added.
    int64_t addDescriptions(const std::function<std::vector<std::string>(const std::string&)>& split);
    std::vector<DocumentRecord> documents();
    DocCounts counts();
    // Every sentence in document order, streamed while the connection is held.
    void forEachSentence(const std::function<void(const SentenceRow&)>& fn);
    SentenceRow sentence(int64_t id); // Error(NotFound)
    // Full-text search over sentences (FTS5, every word a prefix), best matches first.
    std::vector<SentenceRow> search(const std::string& text, int limit = 50);

private:
    Project& project_;
};

} // namespace kg
