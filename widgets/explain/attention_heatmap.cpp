#include "attention_heatmap.h"

#include <QComboBox>
#include <QHelpEvent>
#include <QLocale>
#include <QToolTip>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include "qt_convert.h"

namespace kgw {

class HeatmapCanvas : public QWidget {
public:
    explicit HeatmapCanvas(AttentionHeatmap* owner)
        : QWidget(owner)
        , owner_(owner)
    {
        setMinimumSize(260, 220);
    }
    // answer: the row of the [MASK] token, outlined; marked: a token's column, outlined (-1: none).
    void set(QStringList tokens, std::vector<float> m, int answer, int marked)
    {
        tokens_ = std::move(tokens);
        matrix_ = std::move(m);
        answer_ = answer;
        marked_ = marked;
        update();
    }
    // The cell under a point: (query, key), or (-1, -1).
    std::pair<int, int> cellAt(const QPoint& pos) const
    {
        const int T = static_cast<int>(tokens_.size());
        if (T == 0 || side_ <= 0 || pos.x() < label_ || pos.y() < label_)
            return {-1, -1};
        const int k = (pos.x() - label_) / side_, q = (pos.y() - label_) / side_;
        return q < T && k < T ? std::pair(q, k) : std::pair(-1, -1);
    }

protected:
    bool event(QEvent* e) override
    {
        if (e->type() == QEvent::ToolTip) {
            auto* help = static_cast<QHelpEvent*>(e);
            const auto [q, k] = cellAt(help->pos());
            if (q >= 0)
                QToolTip::showText(help->globalPos(), owner_->cellText(q, k), this);
            else
                QToolTip::hideText();
            return true;
        }
        return QWidget::event(e);
    }

    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.fillRect(rect(), palette().base());
        const int T = static_cast<int>(tokens_.size());
        if (T == 0) {
            p.drawText(rect(), Qt::AlignCenter, AttentionHeatmap::tr("No attention to show yet."));
            return;
        }
        QFont bold = font();
        bold.setBold(true);
        int label = 0;
        for (const QString& t : tokens_)
            label = std::max(label, QFontMetrics(bold).horizontalAdvance(t));
        label = std::min(label + 8, width() / 3);
        const int side = std::max(4, std::min((width() - label - 4) / T, (height() - label - 4) / T));
        label_ = label, side_ = side;
        const QPoint origin(label, label);
        const float lo = *std::min_element(matrix_.begin(), matrix_.end());
        const float span = std::max(1e-6f, *std::max_element(matrix_.begin(), matrix_.end()) - lo);
        for (int q = 0; q < T; ++q)
            for (int k = 0; k < T; ++k) {
                // Scaled from the smallest to the largest weight shown, so diffuse maps stay readable.
                const float w = (matrix_[static_cast<size_t>(q * T + k)] - lo) / span;
                const int shade = 255 - static_cast<int>(std::clamp(w, 0.0f, 1.0f) * 225);
                p.fillRect(QRect(origin + QPoint(k * side, q * side), QSize(side - 1, side - 1)),
                           QColor(shade, shade, 255));
            }
        if (answer_ >= 0 && answer_ < T) { // the row whose output ranks the answers
            p.setPen(QPen(QColor(200, 60, 30), 2));
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRect(origin + QPoint(-1, answer_ * side - 1), QSize(T * side + 1, side + 1)));
        }
        if (marked_ >= 0 && marked_ < T) { // the chosen context fact's column
            p.setPen(QPen(QColor(20, 140, 60), 2));
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRect(origin + QPoint(marked_ * side - 1, -1), QSize(side + 1, T * side + 1)));
        }
        p.setPen(palette().text().color());
        for (int i = 0; i < T; ++i) {
            p.setFont(i == answer_ || i == marked_ ? bold : font());
            const QFontMetrics fm(p.font());
            p.drawText(QRect(0, origin.y() + i * side, label - 4, side), Qt::AlignRight | Qt::AlignVCenter,
                       fm.elidedText(tokens_[i], Qt::ElideRight, label - 4));
            p.save();
            p.translate(origin.x() + i * side + side / 2 + 4, label - 4);
            p.rotate(-90);
            p.drawText(QRect(0, -side / 2, label - 4, side), Qt::AlignLeft | Qt::AlignVCenter,
                       fm.elidedText(tokens_[i], Qt::ElideRight, label - 4));
            p.restore();
        }
    }

private:
    AttentionHeatmap* owner_;
    QStringList tokens_;
    std::vector<float> matrix_;
    int answer_ = -1, marked_ = -1;
    mutable int label_ = 0, side_ = 0; // as last painted, for cellAt()
};

AttentionHeatmap::AttentionHeatmap(QWidget* parent)
    : QWidget(parent)
    , layer_(new QComboBox(this))
    , head_(new QComboBox(this))
    , canvas_(new HeatmapCanvas(this))
{
    auto* layout = new QVBoxLayout(this);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Layer:"), this));
    row->addWidget(layer_);
    row->addWidget(new QLabel(tr("Head:"), this));
    row->addWidget(head_);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(canvas_, 1);
    setToolTip(tr("Row: the token that attends; column: the token attended to. Darker = more attention "
                  "(scaled between the smallest and largest weight shown). The outlined row is [MASK], "
                  "whose output is scored against every entity to rank the answers."));
    auto refresh = [this] { select(layer_->currentData().toInt(), head_->currentData().toInt()); };
    connect(layer_, &QComboBox::activated, this, refresh);
    connect(head_, &QComboBox::activated, this, refresh);
}

void AttentionHeatmap::clear()
{
    maps_ = {};
    marked_ = -1;
    layer_->clear();
    head_->clear();
    canvas_->set({}, {}, -1, -1);
}

void AttentionHeatmap::markToken(int token)
{
    marked_ = token >= 0 && token < static_cast<int>(maps_.tokens.size()) ? token : -1;
    select(layer_->currentData().toInt(), head_->currentData().toInt());
}

void AttentionHeatmap::setMaps(const kg::ml::AttentionMaps& maps)
{
    maps_ = maps;
    marked_ = -1;
    layer_->clear();
    head_->clear();
    layer_->addItem(tr("average"), -1);
    for (int l = 0; l < maps.layers; ++l)
        layer_->addItem(QString::number(l + 1), l);
    head_->addItem(tr("average"), -1);
    for (int h = 0; h < maps.heads; ++h)
        head_->addItem(QString::number(h + 1), h);
    layer_->setCurrentIndex(maps.layers); // last layer
    head_->setCurrentIndex(0);            // averaged over heads
    select(maps.layers - 1, -1);
}

std::vector<float> AttentionHeatmap::shownMatrix() const
{
    const int T = static_cast<int>(maps_.tokens.size());
    std::vector<float> m(static_cast<size_t>(T * T), 0.0f);
    if (T == 0)
        return m;
    const int layer = layer_->currentData().toInt(), head = head_->currentData().toInt();
    int count = 0;
    for (int l = 0; l < maps_.layers; ++l) {
        if (layer >= 0 && l != layer)
            continue;
        for (int h = 0; h < maps_.heads; ++h) {
            if (head >= 0 && h != head)
                continue;
            ++count;
            for (int q = 0; q < T; ++q)
                for (int k = 0; k < T; ++k)
                    m[static_cast<size_t>(q * T + k)] += maps_.at(l, h, q, k);
        }
    }
    for (float& v : m)
        v /= static_cast<float>(std::max(1, count));
    return m;
}

void AttentionHeatmap::select(int layer, int head)
{
    layer_->setCurrentIndex(layer_->findData(layer));
    head_->setCurrentIndex(head_->findData(head));
    QStringList tokens;
    for (const auto& t : maps_.tokens)
        tokens << qs(t);
    canvas_->set(tokens, shownMatrix(), maps_.answerToken, marked_);
}

QString AttentionHeatmap::cellText(int query, int key) const
{
    const int T = static_cast<int>(maps_.tokens.size());
    if (query < 0 || key < 0 || query >= T || key >= T)
        return {};
    const std::vector<float> m = shownMatrix();
    return tr("%1 attends to %2: %3")
        .arg(qs(maps_.tokens[static_cast<size_t>(query)]), qs(maps_.tokens[static_cast<size_t>(key)]))
        .arg(QLocale().toString(static_cast<double>(m[static_cast<size_t>(query * T + key)]), 'f', 3));
}

} // namespace kgw
