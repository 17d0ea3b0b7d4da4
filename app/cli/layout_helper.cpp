// kgwb-layout: runs one Graphviz layout. Reads a layout request (layout/layout_process.h) on
// stdin and writes the result on stdout. Links the engine without LibTorch on purpose.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "core/error.h"
#include "layout/layout_process.h"

int main()
{
    try {
        const std::string request((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        const auto result = kg::layout::computeLayout(kg::layout::deserializeInput(request));
        std::cout << kg::layout::serialize(result);
        std::cout.flush();
        return std::cout ? 0 : 1;
    } catch (const kg::Error& e) {
        std::fprintf(stderr, "kgwb-layout: %s\n", e.what());
        return 1;
    }
}
