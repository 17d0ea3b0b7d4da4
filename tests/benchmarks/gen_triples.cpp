// Writes N pseudo-random triples (TSV) over E entities and R relations, deterministically,
// for import benchmarks: gen_triples N E R > file.tsv
#include <cstdint>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: gen_triples N ENTITIES RELATIONS > out.tsv\n");
        return 2;
    }
    const uint64_t n = std::strtoull(argv[1], nullptr, 10);
    const uint64_t e = std::strtoull(argv[2], nullptr, 10);
    const uint64_t r = std::strtoull(argv[3], nullptr, 10);
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    auto next = [&] { // xorshift64*
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        return x * 0x2545F4914F6CDD1DULL;
    };
    static char buf[1 << 16];
    std::setvbuf(stdout, buf, _IOFBF, sizeof buf);
    for (uint64_t i = 0; i < n; ++i)
        std::printf("/e/%llu\t/rel/%llu\t/e/%llu\n", static_cast<unsigned long long>(next() % e),
                    static_cast<unsigned long long>(next() % r), static_cast<unsigned long long>(next() % e));
    return 0;
}
