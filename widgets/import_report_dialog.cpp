#include "import_report_dialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "qt_convert.h"

namespace kgw {

bool ImportReportDialog::worthShowing(const ImportOutcome& outcome)
{
    return (!outcome.ok && !outcome.cancelled) || (outcome.ok && outcome.report.skippedLines > 0);
}

ImportReportDialog::ImportReportDialog(const ImportOutcome& outcome, QWidget* parent)
    : QDialog(parent)
    , issues_(new QTableWidget(this))
{
    setAttribute(Qt::WA_DeleteOnClose);
    setObjectName(QStringLiteral("importReport"));
    auto* summary = new QLabel(this);
    summary->setWordWrap(true);
    summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const auto& r = outcome.report;
    if (!outcome.ok) {
        setWindowTitle(tr("Import failed"));
        summary->setText(tr("<b>The import failed; the project is unchanged.</b><br>%1<br>Fix the line above, or "
                            "import again with “Skip bad lines” to load the good lines and list the bad ones.")
                             .arg(outcome.error.toHtmlEscaped()));
    } else {
        setWindowTitle(tr("Import report"));
        summary->setText(tr("Imported %1 triples (%2 duplicates), %3 new entities, %4 labels. "
                            "<b>Bad lines skipped: %5</b>; the first %6 are listed below.")
                             .arg(r.triplesAdded)
                             .arg(r.duplicates)
                             .arg(r.entitiesAdded)
                             .arg(r.labelsApplied)
                             .arg(r.skippedLines)
                             .arg(r.issues.size()));
    }
    issues_->setColumnCount(4);
    issues_->setHorizontalHeaderLabels({tr("File"), tr("Line"), tr("Column"), tr("Reason")});
    issues_->setRowCount(static_cast<int>(r.issues.size()));
    issues_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    issues_->verticalHeader()->hide();
    issues_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    for (int i = 0; i < static_cast<int>(r.issues.size()); ++i) {
        const auto& issue = r.issues[static_cast<size_t>(i)];
        auto* file = new QTableWidgetItem(QFileInfo(qs(issue.where.file)).fileName());
        file->setToolTip(qs(issue.where.file));
        issues_->setItem(i, 0, file);
        issues_->setItem(i, 1, new QTableWidgetItem(QString::number(issue.where.line)));
        issues_->setItem(i, 2, new QTableWidgetItem(issue.where.column ? QString::number(issue.where.column) : QString()));
        issues_->setItem(i, 3, new QTableWidgetItem(qs(issue.reason)));
    }
    issues_->setVisible(!r.issues.empty());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary);
    layout->addWidget(issues_, 1);
    layout->addWidget(buttons);
    resize(720, r.issues.empty() ? 160 : 420);
}

} // namespace kgw
