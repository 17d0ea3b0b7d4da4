#!/usr/bin/python3
"""Reference for bench_train: a straightforward python3-torch ComplEx, BCE loss, Adam, with
uniform negatives either per positive (CHUNK 1: gathered to [B, K, D]) or shared by chunks of
CHUNK positives (C = B / CHUNK sets of K entities scored with one batched GEMM, as LibKGE,
DGL-KE and kgwb do; head or tail corruption by a coin per positive). Prints seconds per step.
Usage: bench_train_ref.py TRAIN_TSV STEPS BATCH NEGATIVES DIM THREADS [CHUNK]"""
import sys
import time

import torch

train_path, steps, batch, k, dim, threads = sys.argv[1], *map(int, sys.argv[2:7])
chunk = int(sys.argv[7]) if len(sys.argv) > 7 else 1
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
    corrupt_head = torch.rand(batch) < 0.5
    pos = score(h, r, t)
    if chunk <= 1:
        neg_e = ent[torch.randint(0, E, (batch, k))]  # [B, K, D]
        neg_tail = score(h.unsqueeze(1), r.unsqueeze(1), neg_e)
        neg_head = score(neg_e, r.unsqueeze(1), t.unsqueeze(1))
    else:
        c = batch // chunk
        neg_e = ent[torch.randint(0, E, (c * k,))].view(c, k, dim)  # C shared sets
        hr, hi, rr, ri = h[:, :half], h[:, half:], r[:, :half], r[:, half:]
        tr, ti = t[:, :half], t[:, half:]
        q_tail = torch.cat([hr * rr - hi * ri, hr * ri + hi * rr], 1).view(c, chunk, dim)
        q_head = torch.cat([rr * tr + ri * ti, rr * ti - ri * tr], 1).view(c, chunk, dim)
        neg_tail = torch.bmm(q_tail, neg_e.transpose(1, 2)).reshape(batch, k)
        neg_head = torch.bmm(q_head, neg_e.transpose(1, 2)).reshape(batch, k)
    neg_score = torch.where(corrupt_head.unsqueeze(1), neg_head, neg_tail)
    loss = (torch.nn.functional.softplus(-pos) + torch.nn.functional.softplus(neg_score).mean(1)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"{(time.perf_counter() - start) / steps:.6f} {n}")
