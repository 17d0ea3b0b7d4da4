<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>kgapp::GuardedApplication</name>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The operation failed and was abandoned; the project is unchanged by it.

%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgapp::MainWindow</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KG Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No project open. Use File ▸ New or Open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing %1 — %2 triples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import &amp;Labels…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About KG Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About KG Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;KG Workbench&lt;/b&gt; %1&lt;br&gt;Build, visualise and probe knowledge graphs with models.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open project: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — KG Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 entities · %2 relations · %3 triples (train %4, valid %5, test %6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KG Workbench projects (*.kgwb)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KG Workbench projects (*.kgwb);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open or create a project before importing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1 triples (%2 duplicates), %3 new entities, %4 labels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import cancelled; the project is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import failed; the project is unchanged. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add Triple…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Selected Triples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in Graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add Triple…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete Selected Triples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;name Entity…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename Entity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New label for %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>delete %n triple(s)</source>
        <translation>
            <numerusform>delete %n triple</numerusform>
            <numerusform>delete %n triples</numerusform>
        </translation>
    </message>
    <message>
        <source>Labels (*.tsv *.csv *.txt *.gz);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An import is running; quitting rolls it back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A training run is in progress; quitting stops it, and its last finished epoch stays resumable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit KG Workbench?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the demo project: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Candidates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import &amp;Documents…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents (*.txt *.md *.markdown *.html *.htm *.gz);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot count the project: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the entity: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::AddTripleDialog</name>
    <message>
        <source>Add Triple</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entity key (new keys create an entity)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::AskPanel</name>
    <message>
        <source>Ask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Questions…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Walk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alternative path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entities reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask a question about the graph, e.g. what is the nationality of X&apos;s spouse?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>topic entity (optional: overrides linking)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learn from the answers alone, ignoring the questions&apos; gold paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import questions and train a model, then ask.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a path to answer along it instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each hop&apos;s attention over the question&apos;s words: the darker, the more that word chose the relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hops of the chosen answer and their attention over the question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close alternatives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question TSV (*.tsv *.txt *.gz);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>n/a</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entity has the key %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training the question-answering model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entity of the graph is named in the question. Name one in the topic field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found by full-text search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>named in the question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic: %1 (%2). %3 answers in %4 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: attention %2 at hop %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (the topic entity)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill gaps with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CompGCN run predicts facts the graph lacks; hops may follow them (shown with ⇢)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CompGCN run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⇢ marks a fact the completion run predicted; the graph lacks it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>qa run %1 (test MRR %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trained %1 (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epoch %1 of %2, loss %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 %2: test Hits@1 %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid MRR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another training job is running; wait for it or cancel it in the Training tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the questions&apos; words are read: words only, or also through their sentencepiece pieces, started from a transformer run (pre-trained or joint-trained)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>words (from scratch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>words + pieces (from scratch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pieces from transformer run %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-trained</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fine-tuned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the project&apos;s runs: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::AskWorker</name>
    <message>
        <source>Imported %1 questions (train %2, valid %3, test %4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::AttentionHeatmap</name>
    <message>
        <source>Layer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No attention to show yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row: the token that attends; column: the token attended to. Darker = more attention (scaled between the smallest and largest weight shown). The outlined row is [MASK], whose output is scored against every entity to rank the answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 attends to %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::CandidateWorker</name>
    <message>
        <source>Run %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import failed: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading document %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1 documents, %2 sentences.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added %1 entity descriptions as documents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extraction failed: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extracting: document %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 candidates from %2 sentences (%3 entity pairs); %4 new for review.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::CandidatesPanel</name>
    <message>
        <source>Import Documents…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use Entity Descriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train Extractor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept (A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject (R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept All ≥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs per cross-fitting fold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A KGE run whose plausibility of each triple is mixed into the score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extractor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KGE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min. score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scoring at least</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entity key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents (*.txt *.md *.markdown *.html *.htm *.gz);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No project open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 documents, %2 sentences · %3 pending, %4 accepted, %5 rejected · showing %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>score %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sentence score %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entity has the key &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Accepted %n candidates.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Importing documents…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training the extractor…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extracting candidates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training the extractor (run %1): epoch %2 of %3, loss %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extractor run %1 %2; held-out F1 %3 (cross-fitted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held-out F1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another training job is running; wait for it or cancel it in the Training tab.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::EmbeddingPanel</name>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A KGE or transformer run whose entity vectors are mapped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find entities on the map…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nearest entity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each entity is coloured by the relation of most of its training facts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour: the entity&apos;s most frequent relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n entities match &quot;%1&quot;; Enter chooses the next.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Train a KGE or transformer model (Training tab) to map its entities.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 (transformer, %2, d%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 (%2, d%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the entity vectors of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot map %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other relations (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no training facts (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 entities of %2 (%3 dimensions), on the first two principal components of their unit vectors: %4% and %5% of the variance. Click an entity for its nearest ones by cosine; double-click shows it in the graph.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PCA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PCA keeps the directions of largest variance (global shape); t-SNE keeps each entity&apos;s neighbours together (clusters), computed in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Projection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Placing %n entities by t-SNE…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Placing the entities by t-SNE… iteration %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>t-SNE failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 entities of %2 placed by t-SNE (perplexity 30): entities near each other have similar vectors; distances between clusters mean little.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map written to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write the map to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(Kept in the project since it was computed.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 entities of %2 placed by t-SNE (perplexity 30; it laid out a sample of %3, and the others beside their nearest sampled entities): entities near each other have similar vectors; distances between clusters mean little.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 has no model to map: it has not finished, or its checkpoint file is gone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::EmbeddingScatter</name>
    <message>
        <source>KG Workbench entity map</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::EntityInspector</name>
    <message>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entity selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no description)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accepted %1 · score %2 · extraction run %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;From text&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the entity: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triples with this entity as head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triples with this entity as tail</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::EntitySearch</name>
    <message>
        <source>Search entities by label, description or key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entity matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message>
        <source>Search failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::ExplainPanel</name>
    <message>
        <source>Rank Answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entity key or label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scorer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasoning path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask (head, relation, ?) to see ranked answers; pick one to see why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mined rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entity matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ranking answers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding reasoning paths…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot explain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answers: no rule fires for this query.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answers ranked by %2 in %3 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context fact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention rollout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasoning paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context facts (transformer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the transformer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reasoning paths and %2 context facts in %3 ms; attention and attribution from the transformer&apos;s ranking pass.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reasoning paths in %2 ms. Choose a transformer run as scorer to see its attention.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find Necessary Facts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer&apos;s rank without it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an answer, then find the facts it depends on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Necessary facts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-training the model without candidate facts of the head…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot find the facts: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The head has no other training facts to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Without these %n fact(s), %1 falls from rank %2 to %3.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No set of up to %1 facts makes %2 drop: it stays at rank %3 without the strongest %n.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied onto %1 other entities, %n fact(s) make %2 their top answer for %3% (mean rank %4 → %5).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>(%1 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>necessary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>strongest (not enough)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>candidate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sufficient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find the facts this answer depends on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop Mining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop mining rules; asking again starts over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mining rules (one time; they are stored in the project): %1% of relations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule mining stopped; ask again to mine the rules.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No mined rule has this path&apos;s pattern of relations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the project: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answer&apos;s score %1 = %2 through the encoder (what attention shows) + %3 from head × relation directly + %4 answer bias.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No context facts in the input (the run was trained without context, or the head has no facts): attention covers the head and relation only. A run with context shows which facts an answer leaned on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score drop without it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transformer, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers are ranked by run %1 now: enter a head and a relation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes a few seconds; needs a KGE, transformer or CompGCN run as scorer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Necessary facts need a model: choose a KGE, transformer or CompGCN run as scorer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 has no model to rank with: it has not finished, or its checkpoint file is gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CompGCN encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model that ranks the answers: mined rules, a KGE, transformer or CompGCN run (train one in the Training tab)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-ranking the answer without each of the head&apos;s facts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The head&apos;s neighbour facts in the transformer&apos;s input, strongest support first: how much lower the answer scores with the fact alone left out of the input (its place left empty). Attribution (gradient × input) and attention rollout come from the ranking&apos;s own forward pass.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Necessary: the fewest of the head&apos;s facts without which the answer drops. For KGE models the head&apos;s embedding is post-trained without them (Kelpie); for the transformer they are removed from the head&apos;s facts, so its other facts may take their places in the input (the score drop can then differ from the Context facts tab&apos;s). Sufficient: facts that, copied onto other entities (for the transformer, into their input), make the answer theirs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reasoning paths, ordered by the model&apos;s score, in %2 ms. Choose a transformer run as scorer to see its attention.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The path&apos;s first fact is not among the facts in the transformer&apos;s input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not measured: one post-training measures the head&apos;s facts on the paths with the best composed-path scores, up to 16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score drop without it, by which paths are then ordered. A KGE run: how much lower the answer scores with the path&apos;s fact of the head left out and the head&apos;s embedding post-trained without it (one post-training measures them all). A CompGCN run: how much lower the answer scores with the path&apos;s edges left out of its graph (estimated from one backward pass). A transformer run: how much lower the answer scores with the path&apos;s first fact left out of its input (it reads the head&apos;s facts, not the hops beyond); “—” when that fact is not in the input.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::FederationDialog</name>
    <message>
        <source>Start a federation on this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a remote coordinator with this project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add Silo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secure aggregation (pairwise masks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Federated Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ComplEx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DistMult</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TransE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RotatE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the secret the silos share (8+ characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs each silo trains on its own triples per round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each pair of silos adds masks that cancel in the sum: no single silo&apos;s rows are seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Differential privacy: Gaussian noise (times the clipping norm 1) on each silo&apos;s changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Silos (one project each)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinator:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Silo rank:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared secret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Silo:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model and rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dimension:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rounds:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local epochs per round:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DP noise:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid MRR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid Hits@10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output of the coordinator and the silos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Silo Projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KG Workbench projects (*.kgwb)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no project open)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not start %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add at least one silo project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Federation of %n silo(s) running…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Joining needs an open project, the coordinator&apos;s host:port and the shared secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined as silo %1; waiting for the coordinator…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round %1 of %2 done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished: test MRR %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A federation process stopped (exit code %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If a silo fails, go on without it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Otherwise a silo that leaves, or takes over 30 minutes for a round, stops the federation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entity embeddings (FedE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relation embeddings (FedR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the silos average each round; the rest stays in each silo. FedR suits silos that share relations (kgwb silo split --by triple)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each round: the silos train locally, then the shared embeddings are averaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both: the whole model (FedAvg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CompGCN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer (rank answers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read entity labels (one tokenizer for every silo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CompGCN and the transformer also average their layers (the encoder) each round, weighted by each silo&apos;s training triples. The transformer trains with the rank-answers preset; with Read entity labels it also reads each entity&apos;s label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before the first round, silo 1&apos;s tokenizer (trained on its labels and descriptions if it has none of this size) replaces the other silos&apos; own, so every silo cuts words alike and the pieces&apos; rows are averaged too. Earlier runs keep the tokenizer they trained with. Rounds take longer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pieces of the shared sentencepiece tokenizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giving every silo the tokenizer of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the silos failed (exit code %1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::GraphExplorer</name>
    <message>
        <source>Relations in view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click a relation to highlight its edges; click again to clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search for an entity and press Enter, or double-click a node to expand it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graphviz layout engine: sfdp and fdp for large graphs, neato for small ones, dot for hierarchies, circo for cycles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute the layout again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the running layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit the whole graph in the view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in (or use the mouse wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highlight the shortest path between the two selected nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select two connected nodes (Ctrl+click) to highlight a path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove everything from the view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the view as PNG or SVG, or the subgraph as GraphML or TSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added %1 triples; %2 more — double-click again to show more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added %1 triples.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the neighbourhood…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 nodes, %2 edges in view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Laying out %1 nodes with %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layout failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 nodes, %2 edges — %3 layout %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the project&apos;s cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path of %1 edges highlighted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neighbourhood (500 nodes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highlight path between the selected nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add triple from here…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highlight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete triple from project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;GraphML (*.graphml);;Triples as TSV (*.tsv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KG Workbench graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triples added per double-click (hub nodes page through their triples)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still loading the triples of this node…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Legend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the relations in view</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::ImportReportDialog</name>
    <message>
        <source>Import failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;The import failed; the project is unchanged.&lt;/b&gt;&lt;br&gt;%1&lt;br&gt;Fix the line above, or import again with “Skip bad lines” to load the good lines and list the bad ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1 triples (%2 duplicates), %3 new entities, %4 labels. &lt;b&gt;Bad lines skipped: %5&lt;/b&gt;; the first %6 are listed below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::ImportWizard</name>
    <message>
        <source>train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip bad lines and report them (otherwise the first bad line stops the import and nothing is changed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Triples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TSV/CSV, N-Triples or Turtle, optionally gzipped. Each triple file goes to a split.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triple file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add triple files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label files (key, label, optional description):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add label files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triple files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triples (*.tsv *.csv *.txt *.nt *.ttl *.gz);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels (*.tsv *.csv *.txt *.gz);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first %1 records of each file, as they will be imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triples: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format: %1 · %2 records shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 literal statements (labels/descriptions are applied)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::LaunchDialog</name>
    <message>
        <source>ComplEx, 1-vs-all (strong default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scores every entity per query with cross-entropy and N3 regularisation: the most accurate setting on small and medium graphs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RotatE, self-adversarial negatives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sun et al. 2019: relations as rotations, 256 shared negatives weighted by their scores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TransE, margin loss (quick baseline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bordes et al. 2013: fast, a sanity baseline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DistMult, tiny (smoke test)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A few seconds on small graphs: check the pipeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate on the test split at the end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Training Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-vs-all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>negative sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binary cross-entropy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>margin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices LibTorch can use on this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all cores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting points from the literature; every field can be changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedding size (real numbers per entity; ComplEx and RotatE need it even)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training budget: passes over the training triples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate of the optimizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training triples per optimizer step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-vs-all scores all entities per query; negative sampling scores a few corrupted triples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Negative samples per positive (negative sampling only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Margin offset of the distance models (TransE, RotatE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filtered validation MRR every N epochs (0 = never); the best model is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after this many validations without improvement (0 = never)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU threads for LibTorch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dimension:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training mode:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Negatives:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gamma:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regulariser:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regulariser weight:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validate every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Early-stop patience:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer: pre-train (masked tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Masked entity, relation and word-piece prediction over the triples with their context facts and over entity descriptions; fine-tune it afterwards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer: fine-tune with LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starts from a pre-trained run (Initialise from); only low-rank adapters, entity adapters and the output bias train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer: joint loss (full fine-tune)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer prediction plus masked tokens, a DistMult loss on the shared entity table and agreement with mined rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the head&apos;s label as word pieces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fine-tune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (random start)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off (full fine-tune)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre-training predicts masked tokens; fine-tuning ranks answers for (head, relation, ?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from the model another transformer run kept (e.g. a pre-training run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention heads per layer (the dimension must be divisible by it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neighbour facts of the head in the input: what attention can point at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA: rank of the adapters; the base weights stay frozen (must be below the dimension)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight of the masked-token loss during fine-tuning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight of the DistMult loss on the shared entity table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight of the agreement with mined rules, KL(rules ‖ model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initialise from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heads:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context facts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA rank:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ masked tokens:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ KGE:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ rules:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CompGCN graph encoder + DistMult</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vashishth et al. 2020: entity states from message passing over the graph (entities composed with relations), scored by DistMult against every entity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TransE: translations; DistMult: diagonal bilinear (symmetric relations); ComplEx: complex bilinear (asymmetric); RotatE: rotations in the complex plane; Transformer: over triples and their context facts; CompGCN: a graph encoder with a DistMult decoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message-passing layers of the graph encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer: rank answers (no context)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>full update (the output head)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rank-r adapter (fewer parameters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Under LoRA, how the entity rows train: in full (closer to full fine-tuning) or through an adapter (far fewer parameters on large graphs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA entity rows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row-wise Adagrad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One accumulator per table row (as PyTorch-BigGraph): almost no optimizer memory beside the tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N3 (Lacroix et al. 2018) suits ComplEx; L2 is the classic choice. For the transformer it applies to the score&apos;s two factors: the query vector and the answer&apos;s row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the example&apos;s tail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every known tail of (head, relation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What an answer query learns: its own tail (1-vs-all) or every training tail of the same head and relation at once (KvsAll, as ConvE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Targets:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head and relation only, 120 epochs, every known tail of a query as its target, N3 on the score&apos;s factors, a direct head × relation path beside the encoder, the learning rate warmed up and then decayed on a cosine: the best ranking on small dense graphs; attention then has no context facts to explain with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score head × relation directly as well (bilinear shortcut)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adds the product of the head&apos;s and relation&apos;s input embeddings to the answer query, a DistMult-like path beside the encoder; the Explain tab splits each answer&apos;s score between the two</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer: rank and explain (16 context facts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rank-answers recipe with 16 of the head&apos;s facts in the input, so that attention and attribution in the Explain tab can point at the facts an answer leaned on; about four times slower per epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of fine-tuning examples whose head identity is hidden, so the answer must come from the context facts (HittER); 0 keeps it visible and trains faster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head mask:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer: rank answers, large graphs (GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rank-answers recipe at dim 256 with 4 layers of 8 heads, batch 1,024, dropout 0.3, 24 epochs: on fb15k-237 it reached test MRR 0.33 in about 2 minutes on one H200; hours on a CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropout in the encoder&apos;s layers: large graphs trained for many epochs want more (fb15k-237 on a GPU: 0.3), small ones less (umls: 0.1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropout:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::Minimap</name>
    <message>
        <source>Overview: click or drag to move the view</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::ProjectEditor</name>
    <message>
        <source>The project&apos;s edit history has nothing to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add triple</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head, relation and tail must not be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add entity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delete triple</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rename entity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delete entity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accept candidate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reject candidate</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>accept %n candidates</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kgw::StartPage</name>
    <message>
        <source>&lt;h2&gt;KG Workbench&lt;/h2&gt;&lt;p&gt;Build, visualise and probe knowledge graphs with models.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the Demo Graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scientists, places, institutions and awards: a small graph to try the explorer, training and explanations on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An empty project file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Project from Files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new project, then import triples (TSV/CSV, N-Triples, Turtle; gzip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A .kgwb project file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Start&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent projects&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent projects yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::TrainingPanel</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation (filtered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No training running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume Selected…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show / Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Curves to CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts to PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Embeddings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MRR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hits@10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run history (select two to compare):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best valid MRR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test MRR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test Hits@10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause between steps; the ETA ignores paused time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the run; the last finished epoch stays resumable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue the selected run from its checkpoint (also after restarting the app)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write vectors.tsv and metadata.tsv for the TensorBoard Embedding Projector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Additional epochs (0 = finish the planned budget):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 has no resumable checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Embeddings To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embeddings written to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 training on %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 · epoch %2/%3 · loss %4 · ETA %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 triples/s · memory %2 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 cancelled; its last finished epoch can be resumed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped early (validation stopped improving)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss (run %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MRR (run %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hits@10 (run %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 has no checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 cancelled before its first epoch finished; nothing to resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused at epoch %1/%2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Federated Run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train one model across silo projects: only entity embeddings travel, averaged (FedE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled before training began; no run was recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing: reading the project&apos;s graph…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing: building the model (a transformer first trains or loads its tokenizer)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing: reading the documents and their entity mentions…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the run history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting the embeddings of run %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting the embeddings of run %1… %2 of %3 entities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 triples/s · %2 tokens/s · memory %3 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show on Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the selected run&apos;s entity map in the Embeddings tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explain with It</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank and explain answers with the selected run in the Explain tab</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kgw::TripleTableModel</name>
    <message>
        <source>train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Knowledge-graph workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the bundled demo graph.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UI language (en, zh_CN).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a screenshot of the window to FILE and quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project file to open.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
