// "Ask the graph": a question in words gives ranked answers from a trained chain reasoner
// (ml/qa.h), each with the relation path that reached it and a walk of it (highlighted in the
// graph view), the hops' attention over the question's words (which words chose which
// relation), and the close alternative paths. A person corrects the model by naming the topic
// entity or by choosing an alternative path, and asks again. Questions are imported from here
// off the GUI thread, and the reasoner trained as a job in the Training tab's queue (live
// charts, pause, cancel, run history), with its progress shown here too.
#pragma once

#include <QWidget>
#include <memory>

#include "ask_worker.h"
#include "run_history_reader.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace kg {
class Project;
}

namespace kgw {

class JobFollower;
class TrainingPanel;

class AskPanel : public QWidget {
    Q_OBJECT
public:
    explicit AskPanel(QWidget* parent = nullptr);
    void setProject(std::shared_ptr<kg::Project> project);
    // The queue training runs in (required before train()).
    void setTrainingQueue(TrainingPanel* queue);
    // The project's qa runs with a kept model, read on a worker; listsShown when they land.
    void refreshModels();
    // Asks `question`; topic 0 = link from the text; path = fixed first hops.
    void ask(const QString& question, qint64 topic = 0, const QList<qint64>& path = {});
    void importQuestions(const QString& file);
    void train();

    QLineEdit* questionEdit() const { return question_; }
    QLineEdit* topicEdit() const { return topic_; }
    QTableWidget* answers() const { return answers_; }
    QTableWidget* hops() const { return hops_; }
    QTableWidget* alternatives() const { return alternatives_; }
    QLabel* status() const { return status_; }
    QComboBox* modelBox() const { return model_; }
    QComboBox* completionBox() const { return completion_; }
    QComboBox* encoderBox() const { return encoder_; }
    QPushButton* trainButton() const { return train_; }
    QPushButton* cancelButton() const { return cancel_; }
    QSpinBox* epochsBox() const { return epochs_; }

Q_SIGNALS:
    void answersShown();
    void listsShown();
    void jobFinished(bool ok);
    void highlightRequested(const QList<qint64>& triples);

private:
    void onAnswered(const AskResult& r);
    void showAnswer(int row);
    void askFromForm();
    void jobEnded(bool ok, const QString& summary);
    void resetLists(); // the boxes as for a project without runs
    void showLists(const RunHistoryReader::Runs& read);
    TrainingPanel* queue_ = nullptr;
    JobFollower* training_ = nullptr; // the qa training this panel started, in queue_

    std::shared_ptr<kg::Project> project_;
    AskWorker* worker_;
    quint64 token_ = 0;
    AskResult shown_;
    QLineEdit *question_, *topic_;
    QComboBox *model_, *completion_;
    QComboBox* encoder_; // the question encoder to train: -1 words, 0 words + pieces, else a transformer run
    QPushButton *ask_, *import_, *train_, *cancel_;
    QSpinBox* epochs_;
    QCheckBox* weak_;
    QProgressBar* progress_;
    QLabel* status_;
    QTableWidget *answers_, *hops_, *alternatives_;
    quint64 listsToken_ = 0; // a later read or another project drops earlier lists
    std::unique_ptr<RunHistoryReader> history_; // last: its worker joins before the rest goes
};

} // namespace kgw
