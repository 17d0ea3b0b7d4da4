#include "demo_project.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include "core/error.h"
#include "import/importer.h"
#include "qt_convert.h"
#include "store/project.h"

namespace kgapp {

QString defaultDemoPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + QStringLiteral("/demo.kgwb");
}

void ensureDemoProject(const QString& path)
{
    auto project = kg::Project::open(kgw::ss(path));
    if (project->stats().triples > 0)
        return;
    // The engine reads files, so copy the embedded resources out first.
    QTemporaryDir tmp;
    if (!tmp.isValid())
        throw kg::Error(kg::Errc::Io, "cannot create a temporary directory for the demo data");
    kg::import::ImportRequest req;
    for (const char* name : {"demo_triples.tsv", "demo_labels.tsv"}) {
        const QString target = tmp.filePath(QString::fromLatin1(name));
        if (!QFile::copy(QStringLiteral(":/demo/") + QString::fromLatin1(name), target))
            throw kg::Error(kg::Errc::Io, std::string("cannot extract demo file ") + name);
        if (std::string(name) == "demo_labels.tsv")
            req.labelFiles.push_back(kgw::ss(target));
        else
            req.tripleFiles.emplace_back(kgw::ss(target));
    }
    kg::import::runImport(*project, req);
}

} // namespace kgapp
