// What the window shows while no project is open: the first steps (new project, open, the
// demo graph) and the recent projects, newest first. It only emits requests; the window acts.
#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

namespace kgw {

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent = nullptr);

    // Recent project paths, newest first; those whose file is gone are shown disabled.
    void setRecentProjects(const QStringList& paths);
    QListWidget* recentList() const { return recent_; }

Q_SIGNALS:
    void newProjectRequested();
    void openProjectRequested();
    void demoRequested();
    void importRequested();   // a new project, then the import wizard
    void recentChosen(const QString& path);

private:
    QListWidget* recent_;
};

} // namespace kgw
