// TrainingPanel's exports: curves as CSV (on the history worker), both charts as one PNG, and
// a run's entity embeddings for TensorBoard's projector (on the history worker, with progress
// and cancel). Split from training_panel.cpp, which holds the jobs, charts and run history.
#include <QChartView>
#include <QImage>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QLabel>
#include <algorithm>

#include "training_panel.h"
#include "store/project.h"

namespace kgw {

void TrainingPanel::exportCurvesCsv(const QList<qint64>& runIds, const QString& path)
{
    if (!project_)
        return;
    history_->exportCurves(this, project_->path(), runIds, path, [this](RunHistoryReader::Written w) {
        if (!w.error.isEmpty())
            status_->setText(w.error);
        Q_EMIT exportFinished(w.error);
    });
}

bool TrainingPanel::exportChartPng(const QString& path) const
{
    const QPixmap a = lossView_->grab(), b = validView_->grab();
    QImage image(a.width() + b.width(), std::max(a.height(), b.height()), QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.drawPixmap(0, 0, a);
    p.drawPixmap(a.width(), 0, b);
    p.end();
    return image.save(path, "PNG");
}

void TrainingPanel::exportEmbeddings(qint64 runId, const QString& dir)
{
    if (!project_ || exportCancel_)
        return;
    exportCancel_ = std::make_shared<kg::CancelToken>();
    embed_->setText(tr("Cancel Export"));
    updateButtons();
    status_->setText(tr("Exporting the embeddings of run %1…").arg(runId));
    const auto cancel = exportCancel_;
    history_->exportEmbeddings(
        this, project_->path(), runId, dir, cancel,
        [this, runId, cancel](qint64 done, qint64 total) {
            if (cancel != exportCancel_ || cancel->cancelled())
                return;
            status_->setText(tr("Exporting the embeddings of run %1… %2 of %3 entities")
                                 .arg(runId)
                                 .arg(QLocale().toString(done), QLocale().toString(total)));
            Q_EMIT exportProgress(done, total);
        },
        [this, dir, cancel](RunHistoryReader::Written w) {
            if (cancel == exportCancel_) {
                exportCancel_.reset();
                embed_->setText(tr("Export Embeddings…"));
                updateButtons();
            }
            const QString error = w.cancelled ? tr("Export cancelled; nothing was written.") : w.error;
            status_->setText(error.isEmpty() ? tr("Embeddings written to %1").arg(dir) : error);
            Q_EMIT exportFinished(error);
        });
}

void TrainingPanel::cancelExport()
{
    if (exportCancel_)
        exportCancel_->cancel();
}

} // namespace kgw
