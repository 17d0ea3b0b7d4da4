// Graphviz layouts in a helper process (kgwb-layout, which links Graphviz but not LibTorch).
//
// Why: LibTorch's Debian dependency chain loads librttopo, whose exported normalize()
// interposes the function of the same name inside Graphviz's neato/fdp plugin, so fdp
// crashes in any process that links LibTorch. The GUI links LibTorch; its layouts run here.
// A helper process also makes cancellation real: the child is killed at once.
#pragma once

#include <string>

#include "core/cancel.h"
#include "layout/graph_layout.h"

namespace kg::layout {

// Text protocol on the helper's stdin: "KGI2 <algorithm> <nodes> <edges>\n", then one
// "id width height pinned [x y]" line per node and one "id from to" line per edge. Output: serialize().
std::string serializeInput(const LayoutInput& input);
LayoutInput deserializeInput(const std::string& text); // throws Error(Format)

// The helper's path: $KGWB_LAYOUT_HELPER, <exe dir>/kgwb-layout, or the build tree's.
// Empty if none is found.
std::string layoutHelperPath();

// Runs the layout in the helper. Throws Error(Cancelled) (the child is killed),
// Error(Library) if the helper fails, Error(NotFound) if there is no helper.
LayoutResult computeLayoutIsolated(const LayoutInput& input, const CancelToken* cancel = nullptr);

} // namespace kg::layout
