#include "start_page.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace kgw {

StartPage::StartPage(QWidget* parent)
    : QWidget(parent)
    , recent_(new QListWidget(this))
{
    setObjectName(QStringLiteral("startPage"));
    auto* title = new QLabel(tr("<h2>KG Workbench</h2>"
                                "<p>Build, visualise and probe knowledge graphs with models.</p>"),
                             this);
    title->setWordWrap(true);

    auto button = [this](const QString& text, const QString& detail, const char* name) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(QString::fromLatin1(name));
        b->setToolTip(detail);
        b->setMinimumHeight(36);
        return b;
    };
    auto* demo = button(tr("Open the Demo Graph"), tr("Scientists, places, institutions and awards: a small "
                                                      "graph to try the explorer, training and explanations on"),
                        "startDemo");
    auto* create = button(tr("New Project…"), tr("An empty project file"), "startNew");
    auto* importFiles = button(tr("New Project from Files…"),
                               tr("A new project, then import triples (TSV/CSV, N-Triples, Turtle; gzip)"),
                               "startImport");
    auto* open = button(tr("Open Project…"), tr("A .kgwb project file"), "startOpen");
    connect(demo, &QPushButton::clicked, this, &StartPage::demoRequested);
    connect(create, &QPushButton::clicked, this, &StartPage::newProjectRequested);
    connect(importFiles, &QPushButton::clicked, this, &StartPage::importRequested);
    connect(open, &QPushButton::clicked, this, &StartPage::openProjectRequested);

    auto* actions = new QVBoxLayout;
    actions->addWidget(new QLabel(tr("<b>Start</b>"), this));
    for (auto* b : {demo, create, importFiles, open})
        actions->addWidget(b);
    actions->addStretch(1);

    recent_->setObjectName(QStringLiteral("recentProjects"));
    recent_->setAlternatingRowColors(true);
    connect(recent_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        if (item->flags() & Qt::ItemIsEnabled)
            Q_EMIT recentChosen(item->data(Qt::UserRole).toString());
    });
    auto* recentBox = new QVBoxLayout;
    recentBox->addWidget(new QLabel(tr("<b>Recent projects</b>"), this));
    recentBox->addWidget(recent_, 1);

    auto* columns = new QHBoxLayout;
    columns->addLayout(actions, 2);
    columns->addSpacing(24);
    columns->addLayout(recentBox, 3);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(48, 32, 48, 32);
    outer->addWidget(title);
    outer->addSpacing(12);
    outer->addLayout(columns, 1);
    setRecentProjects({});
}

void StartPage::setRecentProjects(const QStringList& paths)
{
    recent_->clear();
    for (const QString& path : paths) {
        const QFileInfo info(path);
        auto* item = new QListWidgetItem(info.fileName() + QStringLiteral("  —  ") + info.absolutePath(), recent_);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
        if (!info.exists()) {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setText(tr("%1 (missing)").arg(item->text()));
        }
    }
    if (paths.isEmpty()) {
        auto* none = new QListWidgetItem(tr("No recent projects yet"), recent_);
        none->setFlags(Qt::NoItemFlags);
    }
}

} // namespace kgw
