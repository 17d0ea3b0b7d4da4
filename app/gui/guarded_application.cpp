#include "guarded_application.h"

#include <QMessageBox>
#include <QMetaObject>
#include <cstdio>

#include "core/error.h"

namespace kgapp {

GuardedApplication::GuardedApplication(int& argc, char** argv)
    : QApplication(argc, argv)
{
}

bool GuardedApplication::notify(QObject* receiver, QEvent* event)
{
    try {
        return QApplication::notify(receiver, event);
    } catch (const kg::Error& e) {
        report(QString::fromUtf8(e.what()));
    } catch (const std::exception& e) { // c10::Error is one
        report(QString::fromUtf8(e.what()));
    } catch (...) {
        report(tr("unknown error"));
    }
    return false;
}

void GuardedApplication::report(const QString& message)
{
    std::fprintf(stderr, "kg-workbench: %s\n", qPrintable(message));
    Q_EMIT errorCaught(message);
    if (!dialogs_ || showing_)
        return;
    // Shown from the event loop, not from inside the failed handler.
    QMetaObject::invokeMethod(
        this,
        [this, message] {
            showing_ = true;
            QMessageBox::warning(activeWindow(), tr("Something went wrong"),
                                 tr("The operation failed and was abandoned; the project is unchanged by it.\n\n%1")
                                     .arg(message));
            showing_ = false;
        },
        Qt::QueuedConnection);
}

} // namespace kgapp
