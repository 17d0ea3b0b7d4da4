// Helpers for the widget tests.
#pragma once

#include <QString>
#include <QTableWidget>

namespace kgtest {

// Whether any cell of the table contains `text`.
inline bool tableContains(const QTableWidget* table, const QString& text)
{
    for (int r = 0; r < table->rowCount(); ++r)
        for (int c = 0; c < table->columnCount(); ++c)
            if (table->item(r, c) && table->item(r, c)->text().contains(text))
                return true;
    return false;
}

} // namespace kgtest
