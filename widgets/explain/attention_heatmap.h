// Heatmap of one attention map (query tokens down, key tokens across), with layer and head
// selectors and an "average of all heads" view, in the style of bertviz's head view. The [MASK]
// row, whose output ranks the answers, is outlined; so is the column of a marked token (the
// context fact chosen in the Explain tab); hovering a cell names both tokens and gives the
// weight shown.
#pragma once

#include <QWidget>

#include "ml/text_model.h"

class QComboBox;

namespace kgw {

class HeatmapCanvas;

class AttentionHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit AttentionHeatmap(QWidget* parent = nullptr);
    void setMaps(const kg::ml::AttentionMaps& maps);
    void clear();
    // -1 = average over heads (or layers).
    void select(int layer, int head);
    // The matrix currently shown, T x T row-major (rows sum to 1).
    std::vector<float> shownMatrix() const;
    const kg::ml::AttentionMaps& maps() const { return maps_; }
    // Outlines the column of input token `token` (what every token attends to it); -1: none.
    // setMaps() clears it.
    void markToken(int token);
    int markedToken() const { return marked_; }
    // What a cell's tooltip says: "[MASK] attends to born in: Warsaw: 0.183" (the weight shown).
    QString cellText(int query, int key) const;

private:
    kg::ml::AttentionMaps maps_;
    int marked_ = -1;
    QComboBox *layer_, *head_;
    HeatmapCanvas* canvas_;
};

} // namespace kgw
