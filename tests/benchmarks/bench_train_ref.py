#!/usr/bin/python3
"""Reference for bench_train: a straightforward python3-torch ComplEx with per-positive
uniform negatives (gathered to [B, K, D]), BCE loss, Adam. Prints seconds per step.
Usage: bench_train_ref.py TRAIN_TSV STEPS BATCH NEGATIVES DIM THREADS"""
import sys
import time

import torch

train_path, steps, batch, k, dim, threads = sys.argv[1], *map(int, sys.argv[2:])
torch.set_num_threads(threads)
torch.manual_seed(0)
ents, rels, rows = {}, {}, []
with open(train_path, encoding="utf-8") as f:
    for line in f:
        h, r, t = line.rstrip("\n").split("\t")
        rows.append((ents.setdefault(h, len(ents)), rels.setdefault(r, len(rels)), ents.setdefault(t, len(ents))))
triples = torch.tensor(rows)
E, R, n = len(ents), len(rels), len(rows)
ent = torch.nn.Parameter(torch.empty(E, dim))
rel = torch.nn.Parameter(torch.empty(R, dim))
torch.nn.init.xavier_normal_(ent)
torch.nn.init.xavier_normal_(rel)
opt = torch.optim.Adam([ent, rel], lr=0.001)
half = dim // 2


def score(h, r, t):  # ComplEx: Re(<h, r, conj t>) over [re | im] halves; broadcasts
    hr, hi = h[..., :half], h[..., half:]
    rr, ri = r[..., :half], r[..., half:]
    tr, ti = t[..., :half], t[..., half:]
    return ((hr * rr - hi * ri) * tr + (hr * ri + hi * rr) * ti).sum(-1)


order = torch.randperm(n)
start = None
for step in range(steps + 2):
    if step == 2:
        start = time.perf_counter()  # skip warm-up steps
    idx = order[(step * batch) % (n - batch):][:batch]
    b = triples[idx]
    h, r, t = ent[b[:, 0]], rel[b[:, 1]], ent[b[:, 2]]
    neg = torch.randint(0, E, (batch, k))
    corrupt_head = torch.rand(batch) < 0.5
    pos = score(h, r, t)
    neg_e = ent[neg]  # [B, K, D]
    neg_tail = score(h.unsqueeze(1), r.unsqueeze(1), neg_e)
    neg_head = score(neg_e, r.unsqueeze(1), t.unsqueeze(1))
    neg_score = torch.where(corrupt_head.unsqueeze(1), neg_head, neg_tail)
    loss = (torch.nn.functional.softplus(-pos) + torch.nn.functional.softplus(neg_score).mean(1)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"{(time.perf_counter() - start) / steps:.6f} {n}")
