// Proves the sentencepiece/libtorch protobuf clash is resolved: this binary links libtorch,
// trains and uses a sentencepiece tokenizer (through the dlopen'ed shim) and runs torch ops
// on its output, all in one process. Linking libsentencepiece directly here would crash
// before main().
#include <torch/torch.h> // before Qt headers (Qt's keywords clash with torch; QT_NO_KEYWORDS is set)

#include <QFile>
#include <QTest>

#include "core/error.h"
#include "text/tokenizer.h"

class TestTokenizerTorch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundTripAndTorchInOneProcess();
    void specialTokensAndErrors();
    void corruptModelIsRejected();

private:
    std::vector<std::string> corpus_;
};

void TestTokenizerTorch::initTestCase()
{
    QFile labels(QStringLiteral(KGWB_DEMO_LABELS));
    QVERIFY(labels.open(QIODevice::ReadOnly));
    while (!labels.atEnd()) {
        const QList<QByteArray> f = labels.readLine().trimmed().split('\t');
        for (int i = 1; i < f.size(); ++i)
            corpus_.push_back(f[i].toStdString());
    }
    QVERIFY(corpus_.size() > 100);
}

void TestTokenizerTorch::roundTripAndTorchInOneProcess()
{
    const auto tok = kg::text::Tokenizer::train(corpus_, 600);
    QVERIFY(QString::fromStdString(kg::text::Tokenizer::shimPath()).endsWith("libkgwb_spm.so"));
    QVERIFY(tok.vocabSize() > 256);
    // Words from the corpus become few pieces; unseen scripts fall back to bytes.
    QVERIFY(tok.encode("Marie Curie").size() <= 6);
    for (const std::string text : {"Marie Curie was born in Warsaw", "Würzburg Königsberg", "北京 unseen ✓"}) {
        const std::vector<int> ids = tok.encode(text);
        QVERIFY(!ids.empty());
        QCOMPARE(tok.decode(ids), text);
        // Feed the ids to libtorch in the same process.
        auto t = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kLong);
        torch::manual_seed(0);
        torch::nn::Embedding emb(tok.vocabSize(), 8);
        const auto out = emb->forward(t);
        QCOMPARE(out.size(0), static_cast<int64_t>(ids.size()));
        QCOMPARE(out.size(1), 8);
        QVERIFY(torch::isfinite(out).all().item<bool>());
    }
    // The model serialises and reloads to an identical tokenizer.
    const auto again = kg::text::Tokenizer::fromModelBytes(tok.modelBytes());
    QCOMPARE(again.encode("Lise Meitner"), tok.encode("Lise Meitner"));
}

void TestTokenizerTorch::specialTokensAndErrors()
{
    const auto tok = kg::text::Tokenizer::train(corpus_, 400);
    QCOMPARE(tok.pieceId("[MASK]"), 4);
    QCOMPARE(tok.pieceId("[SEP]"), 5);
    QCOMPARE(tok.piece(5), std::string("[SEP]"));
    QVERIFY_THROWS_EXCEPTION(kg::Error, tok.decode({tok.vocabSize() + 5}));
    QVERIFY_THROWS_EXCEPTION(kg::Error, tok.piece(-1));
}

void TestTokenizerTorch::corruptModelIsRejected()
{
    try {
        kg::text::Tokenizer::fromModelBytes("definitely not a protobuf model");
        QFAIL("must throw");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Format);
    }
}

QTEST_GUILESS_MAIN(TestTokenizerTorch)
#include "tst_tokenizer_torch.moc"
