// Federations of real kgwb processes in tests (tst_federation, tst_federation_models,
// tst_data_parallel): the silos' shared secret, starting and finishing kgwb, and the rings
// graph split into silos.
#pragma once

#include <QProcess>
#include <QTemporaryDir>

#include <memory>

#include "fed/silo_split.h"
#include "store/project.h"
#include "test_util.h"

namespace kgtest {

inline const QString kSalt = QStringLiteral("test-salt-1234");

// Silos get the shared secret in their environment; the coordinator (fed serve) does not.
inline std::unique_ptr<QProcess> start(const QStringList& args)
{
    auto p = std::make_unique<QProcess>();
    p->setProcessChannelMode(QProcess::MergedChannels);
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove("KGWB_FED_SALT");
    if (!args.contains("serve"))
        env.insert("KGWB_FED_SALT", kSalt);
    p->setProcessEnvironment(env);
    p->start(QStringLiteral(KGWB_CLI_PATH), args);
    if (!p->waitForStarted())
        qFatal("kgwb did not start");
    return p;
}

inline int finish(QProcess& p, QString* output, int ms = 180000)
{
    if (!p.waitForFinished(ms)) {
        p.kill();
        p.waitForFinished();
        *output += QString::fromUtf8(p.readAll());
        return -2;
    }
    *output += QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// importRelationRings(dir, n) split into DIR/silos/silo-1..clients.kgwb (FedE protocol).
inline void splitRelationRings(const QTemporaryDir& dir, int clients, int n = 60)
{
    auto project = kg::Project::open(importRelationRings(dir, n), kg::Project::OpenMode::ReadOnly);
    kg::fed::SiloSplitOptions o;
    o.clients = clients;
    kg::fed::splitIntoSilos(*project, s(dir.filePath("silos")), o);
}


} // namespace kgtest
