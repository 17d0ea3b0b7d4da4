<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>kgapp::MainWindow</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>KG Workbench</source>
        <translation>知识图谱工作台</translation>
    </message>
    <message>
        <source>No project open. Use File ▸ New or Open.</source>
        <translation>未打开项目。请使用“文件 ▸ 新建”或“打开”。</translation>
    </message>
    <message>
        <source>Importing %1 — %2 triples</source>
        <translation>正在导入 %1 — %2 个三元组</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Import Triples…</source>
        <translation>导入三元组(&amp;I)…</translation>
    </message>
    <message>
        <source>Import &amp;Labels…</source>
        <translation>导入标签(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About KG Workbench</source>
        <translation>关于知识图谱工作台(&amp;A)</translation>
    </message>
    <message>
        <source>About KG Workbench</source>
        <translation>关于知识图谱工作台</translation>
    </message>
    <message>
        <source>&lt;b&gt;KG Workbench&lt;/b&gt; %1&lt;br&gt;Build, visualise and probe knowledge graphs with models.</source>
        <translation>&lt;b&gt;知识图谱工作台&lt;/b&gt; %1&lt;br&gt;构建、可视化知识图谱，并用模型探索它们。</translation>
    </message>
    <message>
        <source>Cannot open project: %1</source>
        <translation>无法打开项目：%1</translation>
    </message>
    <message>
        <source>%1 — KG Workbench</source>
        <translation>%1 — 知识图谱工作台</translation>
    </message>
    <message>
        <source>%1 entities · %2 relations · %3 triples (train %4, valid %5, test %6)</source>
        <translation>%1 个实体 · %2 种关系 · %3 个三元组（训练 %4，验证 %5，测试 %6）</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <source>KG Workbench projects (*.kgwb)</source>
        <translation>知识图谱工作台项目 (*.kgwb)</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>KG Workbench projects (*.kgwb);;All files (*)</source>
        <translation>知识图谱工作台项目 (*.kgwb);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open or create a project before importing.</source>
        <translation>请先打开或创建项目，再进行导入。</translation>
    </message>
    <message>
        <source>Import Labels</source>
        <translation>导入标签</translation>
    </message>
    <message>
        <source>Import Triples</source>
        <translation>导入三元组</translation>
    </message>
    <message>
        <source>Triples (*.tsv *.csv *.txt *.nt *.ttl *.gz);;All files (*)</source>
        <translation>三元组 (*.tsv *.csv *.txt *.nt *.ttl *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Add the triples to split:</source>
        <translation>将三元组加入数据划分：</translation>
    </message>
    <message>
        <source>Imported %1 triples (%2 duplicates), %3 new entities, %4 labels.</source>
        <translation>已导入 %1 个三元组（%2 个重复），新增 %3 个实体，%4 个标签。</translation>
    </message>
    <message>
        <source>Import cancelled; the project is unchanged.</source>
        <translation>导入已取消；项目未作任何更改。</translation>
    </message>
    <message>
        <source>Import failed; the project is unchanged. %1</source>
        <translation>导入失败；项目未作任何更改。%1</translation>
    </message>
    <message>
        <source>Nothing to undo or redo.</source>
        <translation>没有可撤销或重做的操作。</translation>
    </message>
    <message>
        <source>Undid: %1</source>
        <translation>已撤销：%1</translation>
    </message>
    <message>
        <source>Redid: %1</source>
        <translation>已重做：%1</translation>
    </message>
</context>
<context>
    <name>kgw::EntityInspector</name>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation>出边</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>入边</translation>
    </message>
    <message>
        <source>No entity selected</source>
        <translation>未选择实体</translation>
    </message>
    <message>
        <source>Key: %1</source>
        <translation>键：%1</translation>
    </message>
    <message>
        <source>(no description)</source>
        <translation>（无描述）</translation>
    </message>
</context>
<context>
    <name>kgw::EntitySearch</name>
    <message>
        <source>Search entities by label, description or key…</source>
        <translation>按标签、描述或键搜索实体…</translation>
    </message>
    <message>
        <source>No entity matches “%1”.</source>
        <translation>没有与“%1”匹配的实体。</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation><numerusform>%n 个匹配</numerusform></translation>
    </message>
</context>
<context>
    <name>kgw::TripleTableModel</name>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头实体</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Tail</source>
        <translation>尾实体</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Knowledge-graph workbench</source>
        <translation>知识图谱工作台</translation>
    </message>
    <message>
        <source>Open the bundled demo graph.</source>
        <translation>打开内置的示例图谱。</translation>
    </message>
    <message>
        <source>UI language (en, zh_CN).</source>
        <translation>界面语言（en、zh_CN）。</translation>
    </message>
    <message>
        <source>Save a screenshot of the window to FILE and quit.</source>
        <translation>将窗口截图保存到 FILE 后退出。</translation>
    </message>
    <message>
        <source>Project file to open.</source>
        <translation>要打开的项目文件。</translation>
    </message>
</context>
</TS>
