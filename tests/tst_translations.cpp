// zh_CN must be complete: every message translated, placeholders and accelerators kept,
// and the compiled catalogue must load and translate.
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void zhCnIsComplete();
    void compiledCatalogueTranslates();
};

void TestTranslations::zhCnIsComplete()
{
    QFile f(QStringLiteral(KGWB_TS_DIR "/kgwb_zh_CN.ts"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    QString source, translation;
    bool unfinished = false;
    int messages = 0;
    const QRegularExpression placeholder(QStringLiteral("%(\\d|n)"));
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
            translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            ++messages;
            QVERIFY2(!unfinished && !translation.isEmpty(), qPrintable("untranslated: " + source));
            QSet<QString> inSource, inTranslation;
            for (auto it = placeholder.globalMatch(source); it.hasNext();)
                inSource.insert(it.next().captured());
            for (auto it = placeholder.globalMatch(translation); it.hasNext();)
                inTranslation.insert(it.next().captured());
            QVERIFY2(inSource == inTranslation, qPrintable("placeholders differ: " + source));
            if (source.contains(QRegularExpression(QStringLiteral("&\\w"))))
                QVERIFY2(translation.contains(QRegularExpression(QStringLiteral("&\\w"))),
                         qPrintable("accelerator lost: " + source));
        }
    }
    QVERIFY(!xml.hasError());
    QVERIFY(messages >= 50);
}

void TestTranslations::compiledCatalogueTranslates()
{
    QTranslator zh;
    QVERIFY(zh.load(QStringLiteral(KGWB_QM_DIR "/kgwb_zh_CN.qm")));
    QCOMPARE(zh.translate("kgapp::MainWindow", "&File"), QStringLiteral("文件(&F)"));
    QCOMPARE(zh.translate("kgw::EntitySearch", "%n match(es)", nullptr, 3), QStringLiteral("%n 个匹配"));
    QTranslator en;
    QVERIFY(en.load(QStringLiteral(KGWB_QM_DIR "/kgwb_en.qm")));
    QCOMPARE(en.translate("kgw::EntitySearch", "%n match(es)", nullptr, 1), QStringLiteral("%n match"));
    QCOMPARE(en.translate("kgw::EntitySearch", "%n match(es)", nullptr, 2), QStringLiteral("%n matches"));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
