// "Candidates": knowledge-graph construction from text, reviewed by a person. Documents are
// imported (or the entity descriptions used) and the relation extractor run from here, off
// the GUI thread with progress and cancel; training the extractor is a job in the Training
// tab's queue (live charts, pause/cancel, run history); candidate triples are listed by score
// with their evidence sentence, both mentions highlighted. A person accepts (A), rejects (R)
// or edits head, relation and tail before accepting, one row at a time with the keyboard or
// in bulk above a score. Decisions are undoable edits (ProjectEditor).
#pragma once

#include <QWidget>
#include <memory>

#include "candidate_worker.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTextBrowser;

namespace kg {
class Project;
}

namespace kgw {

class JobFollower;
class ProjectEditor;
class TrainingPanel;

class CandidatesPanel : public QWidget {
    Q_OBJECT
public:
    explicit CandidatesPanel(ProjectEditor* editor, QWidget* parent = nullptr);
    void setProject(std::shared_ptr<kg::Project> project);
    // The queue extractor training runs in (required before train()).
    void setTrainingQueue(TrainingPanel* queue);
    void refresh();
    void importDocuments(const QStringList& files, bool descriptions = false);
    void train();
    void extract();
    // Decisions on the selected candidate (edits from the head/relation/tail fields apply).
    void acceptSelected();
    void rejectSelected();
    void acceptAbove();

    QTableWidget* table() const { return table_; }
    QTextBrowser* evidence() const { return evidence_; }
    QLabel* status() const { return status_; }
    QComboBox* statusFilter() const { return filter_; }
    QLineEdit* headEdit() const { return head_; }
    QLineEdit* tailEdit() const { return tail_; }
    QComboBox* relationBox() const { return relation_; }
    QSpinBox* epochsBox() const { return epochs_; }
    QDoubleSpinBox* minScoreBox() const { return minScore_; }
    QPushButton* cancelButton() const { return cancel_; }

Q_SIGNALS:
    void listShown();
    void jobFinished(bool ok, const QString& summary);

private:
    void onListed(const CandidatePage& page);
    void showCandidate(int row);
    void setBusy(bool busy, const QString& text = {});
    void afterDecision(int row);

    std::shared_ptr<kg::Project> project_;
    ProjectEditor* editor_;
    CandidateWorker* worker_;
    TrainingPanel* queue_ = nullptr;
    JobFollower* training_; // the extractor training this panel started, in queue_
    quint64 token_ = 0;
    QList<CandidateRow> rows_;
    QLabel* status_;
    QComboBox* filter_;
    QDoubleSpinBox* listMin_;
    QSpinBox* epochs_;
    QComboBox* run_;
    QComboBox* kge_;
    QDoubleSpinBox* minScore_;
    QDoubleSpinBox* bulkMin_;
    QPushButton* importDocs_;
    QPushButton* descriptions_;
    QPushButton* train_;
    QPushButton* extract_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QTableWidget* table_;
    QTextBrowser* evidence_;
    QLineEdit* head_;
    QComboBox* relation_;
    QLineEdit* tail_;
    QPushButton* accept_;
    QPushButton* reject_;
    QPushButton* bulk_;
};

} // namespace kgw
