// The bundled demo knowledge graph (resources/demo): scientists, places, institutions,
// fields and awards, with labels and descriptions.
#pragma once

#include <QString>

namespace kgapp {

// Creates (or reuses, if it already holds the demo) a project at `path` with the demo graph.
// Runs the import synchronously: the demo is ~160 triples and imports in milliseconds.
// Throws kg::Error on failure.
void ensureDemoProject(const QString& path);

// Default location: <AppDataLocation>/demo.kgwb
QString defaultDemoPath();

} // namespace kgapp
