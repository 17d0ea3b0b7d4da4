// Import wizard: choose triple files (each with its split) and label files, preview the first
// records of each file as the importer will read them (format, columns, first error with its
// line), choose the error policy, then start. The import itself runs on ImportWorker.
#pragma once

#include <QWizard>

#include "import/importer.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QTableWidget;

namespace kgw {

class ImportWizard : public QWizard {
    Q_OBJECT
public:
    explicit ImportWizard(QWidget* parent = nullptr);
    // Pre-fills the file lists (also used by tests instead of file dialogs).
    void addTripleFile(const QString& path, kg::Split split = kg::Split::Train);
    void addLabelFile(const QString& path);
    // The request described by the pages (valid after the user finishes).
    kg::import::ImportRequest request() const;
    QTableWidget* previewTable() const { return preview_; }
    QLabel* previewStatus() const { return previewStatus_; }
    void showPreview(int fileRow); // row in the combined file list

private:
    QWizardPage* buildFilesPage();
    QWizardPage* buildPreviewPage();
    void refreshPreviewChoices();

    QTableWidget* files_;
    QListWidget* labelFiles_;
    QComboBox* previewFile_;
    QTableWidget* preview_;
    QLabel* previewStatus_;
    QCheckBox* skipBad_;
};

} // namespace kgw
