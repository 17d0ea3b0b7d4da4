#!/usr/bin/python3
"""Reference for bench_train: a straightforward python3-torch ComplEx, BCE loss, Adam, with
uniform negatives either per positive (CHUNK 1: gathered to [B, K, D]) or shared by chunks of
CHUNK positives (C = B / CHUNK sets of K entities scored with one batched GEMM, as LibKGE,
DGL-KE and kgwb do; head or tail corruption by a coin per positive). Prints seconds per step.
With --to-mrr M: trains whole epochs (each a fresh shuffle, full batches) and after each one
evaluates filtered MRR (head and tail queries, filtered by train + valid + test) on VALID; stops
when it reaches M or after --max-epochs. Prints the training seconds it took (validation not
counted; -1 if never reached), the epochs and the last MRR. --lr sets Adam's learning rate
(0.001); CHUNK 0 trains 1-vs-all instead: cross-entropy of the true tail over every entity and
of the true head likewise, averaged (kgwb's default mode).
Usage: bench_train_ref.py TRAIN_TSV STEPS BATCH NEGATIVES DIM THREADS [CHUNK]
                          [--to-mrr M --max-epochs N --valid VALID_TSV --test TEST_TSV] [--lr LR]"""
import sys
import time

import torch

args = sys.argv[1:]
flags = {}
while len(args) >= 2 and args[-2].startswith("--"):
    flags[args[-2]] = args[-1]
    args = args[:-2]
train_path, steps, batch, k, dim, threads = args[0], *map(int, args[1:6])
chunk = int(args[6]) if len(args) > 6 else 1
torch.set_num_threads(threads)
torch.manual_seed(0)
ents, rels = {}, {}


def read(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            h, r, t = line.rstrip("\n").split("\t")
            rows.append((ents.setdefault(h, len(ents)), rels.setdefault(r, len(rels)), ents.setdefault(t, len(ents))))
    return rows


rows = read(train_path)
if "--to-mrr" in flags:  # every entity gets a row, as in kgwb, whichever split names it
    valid, test = read(flags["--valid"]), read(flags["--test"])
triples = torch.tensor(rows)
E, R, n = len(ents), len(rels), len(rows)
ent = torch.nn.Parameter(torch.empty(E, dim))
rel = torch.nn.Parameter(torch.empty(R, dim))
torch.nn.init.xavier_normal_(ent)
torch.nn.init.xavier_normal_(rel)
opt = torch.optim.Adam([ent, rel], lr=float(flags.get("--lr", 0.001)))
half = dim // 2


def score(h, r, t):  # ComplEx: Re(<h, r, conj t>) over [re | im] halves; broadcasts
    hr, hi = h[..., :half], h[..., half:]
    rr, ri = r[..., :half], r[..., half:]
    tr, ti = t[..., :half], t[..., half:]
    return ((hr * rr - hi * ri) * tr + (hr * ri + hi * rr) * ti).sum(-1)


def train_step(b):
    h, r, t = ent[b[:, 0]], rel[b[:, 1]], ent[b[:, 2]]
    if chunk == 0:  # 1-vs-all
        hr, hi, rr, ri = h[:, :half], h[:, half:], r[:, :half], r[:, half:]
        tr, ti = t[:, :half], t[:, half:]
        q_tail = torch.cat([hr * rr - hi * ri, hr * ri + hi * rr], 1)
        q_head = torch.cat([rr * tr + ri * ti, rr * ti - ri * tr], 1)
        ce = torch.nn.functional.cross_entropy
        loss = 0.5 * (ce(q_tail @ ent.t(), b[:, 2]) + ce(q_head @ ent.t(), b[:, 0]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return
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


def filtered_mrr(split, known):
    """Mean reciprocal rank over tail queries (h, r, ?) and head queries (?, r, t); the other
    known answers of a query are taken out; rank = 1 + entities scoring higher."""
    by_query = {}
    for h, r, t in known:
        by_query.setdefault((0, h, r), []).append(t)
        by_query.setdefault((1, t, r), []).append(h)
    total, count = 0.0, 0
    with torch.no_grad():
        for side in (0, 1):
            for i in range(0, len(split), 512):
                b = torch.tensor(split[i:i + 512])
                given, r, answer = (b[:, 0], b[:, 1], b[:, 2]) if side == 0 else (b[:, 2], b[:, 1], b[:, 0])
                g, rv = ent[given], rel[r]
                gr, gi, rr, ri = g[:, :half], g[:, half:], rv[:, :half], rv[:, half:]
                if side == 0:  # score(h, r, x) = <h*r, conj x>
                    q = torch.cat([gr * rr - gi * ri, gr * ri + gi * rr], 1)
                else:  # score(x, r, t) = <x, r*conj... > rearranged for the head
                    q = torch.cat([rr * gr + ri * gi, rr * gi - ri * gr], 1)
                scores = q @ ent.t()
                target = scores[torch.arange(len(b)), answer].clone()
                for j, (gg, rr_) in enumerate(zip(given.tolist(), r.tolist())):
                    scores[j, by_query[(side, gg, rr_)]] = float("-inf")
                rank = (scores > target.unsqueeze(1)).sum(1) + 1
                total += (1.0 / rank.double()).sum().item()
                count += len(b)
    return total / count


if "--to-mrr" in flags:
    goal, max_epochs = float(flags["--to-mrr"]), int(flags["--max-epochs"])
    known = rows + valid + test
    seconds, mrr, epoch = 0.0, 0.0, 0
    while epoch < max_epochs and mrr < goal:
        start = time.perf_counter()
        order = torch.randperm(n)
        for s in range(n // batch):
            train_step(triples[order[s * batch:(s + 1) * batch]])
        seconds += time.perf_counter() - start
        epoch += 1
        mrr = filtered_mrr(valid, known)
        print(f"epoch {epoch}: {seconds:.1f} s training, valid MRR {mrr:.4f}", file=sys.stderr, flush=True)
    print(f"{seconds if mrr >= goal else -1:.2f} {epoch} {mrr:.4f}")
    sys.exit(0)

order = torch.randperm(n)
start = None
for step in range(steps + 2):
    if step == 2:
        start = time.perf_counter()  # skip warm-up steps
    idx = order[(step * batch) % (n - batch):][:batch]
    train_step(triples[idx])
print(f"{(time.perf_counter() - start) / steps:.6f} {n}")
