// The GUI's QApplication: an exception that escapes a slot or event handler on the GUI thread
// (kg::Error, c10::Error, any std::exception) becomes a warning dialog and a stderr line
// instead of std::terminate. Worker threads catch their own (see widgets/*_worker.cpp); this
// is the net under every GUI-thread slot.
#pragma once

#include <QApplication>

namespace kgapp {

class GuardedApplication : public QApplication {
    Q_OBJECT
public:
    GuardedApplication(int& argc, char** argv);
    bool notify(QObject* receiver, QEvent* event) override;
    // For tests and headless runs: no dialog, only the signal and stderr.
    void setDialogsEnabled(bool on) { dialogs_ = on; }

Q_SIGNALS:
    void errorCaught(const QString& message);

private:
    void report(const QString& message);
    bool dialogs_ = true;
    bool showing_ = false; // one dialog at a time; later errors go to stderr and the signal
};

} // namespace kgapp
