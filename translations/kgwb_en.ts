<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
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
        <source>&amp;Import Triples…</source>
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
        <source>Import Triples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triples (*.tsv *.csv *.txt *.nt *.ttl *.gz);;All files (*)</source>
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
        <source>Add the triples to split:</source>
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
        <source>Nothing to undo or redo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redid: %1</source>
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
        <source>Outgoing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incoming</source>
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
        <translation><numerusform>%n match</numerusform><numerusform>%n matches</numerusform></translation>
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
