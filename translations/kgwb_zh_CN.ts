<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>kgapp::GuardedApplication</name>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>出错了</translation>
    </message>
    <message>
        <source>The operation failed and was abandoned; the project is unchanged by it.

%1</source>
        <translation>操作失败并已放弃；项目未因此改变。

%1</translation>
    </message>
</context>
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
        <source>Graph</source>
        <translation>图谱</translation>
    </message>
    <message>
        <source>Triples</source>
        <translation>三元组</translation>
    </message>
    <message>
        <source>Add Triple…</source>
        <translation>添加三元组…</translation>
    </message>
    <message>
        <source>Delete Selected Triples</source>
        <translation>删除所选三元组</translation>
    </message>
    <message>
        <source>Show in Graph</source>
        <translation>在图谱中显示</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Add Triple…</source>
        <translation>添加三元组(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Delete Selected Triples</source>
        <translation>删除所选三元组(&amp;D)</translation>
    </message>
    <message>
        <source>Re&amp;name Entity…</source>
        <translation>重命名实体(&amp;N)…</translation>
    </message>
    <message>
        <source>Rename Entity</source>
        <translation>重命名实体</translation>
    </message>
    <message>
        <source>New label for %1:</source>
        <translation>%1 的新标签：</translation>
    </message>
    <message numerus="yes">
        <source>delete %n triple(s)</source>
        <translation>
            <numerusform>删除 %n 个三元组</numerusform>
        </translation>
    </message>
    <message>
        <source>Labels (*.tsv *.csv *.txt *.gz);;All files (*)</source>
        <translation>标签文件 (*.tsv *.csv *.txt *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>An import is running; quitting rolls it back.</source>
        <translation>正在导入；退出将回滚本次导入。</translation>
    </message>
    <message>
        <source>A training run is in progress; quitting stops it, and its last finished epoch stays resumable.</source>
        <translation>正在训练；退出将停止训练，最后完成的轮次仍可继续。</translation>
    </message>
    <message>
        <source>Quit KG Workbench?</source>
        <translation>退出 KG Workbench？</translation>
    </message>
    <message>
        <source>Quit anyway?</source>
        <translation>仍要退出吗？</translation>
    </message>
    <message>
        <source>Demo graph</source>
        <translation>演示图谱</translation>
    </message>
    <message>
        <source>Cannot create the demo project: %1</source>
        <translation>无法创建演示项目：%1</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <source>Candidates</source>
        <translation>候选三元组</translation>
    </message>
    <message>
        <source>Import &amp;Documents…</source>
        <translation>导入文档(&amp;D)…</translation>
    </message>
    <message>
        <source>Import Documents</source>
        <translation>导入文档</translation>
    </message>
    <message>
        <source>Documents (*.txt *.md *.markdown *.html *.htm *.gz);;All files (*)</source>
        <translation>文档 (*.txt *.md *.markdown *.html *.htm *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在计数…</translation>
    </message>
    <message>
        <source>Cannot count the project: %1</source>
        <translation>无法统计项目:%1</translation>
    </message>
    <message>
        <source>Cannot read the entity: %1</source>
        <translation>无法读取实体:%1</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>嵌入</translation>
    </message>
</context>
<context>
    <name>kgw::AddTripleDialog</name>
    <message>
        <source>Add Triple</source>
        <translation>添加三元组</translation>
    </message>
    <message>
        <source>entity key (new keys create an entity)</source>
        <translation>实体键（新键将创建实体）</translation>
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
        <source>Head:</source>
        <translation>头实体：</translation>
    </message>
    <message>
        <source>Relation:</source>
        <translation>关系：</translation>
    </message>
    <message>
        <source>Tail:</source>
        <translation>尾实体：</translation>
    </message>
    <message>
        <source>Split:</source>
        <translation>数据划分：</translation>
    </message>
</context>
<context>
    <name>kgw::AskPanel</name>
    <message>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <source>Import Questions…</source>
        <translation>导入问题…</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Answers only</source>
        <translation>仅用答案</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Walk</source>
        <translation>路径实例</translation>
    </message>
    <message>
        <source>Alternative path</source>
        <translation>备选路径</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Entities reached</source>
        <translation>到达的实体</translation>
    </message>
    <message>
        <source>Ask a question about the graph, e.g. what is the nationality of X&apos;s spouse?</source>
        <translation>向图谱提问，例如：X 的配偶是哪国人？</translation>
    </message>
    <message>
        <source>topic entity (optional: overrides linking)</source>
        <translation>主题实体（可选：覆盖自动链接）</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>轮数：</translation>
    </message>
    <message>
        <source>Learn from the answers alone, ignoring the questions&apos; gold paths</source>
        <translation>只从答案学习，忽略问题的标注路径</translation>
    </message>
    <message>
        <source>Import questions and train a model, then ask.</source>
        <translation>请先导入问题并训练模型，然后提问。</translation>
    </message>
    <message>
        <source>Double-click a path to answer along it instead</source>
        <translation>双击一条路径，改为沿该路径作答</translation>
    </message>
    <message>
        <source>Each hop&apos;s attention over the question&apos;s words: the darker, the more that word chose the relation</source>
        <translation>每一跳对问题词语的注意力：颜色越深，该词对选择关系的作用越大</translation>
    </message>
    <message>
        <source>Hops of the chosen answer and their attention over the question</source>
        <translation>所选答案的各跳及其对问题的注意力</translation>
    </message>
    <message>
        <source>Close alternatives</source>
        <translation>相近的备选</translation>
    </message>
    <message>
        <source>Import Questions</source>
        <translation>导入问题</translation>
    </message>
    <message>
        <source>Question TSV (*.tsv *.txt *.gz);;All files (*)</source>
        <translation>问题 TSV (*.tsv *.txt *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <source>No entity has the key %1.</source>
        <translation>没有键为 %1 的实体。</translation>
    </message>
    <message>
        <source>Asking…</source>
        <translation>正在提问…</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <source>Training the question-answering model…</source>
        <translation>正在训练问答模型…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>No entity of the graph is named in the question. Name one in the topic field.</source>
        <translation>问题中没有提到图谱中的实体。请在主题字段中指定一个。</translation>
    </message>
    <message>
        <source>given</source>
        <translation>手动指定</translation>
    </message>
    <message>
        <source>found by full-text search</source>
        <translation>通过全文搜索找到</translation>
    </message>
    <message>
        <source>named in the question</source>
        <translation>在问题中提到</translation>
    </message>
    <message>
        <source>Topic: %1 (%2). %3 answers in %4 ms.</source>
        <translation>主题：%1（%2）。%4 毫秒内得到 %3 个答案。</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>%1: attention %2 at hop %3</source>
        <translation>%1：第 %3 跳的注意力 %2</translation>
    </message>
    <message>
        <source>%1 (the topic entity)</source>
        <translation>%1（主题实体）</translation>
    </message>
    <message>
        <source>Fill gaps with:</source>
        <translation>补全缺失：</translation>
    </message>
    <message>
        <source>A CompGCN run predicts facts the graph lacks; hops may follow them (shown with ⇢)</source>
        <translation>由 CompGCN 运行预测图谱缺失的事实；推理跳可以沿这些事实前进（以 ⇢ 标出）</translation>
    </message>
    <message>
        <source>CompGCN run %1</source>
        <translation>CompGCN 运行 %1</translation>
    </message>
    <message>
        <source>⇢ marks a fact the completion run predicted; the graph lacks it</source>
        <translation>⇢ 表示由补全运行预测、图谱中没有的事实</translation>
    </message>
    <message>
        <source>qa run %1 (test MRR %2)</source>
        <translation>问答运行 %1（测试 MRR %2）</translation>
    </message>
    <message>
        <source>Trained %1 (UTC)</source>
        <translation>训练于 %1（UTC）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Epoch %1 of %2, loss %3</source>
        <translation>第 %1/%2 轮，损失 %3</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>Run %1 %2: test Hits@1 %3.</source>
        <translation>运行 %1 %2：测试集 Hits@1 %3。</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>valid MRR</source>
        <translation>验证集 MRR</translation>
    </message>
    <message>
        <source>Another training job is running; wait for it or cancel it in the Training tab.</source>
        <translation>另一个训练任务正在运行；请等待它完成或在“训练”页中取消。</translation>
    </message>
    <message>
        <source>Encoder:</source>
        <translation>编码器：</translation>
    </message>
    <message>
        <source>How the questions&apos; words are read: words only, or also through their sentencepiece pieces, started from a transformer run (pre-trained or joint-trained)</source>
        <translation>如何读取问题中的词：仅按词，或同时按其 sentencepiece 子词，并从一次 Transformer 运行（预训练或联合训练）初始化</translation>
    </message>
    <message>
        <source>words (from scratch)</source>
        <translation>词（从零开始）</translation>
    </message>
    <message>
        <source>words + pieces (from scratch)</source>
        <translation>词 + 子词（从零开始）</translation>
    </message>
    <message>
        <source>pieces from transformer run %1 (%2)</source>
        <translation>子词来自 Transformer 运行 %1（%2）</translation>
    </message>
    <message>
        <source>pre-trained</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>fine-tuned</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>Could not read the project&apos;s runs: %1</source>
        <translation>无法读取项目的运行：%1</translation>
    </message>
</context>
<context>
    <name>kgw::AskWorker</name>
    <message>
        <source>Imported %1 questions (train %2, valid %3, test %4).</source>
        <translation>已导入 %1 个问题（训练 %2，验证 %3，测试 %4）。</translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
</context>
<context>
    <name>kgw::AttentionHeatmap</name>
    <message>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Head:</source>
        <translation>注意力头：</translation>
    </message>
    <message>
        <source>average</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>No attention to show yet.</source>
        <translation>尚无可显示的注意力。</translation>
    </message>
    <message>
        <source>Row: the token that attends; column: the token attended to. Darker = more attention (scaled between the smallest and largest weight shown). The outlined row is [MASK], whose output is scored against every entity to rank the answers.</source>
        <translation>行：发出注意的词元；列：被注意的词元。颜色越深表示注意力越大（在所显示的最小与最大权重之间缩放）。带框的行是 [MASK]，其输出与每个实体打分以对答案排序。</translation>
    </message>
    <message>
        <source>%1 attends to %2: %3</source>
        <translation>%1 注意 %2：%3</translation>
    </message>
</context>
<context>
    <name>kgw::CandidateWorker</name>
    <message>
        <source>Run %1 (%2)</source>
        <translation>运行 %1（%2）</translation>
    </message>
    <message>
        <source>Run %1 %2 (%3)</source>
        <translation>运行 %1 %2（%3）</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation>已取消；未做任何更改。</translation>
    </message>
    <message>
        <source>Import failed: </source>
        <translation>导入失败：</translation>
    </message>
    <message>
        <source>Reading document %1 of %2</source>
        <translation>正在读取第 %1 个文档，共 %2 个</translation>
    </message>
    <message>
        <source>Imported %1 documents, %2 sentences.</source>
        <translation>已导入 %1 个文档，%2 个句子。</translation>
    </message>
    <message>
        <source>Added %1 entity descriptions as documents.</source>
        <translation>已将 %1 条实体描述添加为文档。</translation>
    </message>
    <message>
        <source>Extraction failed: </source>
        <translation>抽取失败：</translation>
    </message>
    <message>
        <source>Extracting: document %1 of %2</source>
        <translation>正在抽取：第 %1 个文档，共 %2 个</translation>
    </message>
    <message>
        <source>%1 candidates from %2 sentences (%3 entity pairs); %4 new for review.</source>
        <translation>从 %2 个句子（%3 个实体对）得到 %1 个候选；%4 个待审核。</translation>
    </message>
</context>
<context>
    <name>kgw::CandidatesPanel</name>
    <message>
        <source>Import Documents…</source>
        <translation>导入文档…</translation>
    </message>
    <message>
        <source>Use Entity Descriptions</source>
        <translation>使用实体描述</translation>
    </message>
    <message>
        <source>Train Extractor</source>
        <translation>训练抽取器</translation>
    </message>
    <message>
        <source>Extract</source>
        <translation>抽取</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Accept (A)</source>
        <translation>接受 (A)</translation>
    </message>
    <message>
        <source>Reject (R)</source>
        <translation>拒绝 (R)</translation>
    </message>
    <message>
        <source>Accept All ≥</source>
        <translation>全部接受 ≥</translation>
    </message>
    <message>
        <source>Epochs per cross-fitting fold</source>
        <translation>每个交叉拟合折的训练轮数</translation>
    </message>
    <message>
        <source>A KGE run whose plausibility of each triple is mixed into the score</source>
        <translation>一个 KGE 运行，其对每个三元组的可信度会混入得分</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Extractor</source>
        <translation>抽取器</translation>
    </message>
    <message>
        <source>KGE</source>
        <translation>KGE</translation>
    </message>
    <message>
        <source>Min. score</source>
        <translation>最低得分</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>scoring at least</source>
        <translation>得分至少为</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
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
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>entity key</source>
        <translation>实体键</translation>
    </message>
    <message>
        <source>Import Documents</source>
        <translation>导入文档</translation>
    </message>
    <message>
        <source>Documents (*.txt *.md *.markdown *.html *.htm *.gz);;All files (*)</source>
        <translation>文档 (*.txt *.md *.markdown *.html *.htm *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>No project open.</source>
        <translation>未打开项目。</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1 documents, %2 sentences · %3 pending, %4 accepted, %5 rejected · showing %6</source>
        <translation>%1 个文档，%2 个句子 · 待审核 %3，已接受 %4，已拒绝 %5 · 显示 %6 个</translation>
    </message>
    <message>
        <source>score %1, %2</source>
        <translation>得分 %1，%2</translation>
    </message>
    <message>
        <source>sentence score %1</source>
        <translation>句子得分 %1</translation>
    </message>
    <message>
        <source>No entity has the key &apos;%1&apos;.</source>
        <translation>没有键为“%1”的实体。</translation>
    </message>
    <message numerus="yes">
        <source>Accepted %n candidates.</source>
        <translation>
            <numerusform>已接受 %n 个候选。</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing documents…</source>
        <translation>正在导入文档…</translation>
    </message>
    <message>
        <source>Training the extractor…</source>
        <translation>正在训练抽取器…</translation>
    </message>
    <message>
        <source>Extracting candidates…</source>
        <translation>正在抽取候选…</translation>
    </message>
    <message>
        <source>Training the extractor (run %1): epoch %2 of %3, loss %4</source>
        <translation>正在训练抽取器（运行 %1）：第 %2/%3 轮，损失 %4</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>Extractor run %1 %2; held-out F1 %3 (cross-fitted).</source>
        <translation>抽取器运行 %1 %2；留出集 F1 %3（交叉拟合）。</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>held-out F1</source>
        <translation>留出集 F1</translation>
    </message>
    <message>
        <source>Another training job is running; wait for it or cancel it in the Training tab.</source>
        <translation>另一个训练任务正在运行；请等待它完成或在“训练”页中取消。</translation>
    </message>
</context>
<context>
    <name>kgw::EmbeddingPanel</name>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>A KGE or transformer run whose entity vectors are mapped</source>
        <translation>绘制其实体向量的 KGE 或 Transformer 运行</translation>
    </message>
    <message>
        <source>Find entities on the map…</source>
        <translation>在图上查找实体…</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Nearest entity</source>
        <translation>最近的实体</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>Each entity is coloured by the relation of most of its training facts</source>
        <translation>每个实体按其大多数训练事实所属的关系着色</translation>
    </message>
    <message>
        <source>Colour: the entity&apos;s most frequent relation</source>
        <translation>颜色：实体最常见的关系</translation>
    </message>
    <message numerus="yes">
        <source>%n entities match &quot;%1&quot;; Enter chooses the next.</source>
        <translation>
            <numerusform>%n 个实体匹配“%1”；按 Enter 选择下一个。</numerusform>
        </translation>
    </message>
    <message>
        <source>Train a KGE or transformer model (Training tab) to map its entities.</source>
        <translation>请先训练一个 KGE 或 Transformer 模型（训练标签页），再绘制其实体。</translation>
    </message>
    <message>
        <source>run %1 (transformer, %2, d%3)</source>
        <translation>运行 %1（Transformer，%2，d%3）</translation>
    </message>
    <message>
        <source>run %1 (%2, d%3)</source>
        <translation>运行 %1（%2，d%3）</translation>
    </message>
    <message>
        <source>Reading the entity vectors of %1…</source>
        <translation>正在读取 %1 的实体向量…</translation>
    </message>
    <message>
        <source>Cannot map %1: %2</source>
        <translation>无法绘制 %1：%2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>other relations (%1)</source>
        <translation>其他关系（%1）</translation>
    </message>
    <message>
        <source>no training facts (%1)</source>
        <translation>无训练事实（%1）</translation>
    </message>
    <message>
        <source>%1 entities of %2 (%3 dimensions), on the first two principal components of their unit vectors: %4% and %5% of the variance. Click an entity for its nearest ones by cosine; double-click shows it in the graph.</source>
        <translation>%2 的 %1 个实体（%3 维），投影到其单位向量的前两个主成分上：分别占方差的 %4% 和 %5%。单击实体可查看按余弦最近的实体；双击在图中显示。</translation>
    </message>
    <message>
        <source>PCA</source>
        <translation>PCA</translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <source>PCA keeps the directions of largest variance (global shape); t-SNE keeps each entity&apos;s neighbours together (clusters), computed in seconds</source>
        <translation>PCA 保留方差最大的方向（整体形状）；t-SNE 让每个实体的近邻聚在一起（簇），需数秒计算</translation>
    </message>
    <message>
        <source>Projection:</source>
        <translation>投影：</translation>
    </message>
    <message numerus="yes">
        <source>Placing %n entities by t-SNE…</source>
        <translation>
            <numerusform>正在用 t-SNE 布置 %n 个实体…</numerusform>
        </translation>
    </message>
    <message>
        <source>Placing the entities by t-SNE… iteration %1 of %2</source>
        <translation>正在用 t-SNE 布置实体… 第 %1 / %2 次迭代</translation>
    </message>
    <message>
        <source>t-SNE failed: %1</source>
        <translation>t-SNE 失败：%1</translation>
    </message>
    <message>
        <source>%1 entities of %2 placed by t-SNE (perplexity 30): entities near each other have similar vectors; distances between clusters mean little.</source>
        <translation>%2 的 %1 个实体由 t-SNE 布置（困惑度 30）：相邻的实体向量相似；簇之间的距离意义不大。</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Export Map</source>
        <translation>导出图</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Map written to %1</source>
        <translation>图已写入 %1</translation>
    </message>
    <message>
        <source>Could not write the map to %1</source>
        <translation>无法将图写入 %1</translation>
    </message>
    <message>
        <source>(Kept in the project since it was computed.)</source>
        <translation>（计算后已保存在项目中。）</translation>
    </message>
    <message>
        <source>%1 entities of %2 placed by t-SNE (perplexity 30; it laid out a sample of %3, and the others beside their nearest sampled entities): entities near each other have similar vectors; distances between clusters mean little.</source>
        <translation>%2 的 %1 个实体由 t-SNE 布置（困惑度 30；它布置了 %3 个实体的样本，其余实体放在与其最近的样本实体旁）：相邻的实体向量相似；簇之间的距离意义不大。</translation>
    </message>
    <message>
        <source>Run %1 has no model to map: it has not finished, or its checkpoint file is gone.</source>
        <translation>运行 %1 没有可映射的模型：它尚未完成，或其检查点文件已不存在。</translation>
    </message>
</context>
<context>
    <name>kgw::EmbeddingScatter</name>
    <message>
        <source>KG Workbench entity map</source>
        <translation>KG Workbench 实体图</translation>
    </message>
</context>
<context>
    <name>kgw::EntityInspector</name>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
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
    <message>
        <source>accepted %1 · score %2 · extraction run %3</source>
        <translation>接受于 %1 · 得分 %2 · 抽取运行 %3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>&lt;b&gt;From text&lt;/b&gt;</source>
        <translation>&lt;b&gt;来自文本&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Could not read the entity: %1</source>
        <translation>无法读取该实体：%1</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>出边</translation>
    </message>
    <message>
        <source>In</source>
        <translation>入边</translation>
    </message>
    <message>
        <source>Triples with this entity as head</source>
        <translation>以该实体为头实体的三元组数</translation>
    </message>
    <message>
        <source>Triples with this entity as tail</source>
        <translation>以该实体为尾实体的三元组数</translation>
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
        <translation>
            <numerusform>%n 个匹配</numerusform>
        </translation>
    </message>
    <message>
        <source>Search failed: %1</source>
        <translation>搜索失败：%1</translation>
    </message>
</context>
<context>
    <name>kgw::ExplainPanel</name>
    <message>
        <source>Rank Answers</source>
        <translation>排序答案</translation>
    </message>
    <message>
        <source>Head:</source>
        <translation>头实体：</translation>
    </message>
    <message>
        <source>entity key or label</source>
        <translation>实体键或标签</translation>
    </message>
    <message>
        <source>Relation:</source>
        <translation>关系：</translation>
    </message>
    <message>
        <source>Scorer:</source>
        <translation>打分方式：</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Known</source>
        <translation>已知</translation>
    </message>
    <message>
        <source>Reasoning path</source>
        <translation>推理路径</translation>
    </message>
    <message>
        <source>Rule confidence</source>
        <translation>规则置信度</translation>
    </message>
    <message>
        <source>Rule support</source>
        <translation>规则支持度</translation>
    </message>
    <message>
        <source>Model score</source>
        <translation>模型得分</translation>
    </message>
    <message>
        <source>Ask (head, relation, ?) to see ranked answers; pick one to see why.</source>
        <translation>输入（头实体，关系，?）查看排序后的答案；选择一个答案查看原因。</translation>
    </message>
    <message>
        <source>mined rules</source>
        <translation>挖掘的规则</translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation>运行 %1（%2）</translation>
    </message>
    <message>
        <source>No entity matches “%1”.</source>
        <translation>没有实体匹配“%1”。</translation>
    </message>
    <message>
        <source>Ranking answers…</source>
        <translation>正在排序答案…</translation>
    </message>
    <message>
        <source>Finding reasoning paths…</source>
        <translation>正在查找推理路径…</translation>
    </message>
    <message>
        <source>Cannot explain: %1</source>
        <translation>无法解释：%1</translation>
    </message>
    <message>
        <source>in graph</source>
        <translation>已在图中</translation>
    </message>
    <message>
        <source>No answers: no rule fires for this query.</source>
        <translation>没有答案：此查询没有触发任何规则。</translation>
    </message>
    <message>
        <source>%1 answers ranked by %2 in %3 ms.</source>
        <translation>%1 个答案由%2排序，用时 %3 毫秒。</translation>
    </message>
    <message>
        <source>the model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Context fact</source>
        <translation>上下文事实</translation>
    </message>
    <message>
        <source>Attribution</source>
        <translation>归因</translation>
    </message>
    <message>
        <source>Attention rollout</source>
        <translation>注意力展开</translation>
    </message>
    <message>
        <source>Reasoning paths</source>
        <translation>推理路径</translation>
    </message>
    <message>
        <source>Context facts (transformer)</source>
        <translation>上下文事实（Transformer）</translation>
    </message>
    <message>
        <source>the transformer</source>
        <translation>Transformer</translation>
    </message>
    <message>
        <source>%1 reasoning paths and %2 context facts in %3 ms; attention and attribution from the transformer&apos;s ranking pass.</source>
        <translation>%3 毫秒内得到 %1 条推理路径和 %2 个上下文事实；注意力与归因来自 Transformer 的排序前向计算。</translation>
    </message>
    <message>
        <source>%1 reasoning paths in %2 ms. Choose a transformer run as scorer to see its attention.</source>
        <translation>%2 毫秒内得到 %1 条推理路径。选择一次 Transformer 运行作为评分器即可查看其注意力。</translation>
    </message>
    <message>
        <source>Find Necessary Facts</source>
        <translation>查找必要事实</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Fact</source>
        <translation>事实</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>Answer&apos;s rank without it</source>
        <translation>去掉后答案的排名</translation>
    </message>
    <message>
        <source>Score drop</source>
        <translation>得分下降</translation>
    </message>
    <message>
        <source>Choose an answer, then find the facts it depends on.</source>
        <translation>选择一个答案，然后查找它所依赖的事实。</translation>
    </message>
    <message>
        <source>Necessary facts</source>
        <translation>必要事实</translation>
    </message>
    <message>
        <source>Post-training the model without candidate facts of the head…</source>
        <translation>正在去掉头实体的候选事实并后训练模型…</translation>
    </message>
    <message>
        <source>Search cancelled.</source>
        <translation>搜索已取消。</translation>
    </message>
    <message>
        <source>Cannot find the facts: %1</source>
        <translation>无法查找事实：%1</translation>
    </message>
    <message>
        <source>The head has no other training facts to remove.</source>
        <translation>头实体没有其他可去掉的训练事实。</translation>
    </message>
    <message numerus="yes">
        <source>Without these %n fact(s), %1 falls from rank %2 to %3.</source>
        <translation>
            <numerusform>去掉这 %n 个事实后，%1 的排名从 %2 降到 %3。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No set of up to %1 facts makes %2 drop: it stays at rank %3 without the strongest %n.</source>
        <translation>
            <numerusform>去掉至多 %1 个事实都不能使 %2 的排名下降：去掉最强的 %n 个后仍排第 %3。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied onto %1 other entities, %n fact(s) make %2 their top answer for %3% (mean rank %4 → %5).</source>
        <translation>
            <numerusform>复制到 %1 个其他实体后，%n 个事实使 %3% 的实体以 %2 为首选答案（平均排名 %4 → %5）。</numerusform>
        </translation>
    </message>
    <message>
        <source>(%1 s)</source>
        <translation>（%1 秒）</translation>
    </message>
    <message>
        <source>necessary</source>
        <translation>必要</translation>
    </message>
    <message>
        <source>strongest (not enough)</source>
        <translation>最强（不足以使排名下降）</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <source>sufficient</source>
        <translation>充分</translation>
    </message>
    <message>
        <source>Find the facts this answer depends on.</source>
        <translation>查找此答案所依赖的事实。</translation>
    </message>
    <message>
        <source>Stop Mining</source>
        <translation>停止挖掘</translation>
    </message>
    <message>
        <source>Stop mining rules; asking again starts over</source>
        <translation>停止挖掘规则；再次查询将重新开始</translation>
    </message>
    <message>
        <source>Mining rules (one time; they are stored in the project): %1% of relations…</source>
        <translation>正在挖掘规则（仅一次，结果存入项目）：已完成 %1% 的关系…</translation>
    </message>
    <message>
        <source>Rule mining stopped; ask again to mine the rules.</source>
        <translation>规则挖掘已停止；再次查询即可重新挖掘。</translation>
    </message>
    <message>
        <source>No mined rule has this path&apos;s pattern of relations</source>
        <translation>没有挖掘出的规则具有此路径的关系模式</translation>
    </message>
    <message>
        <source>Could not read the project: %1</source>
        <translation>无法读取项目：%1</translation>
    </message>
    <message>
        <source>The answer&apos;s score %1 = %2 through the encoder (what attention shows) + %3 from head × relation directly + %4 answer bias.</source>
        <translation>该答案的得分 %1 = 经由编码器的 %2（注意力所显示的部分）+ 头实体 × 关系直接贡献的 %3 + 答案偏置 %4。</translation>
    </message>
    <message>
        <source>No context facts in the input (the run was trained without context, or the head has no facts): attention covers the head and relation only. A run with context shows which facts an answer leaned on.</source>
        <translation>输入中没有上下文事实（该运行训练时未使用上下文，或头实体没有事实）：注意力只覆盖头实体和关系。使用上下文训练的运行可以显示答案依赖了哪些事实。</translation>
    </message>
    <message>
        <source>Score drop without it</source>
        <translation>去掉后的得分下降</translation>
    </message>
    <message>
        <source>transformer, %1</source>
        <translation>Transformer，%1</translation>
    </message>
    <message>
        <source>Answers are ranked by run %1 now: enter a head and a relation.</source>
        <translation>现在由运行 %1 对答案排序：请输入头实体和关系。</translation>
    </message>
    <message>
        <source>Takes a few seconds; needs a KGE, transformer or CompGCN run as scorer</source>
        <translation>需要几秒钟；需以 KGE、Transformer 或 CompGCN 运行作为评分模型</translation>
    </message>
    <message>
        <source>Necessary facts need a model: choose a KGE, transformer or CompGCN run as scorer.</source>
        <translation>必要事实需要模型：请选择 KGE、Transformer 或 CompGCN 运行作为评分模型。</translation>
    </message>
    <message>
        <source>Run %1 has no model to rank with: it has not finished, or its checkpoint file is gone.</source>
        <translation>运行 %1 没有可用于排序的模型：它尚未完成，或其检查点文件已不存在。</translation>
    </message>
    <message>
        <source>the CompGCN encoder</source>
        <translation>CompGCN 编码器</translation>
    </message>
    <message>
        <source>The model that ranks the answers: mined rules, a KGE, transformer or CompGCN run (train one in the Training tab)</source>
        <translation>为答案排序的模型：挖掘出的规则，或一次 KGE、Transformer 或 CompGCN 运行（在“训练”标签页中训练）</translation>
    </message>
    <message>
        <source>Re-ranking the answer without each of the head&apos;s facts…</source>
        <translation>正在逐一去掉头实体的事实并重新为答案排序…</translation>
    </message>
    <message>
        <source>The head&apos;s neighbour facts in the transformer&apos;s input, strongest support first: how much lower the answer scores with the fact alone left out of the input (its place left empty). Attribution (gradient × input) and attention rollout come from the ranking&apos;s own forward pass.</source>
        <translation>Transformer 输入中头实体的邻居事实，支持最强的排在前面：单独从输入中去掉该事实（其位置留空）后答案得分降低多少。归因（梯度 × 输入）和注意力展开均来自排序本身的那次前向计算。</translation>
    </message>
    <message>
        <source>Necessary: the fewest of the head&apos;s facts without which the answer drops. For KGE models the head&apos;s embedding is post-trained without them (Kelpie); for the transformer they are removed from the head&apos;s facts, so its other facts may take their places in the input (the score drop can then differ from the Context facts tab&apos;s). Sufficient: facts that, copied onto other entities (for the transformer, into their input), make the answer theirs.</source>
        <translation>必要事实：去掉后答案排名下降的最少的头实体事实。对 KGE 模型，在没有这些事实的情况下对头实体嵌入进行后训练（Kelpie）；对 Transformer，则将它们从头实体的事实中移除，其其他事实可能占据它们在输入中的位置（此时得分下降可能与“上下文事实”标签页中的不同）。充分事实：复制到其他实体上（对 Transformer 而言，放入其输入）后使该答案成为它们的答案的事实。</translation>
    </message>
    <message>
        <source>%1 reasoning paths, ordered by the model&apos;s score, in %2 ms. Choose a transformer run as scorer to see its attention.</source>
        <translation>%1 条推理路径，按模型得分排序，用时 %2 毫秒。选择一个 Transformer 运行作为评分器可查看其注意力。</translation>
    </message>
    <message>
        <source>The path&apos;s first fact is not among the facts in the transformer&apos;s input</source>
        <translation>该路径的第一个事实不在 Transformer 输入的事实之中</translation>
    </message>
    <message>
        <source>Not measured: one post-training measures the head&apos;s facts on the paths with the best composed-path scores, up to 16</source>
        <translation>未测量：一次后训练只测量组合路径得分最高的路径上头实体的事实，最多 16 个</translation>
    </message>
    <message>
        <source>Score drop without it, by which paths are then ordered. A KGE run: how much lower the answer scores with the path&apos;s fact of the head left out and the head&apos;s embedding post-trained without it (one post-training measures them all). A CompGCN run: how much lower the answer scores with the path&apos;s edges left out of its graph (estimated from one backward pass). A transformer run: how much lower the answer scores with the path&apos;s first fact left out of its input (it reads the head&apos;s facts, not the hops beyond); “—” when that fact is not in the input.</source>
        <translation>去掉后的得分下降，路径按它排序。KGE 运行：去掉该路径上头实体的那个事实、并在没有它的情况下后训练头实体的嵌入后，答案得分降低多少（一次后训练测量全部）。CompGCN 运行：把该路径的边从其图中去掉后，答案得分降低多少（由一次反向传播估计）。Transformer 运行：把该路径的第一个事实从其输入中去掉后，答案得分降低多少（它读取头实体的事实，而不读取更远的跳）；该事实不在输入中时显示“—”。</translation>
    </message>
</context>
<context>
    <name>kgw::FederationDialog</name>
    <message>
        <source>Start a federation on this machine</source>
        <translation>在本机启动联邦训练</translation>
    </message>
    <message>
        <source>Join a remote coordinator with this project</source>
        <translation>用本项目加入远程协调器</translation>
    </message>
    <message>
        <source>Add Silo…</source>
        <translation>添加数据孤岛…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Secure aggregation (pairwise masks)</source>
        <translation>安全聚合（成对掩码）</translation>
    </message>
    <message>
        <source>Not running.</source>
        <translation>未运行。</translation>
    </message>
    <message>
        <source>Federated Run</source>
        <translation>联邦训练</translation>
    </message>
    <message>
        <source>ComplEx</source>
        <translation>ComplEx</translation>
    </message>
    <message>
        <source>DistMult</source>
        <translation>DistMult</translation>
    </message>
    <message>
        <source>TransE</source>
        <translation>TransE</translation>
    </message>
    <message>
        <source>RotatE</source>
        <translation>RotatE</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>host:port</source>
        <translation>主机:端口</translation>
    </message>
    <message>
        <source>the secret the silos share (8+ characters)</source>
        <translation>各数据孤岛共享的密钥（至少 8 个字符）</translation>
    </message>
    <message>
        <source>Epochs each silo trains on its own triples per round</source>
        <translation>每轮中各数据孤岛在自身三元组上训练的轮数</translation>
    </message>
    <message>
        <source>Each pair of silos adds masks that cancel in the sum: no single silo&apos;s rows are seen</source>
        <translation>每对数据孤岛加入在求和时相互抵消的掩码：任何单个孤岛的数据行都不会被看到</translation>
    </message>
    <message>
        <source>Differential privacy: Gaussian noise (times the clipping norm 1) on each silo&apos;s changes</source>
        <translation>差分隐私：对各数据孤岛的更新加入高斯噪声（乘以裁剪范数 1）</translation>
    </message>
    <message>
        <source>Silos (one project each)</source>
        <translation>数据孤岛（每个一个项目）</translation>
    </message>
    <message>
        <source>Coordinator:</source>
        <translation>协调器：</translation>
    </message>
    <message>
        <source>Silo rank:</source>
        <translation>孤岛序号：</translation>
    </message>
    <message>
        <source>Shared secret:</source>
        <translation>共享密钥：</translation>
    </message>
    <message>
        <source>Silo:</source>
        <translation>数据孤岛：</translation>
    </message>
    <message>
        <source>Model and rounds</source>
        <translation>模型与轮次</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Dimension:</source>
        <translation>维度：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Rounds:</source>
        <translation>轮数：</translation>
    </message>
    <message>
        <source>Local epochs per round:</source>
        <translation>每轮本地训练轮数：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>DP noise:</source>
        <translation>差分隐私噪声：</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Valid MRR</source>
        <translation>验证 MRR</translation>
    </message>
    <message>
        <source>Valid Hits@10</source>
        <translation>验证 Hits@10</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Output of the coordinator and the silos</source>
        <translation>协调器与各数据孤岛的输出</translation>
    </message>
    <message>
        <source>Silo Projects</source>
        <translation>数据孤岛项目</translation>
    </message>
    <message>
        <source>KG Workbench projects (*.kgwb)</source>
        <translation>知识图谱工作台项目 (*.kgwb)</translation>
    </message>
    <message>
        <source>(no project open)</source>
        <translation>（未打开项目）</translation>
    </message>
    <message>
        <source>Could not start %1</source>
        <translation>无法启动 %1</translation>
    </message>
    <message>
        <source>Add at least one silo project.</source>
        <translation>请至少添加一个数据孤岛项目。</translation>
    </message>
    <message numerus="yes">
        <source>Federation of %n silo(s) running…</source>
        <translation>
            <numerusform>%n 个数据孤岛的联邦训练正在运行…</numerusform>
        </translation>
    </message>
    <message>
        <source>Joining needs an open project, the coordinator&apos;s host:port and the shared secret.</source>
        <translation>加入需要已打开的项目、协调器的 主机:端口 以及共享密钥。</translation>
    </message>
    <message>
        <source>Joined as silo %1; waiting for the coordinator…</source>
        <translation>已作为数据孤岛 %1 加入；正在等待协调器…</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Round %1 of %2 done.</source>
        <translation>第 %1 轮（共 %2 轮）已完成。</translation>
    </message>
    <message>
        <source>Finished: test MRR %1.</source>
        <translation>已完成：测试 MRR %1。</translation>
    </message>
    <message>
        <source>A federation process stopped (exit code %1).</source>
        <translation>一个联邦训练进程已停止（退出码 %1）。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>If a silo fails, go on without it</source>
        <translation>某个数据孤岛失败时，不等它继续</translation>
    </message>
    <message>
        <source>Otherwise a silo that leaves, or takes over 30 minutes for a round, stops the federation</source>
        <translation>否则，某个数据孤岛退出或一轮超过 30 分钟时将停止联邦训练</translation>
    </message>
    <message>
        <source>Entity embeddings (FedE)</source>
        <translation>实体嵌入（FedE）</translation>
    </message>
    <message>
        <source>Relation embeddings (FedR)</source>
        <translation>关系嵌入（FedR）</translation>
    </message>
    <message>
        <source>What the silos average each round; the rest stays in each silo. FedR suits silos that share relations (kgwb silo split --by triple)</source>
        <translation>各数据孤岛每轮取平均的部分；其余参数留在各自孤岛中。FedR 适合共享关系的数据孤岛（kgwb silo split --by triple）</translation>
    </message>
    <message>
        <source>Each round: the silos train locally, then the shared embeddings are averaged</source>
        <translation>每一轮：各数据孤岛先在本地训练，然后对共享的嵌入取平均</translation>
    </message>
    <message>
        <source>Shared:</source>
        <translation>共享：</translation>
    </message>
    <message>
        <source>Both: the whole model (FedAvg)</source>
        <translation>两者：整个模型（FedAvg）</translation>
    </message>
    <message>
        <source>CompGCN</source>
        <translation>CompGCN</translation>
    </message>
    <message>
        <source>Transformer (rank answers)</source>
        <translation>Transformer（答案排序）</translation>
    </message>
    <message>
        <source>Read entity labels (one tokenizer for every silo)</source>
        <translation>读取实体标签（所有孤岛共用一个分词器）</translation>
    </message>
    <message>
        <source>CompGCN and the transformer also average their layers (the encoder) each round, weighted by each silo&apos;s training triples. The transformer trains with the rank-answers preset; with Read entity labels it also reads each entity&apos;s label.</source>
        <translation>CompGCN 和 Transformer 每轮还会平均各自的网络层（编码器），按各孤岛的训练三元组数加权。Transformer 使用“排序答案”预设训练；勾选“读取实体标签”时还会读取每个实体的标签。</translation>
    </message>
    <message>
        <source>Before the first round, silo 1&apos;s tokenizer (trained on its labels and descriptions if it has none of this size) replaces the other silos&apos; own, so every silo cuts words alike and the pieces&apos; rows are averaged too. Earlier runs keep the tokenizer they trained with. Rounds take longer.</source>
        <translation>第一轮之前，孤岛 1 的分词器（若没有该大小的分词器，则用其标签和描述训练）会替换其他孤岛自己的分词器，使所有孤岛以相同方式切分词语，词片的行也一并平均。之前的运行保留其训练时所用的分词器。每轮耗时更长。</translation>
    </message>
    <message>
        <source>Pieces of the shared sentencepiece tokenizer</source>
        <translation>共享 sentencepiece 分词器的词片数</translation>
    </message>
    <message>
        <source>Vocabulary size:</source>
        <translation>词表大小：</translation>
    </message>
    <message>
        <source>Giving every silo the tokenizer of %1…</source>
        <translation>正在把 %1 的分词器交给每个孤岛…</translation>
    </message>
    <message>
        <source>Preparing the silos failed (exit code %1).</source>
        <translation>准备孤岛失败（退出码 %1）。</translation>
    </message>
</context>
<context>
    <name>kgw::GraphExplorer</name>
    <message>
        <source>Relations in view</source>
        <translation>视图中的关系</translation>
    </message>
    <message>
        <source>Click a relation to highlight its edges; click again to clear</source>
        <translation>点击关系以高亮其边；再次点击取消</translation>
    </message>
    <message>
        <source>Search for an entity and press Enter, or double-click a node to expand it.</source>
        <translation>搜索实体并按回车，或双击节点展开。</translation>
    </message>
    <message>
        <source>Layout:</source>
        <translation>布局：</translation>
    </message>
    <message>
        <source>Graphviz layout engine: sfdp and fdp for large graphs, neato for small ones, dot for hierarchies, circo for cycles</source>
        <translation>Graphviz 布局引擎：大图用 sfdp 和 fdp，小图用 neato，层次结构用 dot，环形结构用 circo</translation>
    </message>
    <message>
        <source>Re-layout</source>
        <translation>重新布局</translation>
    </message>
    <message>
        <source>Compute the layout again</source>
        <translation>重新计算布局</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the running layout</source>
        <translation>取消正在进行的布局</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Fit the whole graph in the view</source>
        <translation>在视图中显示整个图</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom in (or use the mouse wheel)</source>
        <translation>放大（或使用鼠标滚轮）</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Highlight the shortest path between the two selected nodes</source>
        <translation>高亮两个所选节点之间的最短路径</translation>
    </message>
    <message>
        <source>Select two connected nodes (Ctrl+click) to highlight a path.</source>
        <translation>选择两个相连的节点（Ctrl+单击）以高亮路径。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Remove everything from the view</source>
        <translation>从视图中移除所有内容</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Export the view as PNG or SVG, or the subgraph as GraphML or TSV</source>
        <translation>将视图导出为 PNG 或 SVG，或将子图导出为 GraphML 或 TSV</translation>
    </message>
    <message>
        <source>Added %1 triples; %2 more — double-click again to show more.</source>
        <translation>已添加 %1 个三元组；还有 %2 个——再次双击显示更多。</translation>
    </message>
    <message>
        <source>Added %1 triples.</source>
        <translation>已添加 %1 个三元组。</translation>
    </message>
    <message>
        <source>Loading the neighbourhood…</source>
        <translation>正在加载邻域…</translation>
    </message>
    <message>
        <source>%1 nodes, %2 edges in view</source>
        <translation>视图中有 %1 个节点、%2 条边</translation>
    </message>
    <message>
        <source>Laying out %1 nodes with %2…</source>
        <translation>正在用 %2 布局 %1 个节点…</translation>
    </message>
    <message>
        <source>Layout failed: %1</source>
        <translation>布局失败：%1</translation>
    </message>
    <message>
        <source>%1 nodes, %2 edges — %3 layout %4</source>
        <translation>%1 个节点、%2 条边——%3 布局%4</translation>
    </message>
    <message>
        <source>from the project&apos;s cache</source>
        <translation>来自项目缓存</translation>
    </message>
    <message>
        <source>in %1 ms</source>
        <translation>用时 %1 毫秒</translation>
    </message>
    <message>
        <source>Path of %1 edges highlighted.</source>
        <translation>已高亮包含 %1 条边的路径。</translation>
    </message>
    <message>
        <source>Expand</source>
        <translation>展开</translation>
    </message>
    <message>
        <source>Show %1 more</source>
        <translation>再显示 %1 个</translation>
    </message>
    <message>
        <source>Neighbourhood (500 nodes)</source>
        <translation>邻域（500 个节点）</translation>
    </message>
    <message>
        <source>Highlight path between the selected nodes</source>
        <translation>高亮所选节点之间的路径</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Add triple from here…</source>
        <translation>从此处添加三元组…</translation>
    </message>
    <message>
        <source>Remove from view</source>
        <translation>从视图中移除</translation>
    </message>
    <message>
        <source>Highlight</source>
        <translation>高亮</translation>
    </message>
    <message>
        <source>Delete triple from project</source>
        <translation>从项目中删除三元组</translation>
    </message>
    <message>
        <source>Export Graph</source>
        <translation>导出图谱</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;GraphML (*.graphml);;Triples as TSV (*.tsv)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg);;GraphML (*.graphml);;TSV 三元组 (*.tsv)</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>KG Workbench graph</source>
        <translation>KG Workbench 图谱</translation>
    </message>
    <message>
        <source>Page:</source>
        <translation>每页：</translation>
    </message>
    <message>
        <source>Triples added per double-click (hub nodes page through their triples)</source>
        <translation>每次双击添加的三元组数（中心节点分页显示其三元组）</translation>
    </message>
    <message>
        <source>Still loading the triples of this node…</source>
        <translation>仍在加载此节点的三元组…</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <source>Show or hide the relations in view</source>
        <translation>显示或隐藏视图中的关系</translation>
    </message>
</context>
<context>
    <name>kgw::ImportReportDialog</name>
    <message>
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>&lt;b&gt;The import failed; the project is unchanged.&lt;/b&gt;&lt;br&gt;%1&lt;br&gt;Fix the line above, or import again with “Skip bad lines” to load the good lines and list the bad ones.</source>
        <translation>&lt;b&gt;导入失败，项目未被更改。&lt;/b&gt;&lt;br&gt;%1&lt;br&gt;请修正上面这一行，或勾选“跳过错误行”重新导入：正确的行会被导入，错误的行会列出。</translation>
    </message>
    <message>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <source>Imported %1 triples (%2 duplicates), %3 new entities, %4 labels. &lt;b&gt;Bad lines skipped: %5&lt;/b&gt;; the first %6 are listed below.</source>
        <translation>已导入 %1 个三元组（%2 个重复），%3 个新实体，%4 个标签。&lt;b&gt;跳过的错误行：%5&lt;/b&gt;；下面列出前 %6 行。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>kgw::ImportWizard</name>
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
        <source>Skip bad lines and report them (otherwise the first bad line stops the import and nothing is changed)</source>
        <translation>跳过错误行并报告（否则遇到第一个错误行即停止导入，不做任何更改）</translation>
    </message>
    <message>
        <source>Import Triples</source>
        <translation>导入三元组</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>TSV/CSV, N-Triples or Turtle, optionally gzipped. Each triple file goes to a split.</source>
        <translation>TSV/CSV、N-Triples 或 Turtle，可为 gzip 压缩。每个三元组文件归入一个数据划分。</translation>
    </message>
    <message>
        <source>Triple file</source>
        <translation>三元组文件</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>Add triple files…</source>
        <translation>添加三元组文件…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Label files (key, label, optional description):</source>
        <translation>标签文件（键、标签、可选描述）：</translation>
    </message>
    <message>
        <source>Add label files…</source>
        <translation>添加标签文件…</translation>
    </message>
    <message>
        <source>Triple files</source>
        <translation>三元组文件</translation>
    </message>
    <message>
        <source>Triples (*.tsv *.csv *.txt *.nt *.ttl *.gz);;All files (*)</source>
        <translation>三元组 (*.tsv *.csv *.txt *.nt *.ttl *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Label files</source>
        <translation>标签文件</translation>
    </message>
    <message>
        <source>Labels (*.tsv *.csv *.txt *.gz);;All files (*)</source>
        <translation>标签文件 (*.tsv *.csv *.txt *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>The first %1 records of each file, as they will be imported.</source>
        <translation>每个文件的前 %1 条记录，与导入时一致。</translation>
    </message>
    <message>
        <source>Triples: %1</source>
        <translation>三元组：%1</translation>
    </message>
    <message>
        <source>Labels: %1</source>
        <translation>标签：%1</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
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
        <source>Format: %1 · %2 records shown</source>
        <translation>格式：%1 · 显示 %2 条记录</translation>
    </message>
    <message>
        <source> · %1 literal statements (labels/descriptions are applied)</source>
        <translation> · %1 条字面量语句（将应用为标签/描述）</translation>
    </message>
    <message>
        <source>Problem: %1</source>
        <translation>问题：%1</translation>
    </message>
</context>
<context>
    <name>kgw::LaunchDialog</name>
    <message>
        <source>ComplEx, 1-vs-all (strong default)</source>
        <translation>ComplEx，1 对全部（推荐默认）</translation>
    </message>
    <message>
        <source>Scores every entity per query with cross-entropy and N3 regularisation: the most accurate setting on small and medium graphs</source>
        <translation>每个查询对所有实体打分，使用交叉熵和 N3 正则化：在中小规模图上最准确的设置</translation>
    </message>
    <message>
        <source>RotatE, self-adversarial negatives</source>
        <translation>RotatE，自对抗负采样</translation>
    </message>
    <message>
        <source>Sun et al. 2019: relations as rotations, 256 shared negatives weighted by their scores</source>
        <translation>Sun 等 2019：关系建模为旋转，256 个共享负样本按得分加权</translation>
    </message>
    <message>
        <source>TransE, margin loss (quick baseline)</source>
        <translation>TransE，间隔损失（快速基线）</translation>
    </message>
    <message>
        <source>Bordes et al. 2013: fast, a sanity baseline</source>
        <translation>Bordes 等 2013：速度快，用作基本基线</translation>
    </message>
    <message>
        <source>DistMult, tiny (smoke test)</source>
        <translation>DistMult，极小（冒烟测试）</translation>
    </message>
    <message>
        <source>A few seconds on small graphs: check the pipeline</source>
        <translation>小图上只需几秒：检查整个流程</translation>
    </message>
    <message>
        <source>Evaluate on the test split at the end</source>
        <translation>结束时在测试集上评估</translation>
    </message>
    <message>
        <source>New Training Run</source>
        <translation>新建训练运行</translation>
    </message>
    <message>
        <source>1-vs-all</source>
        <translation>1 对全部</translation>
    </message>
    <message>
        <source>negative sampling</source>
        <translation>负采样</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>binary cross-entropy</source>
        <translation>二元交叉熵</translation>
    </message>
    <message>
        <source>margin</source>
        <translation>间隔</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Devices LibTorch can use on this machine</source>
        <translation>本机上 LibTorch 可用的设备</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <source>Starting points from the literature; every field can be changed</source>
        <translation>来自文献的起点配置；每个字段都可修改</translation>
    </message>
    <message>
        <source>Embedding size (real numbers per entity; ComplEx and RotatE need it even)</source>
        <translation>嵌入维度（每个实体的实数个数；ComplEx 和 RotatE 需为偶数）</translation>
    </message>
    <message>
        <source>Training budget: passes over the training triples</source>
        <translation>训练预算：遍历训练三元组的轮数</translation>
    </message>
    <message>
        <source>Learning rate of the optimizer</source>
        <translation>优化器的学习率</translation>
    </message>
    <message>
        <source>Training triples per optimizer step</source>
        <translation>每个优化步的训练三元组数</translation>
    </message>
    <message>
        <source>1-vs-all scores all entities per query; negative sampling scores a few corrupted triples</source>
        <translation>1 对全部对每个查询的所有实体打分；负采样只对少量损坏三元组打分</translation>
    </message>
    <message>
        <source>Negative samples per positive (negative sampling only)</source>
        <translation>每个正样本的负样本数（仅负采样）</translation>
    </message>
    <message>
        <source>Margin offset of the distance models (TransE, RotatE)</source>
        <translation>距离模型（TransE、RotatE）的间隔偏移</translation>
    </message>
    <message>
        <source>Filtered validation MRR every N epochs (0 = never); the best model is kept</source>
        <translation>每 N 轮计算过滤后的验证 MRR（0 = 从不）；保留最佳模型</translation>
    </message>
    <message>
        <source>Stop after this many validations without improvement (0 = never)</source>
        <translation>连续这么多次验证无提升后停止（0 = 从不）</translation>
    </message>
    <message>
        <source>CPU threads for LibTorch</source>
        <translation>LibTorch 使用的 CPU 线程数</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Dimension:</source>
        <translation>维度：</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>轮数：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Training mode:</source>
        <translation>训练模式：</translation>
    </message>
    <message>
        <source>Loss:</source>
        <translation>损失：</translation>
    </message>
    <message>
        <source>Negatives:</source>
        <translation>负样本数：</translation>
    </message>
    <message>
        <source>Gamma:</source>
        <translation>Gamma：</translation>
    </message>
    <message>
        <source>Optimizer:</source>
        <translation>优化器：</translation>
    </message>
    <message>
        <source>Regulariser:</source>
        <translation>正则化：</translation>
    </message>
    <message>
        <source>Regulariser weight:</source>
        <translation>正则化权重：</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation>线程数：</translation>
    </message>
    <message>
        <source>Validate every:</source>
        <translation>验证间隔：</translation>
    </message>
    <message>
        <source>Early-stop patience:</source>
        <translation>早停耐心值：</translation>
    </message>
    <message>
        <source>Transformer: pre-train (masked tokens)</source>
        <translation>Transformer：预训练（掩码词元）</translation>
    </message>
    <message>
        <source>Masked entity, relation and word-piece prediction over the triples with their context facts and over entity descriptions; fine-tune it afterwards</source>
        <translation>在带上下文事实的三元组和实体描述上预测被掩码的实体、关系和子词；之后再微调</translation>
    </message>
    <message>
        <source>Transformer: fine-tune with LoRA</source>
        <translation>Transformer：LoRA 微调</translation>
    </message>
    <message>
        <source>Starts from a pre-trained run (Initialise from); only low-rank adapters, entity adapters and the output bias train</source>
        <translation>从一次预训练运行开始（初始化自）；只训练低秩适配器、实体适配器和输出偏置</translation>
    </message>
    <message>
        <source>Transformer: joint loss (full fine-tune)</source>
        <translation>Transformer：联合损失（全量微调）</translation>
    </message>
    <message>
        <source>Answer prediction plus masked tokens, a DistMult loss on the shared entity table and agreement with mined rules</source>
        <translation>答案预测，加上掩码词元、共享实体表上的 DistMult 损失以及与挖掘规则的一致性</translation>
    </message>
    <message>
        <source>Add the head&apos;s label as word pieces</source>
        <translation>将头实体的标签作为子词加入</translation>
    </message>
    <message>
        <source>pre-train</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>fine-tune</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>none (random start)</source>
        <translation>无（随机初始化）</translation>
    </message>
    <message>
        <source>off (full fine-tune)</source>
        <translation>关闭（全量微调）</translation>
    </message>
    <message>
        <source>Pre-training predicts masked tokens; fine-tuning ranks answers for (head, relation, ?)</source>
        <translation>预训练预测被掩码的词元；微调为 (头实体, 关系, ?) 排序答案</translation>
    </message>
    <message>
        <source>Start from the model another transformer run kept (e.g. a pre-training run)</source>
        <translation>从另一次 Transformer 运行保留的模型开始（例如一次预训练运行）</translation>
    </message>
    <message>
        <source>Transformer layers</source>
        <translation>Transformer 层数</translation>
    </message>
    <message>
        <source>Attention heads per layer (the dimension must be divisible by it)</source>
        <translation>每层的注意力头数（维度必须能被它整除）</translation>
    </message>
    <message>
        <source>Neighbour facts of the head in the input: what attention can point at</source>
        <translation>输入中头实体的邻居事实：注意力可以指向的内容</translation>
    </message>
    <message>
        <source>LoRA: rank of the adapters; the base weights stay frozen (must be below the dimension)</source>
        <translation>LoRA：适配器的秩；基础权重保持冻结（必须小于维度）</translation>
    </message>
    <message>
        <source>Weight of the masked-token loss during fine-tuning</source>
        <translation>微调时掩码词元损失的权重</translation>
    </message>
    <message>
        <source>Weight of the DistMult loss on the shared entity table</source>
        <translation>共享实体表上 DistMult 损失的权重</translation>
    </message>
    <message>
        <source>Weight of the agreement with mined rules, KL(rules ‖ model)</source>
        <translation>与挖掘规则一致性的权重，KL(规则 ‖ 模型)</translation>
    </message>
    <message>
        <source>Stage:</source>
        <translation>阶段：</translation>
    </message>
    <message>
        <source>Initialise from:</source>
        <translation>初始化自：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层数：</translation>
    </message>
    <message>
        <source>Heads:</source>
        <translation>注意力头：</translation>
    </message>
    <message>
        <source>Context facts:</source>
        <translation>上下文事实数：</translation>
    </message>
    <message>
        <source>LoRA rank:</source>
        <translation>LoRA 秩：</translation>
    </message>
    <message>
        <source>λ masked tokens:</source>
        <translation>λ 掩码词元：</translation>
    </message>
    <message>
        <source>λ KGE:</source>
        <translation>λ KGE：</translation>
    </message>
    <message>
        <source>λ rules:</source>
        <translation>λ 规则：</translation>
    </message>
    <message>
        <source>Invalid settings</source>
        <translation>设置无效</translation>
    </message>
    <message>
        <source>CompGCN graph encoder + DistMult</source>
        <translation>CompGCN 图编码器 + DistMult</translation>
    </message>
    <message>
        <source>Vashishth et al. 2020: entity states from message passing over the graph (entities composed with relations), scored by DistMult against every entity</source>
        <translation>Vashishth 等 2020：在图上进行消息传递得到实体状态（实体与关系组合），再用 DistMult 对所有实体打分</translation>
    </message>
    <message>
        <source>TransE: translations; DistMult: diagonal bilinear (symmetric relations); ComplEx: complex bilinear (asymmetric); RotatE: rotations in the complex plane; Transformer: over triples and their context facts; CompGCN: a graph encoder with a DistMult decoder</source>
        <translation>TransE：平移；DistMult：对角双线性（对称关系）；ComplEx：复数双线性（非对称）；RotatE：复平面上的旋转；Transformer：作用于三元组及其上下文事实；CompGCN：带 DistMult 解码器的图编码器</translation>
    </message>
    <message>
        <source>Message-passing layers of the graph encoder</source>
        <translation>图编码器的消息传递层数</translation>
    </message>
    <message>
        <source>Transformer: rank answers (no context)</source>
        <translation>Transformer：排序答案（无上下文）</translation>
    </message>
    <message>
        <source>full update (the output head)</source>
        <translation>完整更新（输出头）</translation>
    </message>
    <message>
        <source>rank-r adapter (fewer parameters)</source>
        <translation>秩 r 适配器（参数更少）</translation>
    </message>
    <message>
        <source>Under LoRA, how the entity rows train: in full (closer to full fine-tuning) or through an adapter (far fewer parameters on large graphs)</source>
        <translation>LoRA 下实体行的训练方式：完整更新（更接近完整微调）或通过适配器（在大图上参数少得多）</translation>
    </message>
    <message>
        <source>LoRA entity rows:</source>
        <translation>LoRA 实体行：</translation>
    </message>
    <message>
        <source>Row-wise Adagrad</source>
        <translation>按行 Adagrad</translation>
    </message>
    <message>
        <source>One accumulator per table row (as PyTorch-BigGraph): almost no optimizer memory beside the tables</source>
        <translation>每个表行一个累加器（同 PyTorch-BigGraph）：除嵌入表外几乎不占优化器内存</translation>
    </message>
    <message>
        <source>N3 (Lacroix et al. 2018) suits ComplEx; L2 is the classic choice. For the transformer it applies to the score&apos;s two factors: the query vector and the answer&apos;s row</source>
        <translation>N3（Lacroix 等 2018）适合 ComplEx；L2 是经典选择。对 Transformer，它作用于得分的两个因子：查询向量和答案所在的行</translation>
    </message>
    <message>
        <source>the example&apos;s tail</source>
        <translation>样本自身的尾实体</translation>
    </message>
    <message>
        <source>every known tail of (head, relation)</source>
        <translation>(头实体, 关系) 的每个已知尾实体</translation>
    </message>
    <message>
        <source>What an answer query learns: its own tail (1-vs-all) or every training tail of the same head and relation at once (KvsAll, as ConvE)</source>
        <translation>答案查询学习的目标：只学自身的尾实体（1-vs-all），或同时学习同一头实体与关系的所有训练尾实体（KvsAll，同 ConvE）</translation>
    </message>
    <message>
        <source>Targets:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <source>Head and relation only, 120 epochs, every known tail of a query as its target, N3 on the score&apos;s factors, a direct head × relation path beside the encoder, the learning rate warmed up and then decayed on a cosine: the best ranking on small dense graphs; attention then has no context facts to explain with</source>
        <translation>仅使用头实体和关系，120 轮，以查询的所有已知尾实体为目标，对得分的因子施加 N3 正则，在编码器旁加一条头实体 × 关系的直接路径，学习率先预热再按余弦衰减：在小而稠密的图上排序最好；此时注意力没有上下文事实可用于解释</translation>
    </message>
    <message>
        <source>Score head × relation directly as well (bilinear shortcut)</source>
        <translation>同时直接对头实体 × 关系打分（双线性捷径）</translation>
    </message>
    <message>
        <source>Adds the product of the head&apos;s and relation&apos;s input embeddings to the answer query, a DistMult-like path beside the encoder; the Explain tab splits each answer&apos;s score between the two</source>
        <translation>将头实体与关系输入嵌入的乘积加到答案查询上，即编码器旁一条类似 DistMult 的路径；解释页会把每个答案的得分拆分到这两部分</translation>
    </message>
    <message>
        <source>Transformer: rank and explain (16 context facts)</source>
        <translation>Transformer：排序并解释（16 条上下文事实）</translation>
    </message>
    <message>
        <source>The rank-answers recipe with 16 of the head&apos;s facts in the input, so that attention and attribution in the Explain tab can point at the facts an answer leaned on; about four times slower per epoch</source>
        <translation>“排序答案”配方，并在输入中加入头实体的 16 条事实，使解释页中的注意力和归因能指向答案所依赖的事实；每轮约慢四倍</translation>
    </message>
    <message>
        <source>Share of fine-tuning examples whose head identity is hidden, so the answer must come from the context facts (HittER); 0 keeps it visible and trains faster</source>
        <translation>微调样本中隐藏头实体身份的比例，使答案必须来自上下文事实（HittER）；为 0 时保持可见，训练更快</translation>
    </message>
    <message>
        <source>Head mask:</source>
        <translation>头实体遮蔽：</translation>
    </message>
    <message>
        <source>Transformer: rank answers, large graphs (GPU)</source>
        <translation>Transformer：排序答案，大型图谱（GPU）</translation>
    </message>
    <message>
        <source>The rank-answers recipe at dim 256 with 4 layers of 8 heads, batch 1,024, dropout 0.3, 24 epochs: on fb15k-237 it reached test MRR 0.33 in about 2 minutes on one H200; hours on a CPU</source>
        <translation>排序答案配方，维度 256，4 层、每层 8 个注意力头，批大小 1,024，dropout 0.3，24 轮：在 fb15k-237 上用一块 H200 约 2 分钟达到测试 MRR 0.33；在 CPU 上需数小时</translation>
    </message>
    <message>
        <source>Dropout in the encoder&apos;s layers: large graphs trained for many epochs want more (fb15k-237 on a GPU: 0.3), small ones less (umls: 0.1)</source>
        <translation>编码器各层的 dropout：训练多轮的大型图谱需要更大的值（GPU 上的 fb15k-237：0.3），小型图谱更小（umls：0.1）</translation>
    </message>
    <message>
        <source>Dropout:</source>
        <translation>Dropout：</translation>
    </message>
</context>
<context>
    <name>kgw::Minimap</name>
    <message>
        <source>Overview: click or drag to move the view</source>
        <translation>总览：单击或拖动以移动视图</translation>
    </message>
</context>
<context>
    <name>kgw::ProjectEditor</name>
    <message>
        <source>The project&apos;s edit history has nothing to %1.</source>
        <translation>项目的编辑历史中没有可%1的操作。</translation>
    </message>
    <message>
        <source>undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>add triple</source>
        <translation>添加三元组</translation>
    </message>
    <message>
        <source>Head, relation and tail must not be empty.</source>
        <translation>头实体、关系和尾实体不能为空。</translation>
    </message>
    <message>
        <source>add relation</source>
        <translation>添加关系</translation>
    </message>
    <message>
        <source>add entity</source>
        <translation>添加实体</translation>
    </message>
    <message>
        <source>delete triple</source>
        <translation>删除三元组</translation>
    </message>
    <message>
        <source>rename entity</source>
        <translation>重命名实体</translation>
    </message>
    <message>
        <source>delete entity</source>
        <translation>删除实体</translation>
    </message>
    <message>
        <source>accept candidate</source>
        <translation>接受候选</translation>
    </message>
    <message>
        <source>reject candidate</source>
        <translation>拒绝候选</translation>
    </message>
    <message numerus="yes">
        <source>accept %n candidates</source>
        <translation>
            <numerusform>接受 %n 个候选</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kgw::StartPage</name>
    <message>
        <source>&lt;h2&gt;KG Workbench&lt;/h2&gt;&lt;p&gt;Build, visualise and probe knowledge graphs with models.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;KG Workbench&lt;/h2&gt;&lt;p&gt;用模型构建、可视化并探查知识图谱。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open the Demo Graph</source>
        <translation>打开演示图谱</translation>
    </message>
    <message>
        <source>Scientists, places, institutions and awards: a small graph to try the explorer, training and explanations on</source>
        <translation>科学家、地点、机构与奖项：一个小图谱，可用来试用浏览、训练和解释</translation>
    </message>
    <message>
        <source>New Project…</source>
        <translation>新建项目…</translation>
    </message>
    <message>
        <source>An empty project file</source>
        <translation>一个空的项目文件</translation>
    </message>
    <message>
        <source>New Project from Files…</source>
        <translation>从文件新建项目…</translation>
    </message>
    <message>
        <source>A new project, then import triples (TSV/CSV, N-Triples, Turtle; gzip)</source>
        <translation>新建项目，然后导入三元组（TSV/CSV、N-Triples、Turtle；gzip）</translation>
    </message>
    <message>
        <source>Open Project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <source>A .kgwb project file</source>
        <translation>一个 .kgwb 项目文件</translation>
    </message>
    <message>
        <source>&lt;b&gt;Start&lt;/b&gt;</source>
        <translation>&lt;b&gt;开始&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent projects&lt;/b&gt;</source>
        <translation>&lt;b&gt;最近的项目&lt;/b&gt;</translation>
    </message>
    <message>
        <source>%1 (missing)</source>
        <translation>%1（文件不存在）</translation>
    </message>
    <message>
        <source>No recent projects yet</source>
        <translation>还没有最近的项目</translation>
    </message>
</context>
<context>
    <name>kgw::TrainingPanel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Validation (filtered)</source>
        <translation>验证（过滤）</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <source>metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>No training running.</source>
        <translation>当前没有训练。</translation>
    </message>
    <message>
        <source>New Run…</source>
        <translation>新建运行…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Resume Selected…</source>
        <translation>继续所选运行…</translation>
    </message>
    <message>
        <source>Show / Compare</source>
        <translation>显示 / 比较</translation>
    </message>
    <message>
        <source>Curves to CSV…</source>
        <translation>曲线导出为 CSV…</translation>
    </message>
    <message>
        <source>Charts to PNG…</source>
        <translation>图表导出为 PNG…</translation>
    </message>
    <message>
        <source>Export Embeddings…</source>
        <translation>导出嵌入…</translation>
    </message>
    <message>
        <source>MRR</source>
        <translation>MRR</translation>
    </message>
    <message>
        <source>Hits@10</source>
        <translation>Hits@10</translation>
    </message>
    <message>
        <source>Run history (select two to compare):</source>
        <translation>运行历史（选择两个进行比较）：</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Best valid MRR</source>
        <translation>最佳验证 MRR</translation>
    </message>
    <message>
        <source>Test MRR</source>
        <translation>测试 MRR</translation>
    </message>
    <message>
        <source>Test Hits@10</source>
        <translation>测试 Hits@10</translation>
    </message>
    <message>
        <source>Pause between steps; the ETA ignores paused time</source>
        <translation>在步骤之间暂停；预计剩余时间不计暂停时间</translation>
    </message>
    <message>
        <source>Stop the run; the last finished epoch stays resumable</source>
        <translation>停止运行；最后完成的一轮可以继续</translation>
    </message>
    <message>
        <source>Continue the selected run from its checkpoint (also after restarting the app)</source>
        <translation>从检查点继续所选运行（重启应用后同样可用）</translation>
    </message>
    <message>
        <source>Write vectors.tsv and metadata.tsv for the TensorBoard Embedding Projector</source>
        <translation>为 TensorBoard Embedding Projector 写出 vectors.tsv 和 metadata.tsv</translation>
    </message>
    <message>
        <source>Resume Run</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <source>Additional epochs (0 = finish the planned budget):</source>
        <translation>额外轮数（0 = 完成原计划预算）：</translation>
    </message>
    <message>
        <source>Run %1 has no resumable checkpoint.</source>
        <translation>运行 %1 没有可继续的检查点。</translation>
    </message>
    <message>
        <source>Export Curves</source>
        <translation>导出曲线</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Export Charts</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG (*.png)</source>
        <translation>PNG (*.png)</translation>
    </message>
    <message>
        <source>Export Embeddings To</source>
        <translation>导出嵌入到</translation>
    </message>
    <message>
        <source>Embeddings written to %1</source>
        <translation>嵌入已写入 %1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>已暂停。</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>Run %1 training on %2…</source>
        <translation>运行 %1 正在 %2 上训练…</translation>
    </message>
    <message>
        <source>Run %1 · epoch %2/%3 · loss %4 · ETA %5</source>
        <translation>运行 %1 · 第 %2/%3 轮 · 损失 %4 · 预计剩余 %5</translation>
    </message>
    <message>
        <source>%1 triples/s · memory %2 MB</source>
        <translation>%1 三元组/秒 · 内存 %2 MB</translation>
    </message>
    <message>
        <source>Run failed: %1</source>
        <translation>运行失败：%1</translation>
    </message>
    <message>
        <source>Run %1 cancelled; its last finished epoch can be resumed.</source>
        <translation>运行 %1 已取消；可从最后完成的一轮继续。</translation>
    </message>
    <message>
        <source>Run %1 %2.</source>
        <translation>运行 %1 %2。</translation>
    </message>
    <message>
        <source>stopped early (validation stopped improving)</source>
        <translation>已提前停止（验证指标不再提升）</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>loss (run %1)</source>
        <translation>损失（运行 %1）</translation>
    </message>
    <message>
        <source>MRR (run %1)</source>
        <translation>MRR（运行 %1）</translation>
    </message>
    <message>
        <source>Hits@10 (run %1)</source>
        <translation>Hits@10（运行 %1）</translation>
    </message>
    <message>
        <source>Run %1 has no checkpoint.</source>
        <translation>运行 %1 没有检查点。</translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation>运行 %1（%2）</translation>
    </message>
    <message>
        <source>Run %1 cancelled before its first epoch finished; nothing to resume.</source>
        <translation>运行 %1 在第一轮完成前已取消；没有可恢复的内容。</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>已提前停止</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Paused at epoch %1/%2.</source>
        <translation>已暂停于第 %1/%2 轮。</translation>
    </message>
    <message>
        <source>Federated Run…</source>
        <translation>联邦训练…</translation>
    </message>
    <message>
        <source>Train one model across silo projects: only entity embeddings travel, averaged (FedE)</source>
        <translation>跨多个数据孤岛项目训练一个模型：只传输实体嵌入并取平均（FedE）</translation>
    </message>
    <message>
        <source>Cancelled before training began; no run was recorded.</source>
        <translation>训练开始前已取消;未记录任何运行。</translation>
    </message>
    <message>
        <source>Preparing: reading the project&apos;s graph…</source>
        <translation>准备中:正在读取项目的图…</translation>
    </message>
    <message>
        <source>Preparing: building the model (a transformer first trains or loads its tokenizer)…</source>
        <translation>准备中:正在构建模型(Transformer 会先训练或加载其分词器)…</translation>
    </message>
    <message>
        <source>Preparing: reading the documents and their entity mentions…</source>
        <translation>准备中:正在读取文档及其中的实体提及…</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>准备中…</translation>
    </message>
    <message>
        <source>Could not read the run history: %1</source>
        <translation>无法读取运行历史：%1</translation>
    </message>
    <message>
        <source>Exporting the embeddings of run %1…</source>
        <translation>正在导出运行 %1 的嵌入…</translation>
    </message>
    <message>
        <source>Cancel Export</source>
        <translation>取消导出</translation>
    </message>
    <message>
        <source>Exporting the embeddings of run %1… %2 of %3 entities</source>
        <translation>正在导出运行 %1 的嵌入… 已完成 %2 / %3 个实体</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>导出已取消；未写入任何文件。</translation>
    </message>
    <message>
        <source>%1 triples/s · %2 tokens/s · memory %3 MB</source>
        <translation>%1 三元组/秒 · %2 词元/秒 · 内存 %3 MB</translation>
    </message>
    <message>
        <source>Show on Map</source>
        <translation>在映射图中显示</translation>
    </message>
    <message>
        <source>Open the selected run&apos;s entity map in the Embeddings tab</source>
        <translation>在“嵌入”标签页中打开所选运行的实体映射图</translation>
    </message>
    <message>
        <source>Explain with It</source>
        <translation>用它解释</translation>
    </message>
    <message>
        <source>Rank and explain answers with the selected run in the Explain tab</source>
        <translation>在“解释”标签页中用所选运行对答案排序并解释</translation>
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
