"""Keywords by jieba's definitions, computed independently of govlens (plain Python),
for the numbers pinned in src/document/textrank.rs and src/stats/keywords.rs.

TextRank (jieba.analyse.textrank): a candidate at position i is linked to each
candidate at positions i+1 .. i+4 (span 5), one unit of weight per meeting; PageRank
with damping 0.85, 10 sweeps over the nodes in term order, each updated in place;
scores scaled as (w - min/10) / (max - min/10).

TF-IDF (jieba.analyse.extract_tags): tf = a candidate's count / all candidates' count
in the document; idf = ln(documents / documents with the term), here from the corpus
itself; score = tf * idf.

    python3 tests/reference/keywords.py
"""
import math
from collections import defaultdict

STOP = {"of", "and"}


def candidate(w):
    return len(w) >= 2 and w not in STOP


def textrank(words, span=5, d=0.85, sweeps=10):
    weight = defaultdict(float)
    for i, w in enumerate(words):
        if not candidate(w):
            continue
        for j in range(i + 1, min(i + span, len(words))):
            if candidate(words[j]):
                weight[tuple(sorted((w, words[j])))] += 1.0
    graph = defaultdict(list)
    for (a, b), x in sorted(weight.items()):
        graph[a].append((b, x))
        graph[b].append((a, x))
    nodes = sorted(graph)
    out = {n: sum(x for _, x in graph[n]) for n in nodes}
    ws = {n: 1.0 / len(nodes) for n in nodes}
    for _ in range(sweeps):
        for n in nodes:
            ws[n] = (1 - d) + d * sum(x / out[m] * ws[m] for m, x in graph[n])
    lo, hi = min(ws.values()), max(ws.values())
    return sorted(((n, (w - lo / 10) / (hi - lo / 10)) for n, w in ws.items()),
                  key=lambda p: (-p[1], p[0])), dict(weight)


def tfidf(docs):
    df = defaultdict(int)
    for doc in docs:
        for w in set(doc):
            df[w] += 1
    result = []
    for doc in docs:
        kept = [w for w in doc if candidate(w)]
        tf = defaultdict(float)
        for w in kept:
            tf[w] += 1
        scores = {w: n / len(kept) * math.log(len(docs) / df[w]) for w, n in tf.items()}
        result.append(sorted(((w, s) for w, s in scores.items() if s > 0),
                             key=lambda p: (-p[1], p[0])))
    return result


words = ("data governance needs data protection governance of data needs rules and rules "
         "need governance of risk").split()
ranked, weight = textrank(words)
print("pairs (data, governance):", weight[("data", "governance")])
for w, s in ranked:
    print(f"textrank {w:12s} {s!r}")

docs = [
    "rule of law and data rule".split(),
    "data protection and data risk".split(),
    "risk of harm and risk rule".split(),
]
for k, doc in enumerate(tfidf(docs)):
    for w, s in doc:
        print(f"tfidf doc{k} {w:12s} {s!r}")
