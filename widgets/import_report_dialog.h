// The outcome of an import as a window, not only a status-bar line: a failure with its
// file:line:column, or the lines that --skip-bad-lines skipped (file, line, column, reason).
// Non-modal; it deletes itself when closed.
#pragma once

#include <QDialog>

#include "import_worker.h"

class QTableWidget;

namespace kgw {

class ImportReportDialog : public QDialog {
    Q_OBJECT
public:
    // True when the outcome deserves the window: it failed (not cancelled) or skipped lines.
    static bool worthShowing(const ImportOutcome& outcome);

    explicit ImportReportDialog(const ImportOutcome& outcome, QWidget* parent = nullptr);
    QTableWidget* issues() const { return issues_; }

private:
    QTableWidget* issues_;
};

} // namespace kgw
