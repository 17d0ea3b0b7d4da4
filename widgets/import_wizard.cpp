#include "import_wizard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>

#include "import/preview.h"
#include "qt_convert.h"

namespace kgw {
namespace {

constexpr int kPreviewRows = 20;

QComboBox* splitBox(QWidget* parent, kg::Split split)
{
    auto* box = new QComboBox(parent);
    box->addItem(ImportWizard::tr("train"), static_cast<int>(kg::Split::Train));
    box->addItem(ImportWizard::tr("valid"), static_cast<int>(kg::Split::Valid));
    box->addItem(ImportWizard::tr("test"), static_cast<int>(kg::Split::Test));
    box->setCurrentIndex(static_cast<int>(split) - 1);
    return box;
}

} // namespace

ImportWizard::ImportWizard(QWidget* parent)
    : QWizard(parent)
    , files_(new QTableWidget(0, 2, this))
    , labelFiles_(new QListWidget(this))
    , previewFile_(new QComboBox(this))
    , preview_(new QTableWidget(this))
    , previewStatus_(new QLabel(this))
    , skipBad_(new QCheckBox(tr("Skip bad lines and report them (otherwise the first bad line stops the "
                                "import and nothing is changed)"), this))
{
    setWindowTitle(tr("Import Triples"));
    setWizardStyle(QWizard::ClassicStyle);
    addPage(buildFilesPage());
    addPage(buildPreviewPage());
    resize(760, 520);
}

QWizardPage* ImportWizard::buildFilesPage()
{
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Files"));
    page->setSubTitle(tr("TSV/CSV, N-Triples or Turtle, optionally gzipped. Each triple file goes to a split."));
    auto* layout = new QVBoxLayout(page);
    files_->setHorizontalHeaderLabels({tr("Triple file"), tr("Split")});
    files_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    files_->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(files_);
    auto* row = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add triple files…"), page);
    auto* remove = new QPushButton(tr("Remove"), page);
    row->addWidget(add);
    row->addWidget(remove);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(new QLabel(tr("Label files (key, label, optional description):"), page));
    labelFiles_->setMaximumHeight(90);
    layout->addWidget(labelFiles_);
    auto* labelRow = new QHBoxLayout;
    auto* addLabels = new QPushButton(tr("Add label files…"), page);
    auto* removeLabels = new QPushButton(tr("Remove"), page);
    removeLabels->setObjectName(QStringLiteral("removeLabelFile"));
    labelRow->addWidget(addLabels);
    labelRow->addWidget(removeLabels);
    labelRow->addStretch(1);
    layout->addLayout(labelRow);
    connect(removeLabels, &QPushButton::clicked, this, [this] { delete labelFiles_->currentItem(); });
    auto lastDir = [] { return QSettings().value(QStringLiteral("import/lastDir")).toString(); };
    auto remember = [](const QStringList& paths) {
        if (!paths.isEmpty())
            QSettings().setValue(QStringLiteral("import/lastDir"), QFileInfo(paths.front()).absolutePath());
    };
    connect(add, &QPushButton::clicked, this, [this, lastDir, remember] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Triple files"), lastDir(), tr("Triples (*.tsv *.csv *.txt *.nt *.ttl *.gz);;All files (*)"));
        remember(paths);
        for (const QString& p : paths) {
            const QString name = QFileInfo(p).fileName().toLower();
            addTripleFile(p, name.contains(QLatin1String("valid")) || name.contains(QLatin1String("dev"))
                                 ? kg::Split::Valid
                             : name.contains(QLatin1String("test")) ? kg::Split::Test
                                                                    : kg::Split::Train);
        }
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int r = files_->currentRow();
        if (r >= 0)
            files_->removeRow(r);
    });
    connect(addLabels, &QPushButton::clicked, this, [this, lastDir, remember] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Label files"), lastDir(),
                                                                tr("Labels (*.tsv *.csv *.txt *.gz);;All files (*)"));
        remember(paths);
        for (const QString& p : paths)
            addLabelFile(p);
    });
    return page;
}

QWizardPage* ImportWizard::buildPreviewPage()
{
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Preview"));
    page->setSubTitle(tr("The first %1 records of each file, as they will be imported.").arg(kPreviewRows));
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(previewFile_);
    layout->addWidget(previewStatus_);
    previewStatus_->setWordWrap(true);
    preview_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    preview_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(preview_, 1);
    layout->addWidget(skipBad_);
    connect(previewFile_, &QComboBox::currentIndexChanged, this, &ImportWizard::showPreview);
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == 1)
            refreshPreviewChoices();
    });
    return page;
}

void ImportWizard::addTripleFile(const QString& path, kg::Split split)
{
    const int r = files_->rowCount();
    files_->insertRow(r);
    auto* item = new QTableWidgetItem(QFileInfo(path).fileName());
    item->setData(Qt::UserRole, path);
    item->setToolTip(path);
    files_->setItem(r, 0, item);
    files_->setCellWidget(r, 1, splitBox(files_, split));
}

void ImportWizard::addLabelFile(const QString& path)
{
    auto* item = new QListWidgetItem(QFileInfo(path).fileName(), labelFiles_);
    item->setData(Qt::UserRole, path);
    item->setToolTip(path);
}

void ImportWizard::refreshPreviewChoices()
{
    previewFile_->clear();
    for (int r = 0; r < files_->rowCount(); ++r)
        previewFile_->addItem(tr("Triples: %1").arg(files_->item(r, 0)->text()));
    for (int i = 0; i < labelFiles_->count(); ++i)
        previewFile_->addItem(tr("Labels: %1").arg(labelFiles_->item(i)->text()));
    if (previewFile_->count() > 0)
        showPreview(0);
}

void ImportWizard::showPreview(int fileRow)
{
    preview_->clear();
    preview_->setRowCount(0);
    if (fileRow < 0)
        return;
    const bool labels = fileRow >= files_->rowCount();
    const QString path = labels ? labelFiles_->item(fileRow - files_->rowCount())->data(Qt::UserRole).toString()
                                : files_->item(fileRow, 0)->data(Qt::UserRole).toString();
    kg::import::FilePreview p;
    try {
        p = kg::import::previewFile(ss(path), labels, kPreviewRows);
    } catch (const kg::Error& e) {
        previewStatus_->setText(tr("Cannot read %1: %2").arg(path, qs(e.what())));
        return;
    }
    preview_->setColumnCount(3);
    preview_->setHorizontalHeaderLabels(labels ? QStringList{tr("Key"), tr("Label"), tr("Description")}
                                               : QStringList{tr("Head"), tr("Relation"), tr("Tail")});
    preview_->setRowCount(static_cast<int>(p.rows.size()));
    for (int r = 0; r < static_cast<int>(p.rows.size()); ++r)
        for (int c = 0; c < 3 && c < static_cast<int>(p.rows[r].size()); ++c)
            preview_->setItem(r, c, new QTableWidgetItem(qs(p.rows[r][c])));
    QString status = tr("Format: %1 · %2 records shown").arg(QString::fromLatin1(kg::import::formatName(p.format))).arg(p.rows.size());
    if (p.literals > 0)
        status += tr(" · %1 literal statements (labels/descriptions are applied)").arg(p.literals);
    if (p.error)
        status += QStringLiteral("\n") + tr("Problem: %1").arg(qs(p.error->what()));
    previewStatus_->setText(status);
}

kg::import::ImportRequest ImportWizard::request() const
{
    kg::import::ImportRequest req;
    for (int r = 0; r < files_->rowCount(); ++r) {
        const auto* box = qobject_cast<QComboBox*>(files_->cellWidget(r, 1));
        req.tripleFiles.emplace_back(ss(files_->item(r, 0)->data(Qt::UserRole).toString()),
                                     static_cast<kg::Split>(box ? box->currentData().toInt() : 1));
    }
    for (int i = 0; i < labelFiles_->count(); ++i)
        req.labelFiles.push_back(ss(labelFiles_->item(i)->data(Qt::UserRole).toString()));
    req.parse.policy = skipBad_->isChecked() ? kg::import::ErrorPolicy::SkipBadLines
                                              : kg::import::ErrorPolicy::AllOrNothing;
    return req;
}

} // namespace kgw
