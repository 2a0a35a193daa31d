"""Fightin' Words (Monroe, Colaresi & Quinn 2008) computed with numpy, as an independent
check of govlens' log_odds columns (src/stats/keyness.rs pins these numbers).

Three groups of one language, four words, and each group's token total (the words shown
are not all of its tokens). Each group is compared with the rest (the other two groups
pooled), and A with B; the prior is a_w = a0 * f_w / N with f_w, N the word's count and
the tokens of all three groups, and a0 the reference's tokens.

    /tmp/np/bin/python tests/reference/fightin_words.py
"""
import numpy as np

words = ["data", "law", "risk", "trust"]
counts = {
    "A": np.array([3.0, 30.0, 5.0, 12.0]),
    "B": np.array([14.0, 10.0, 20.0, 6.0]),
    "C": np.array([2.0, 4.0, 9.0, 25.0]),
}
tokens = {"A": 1000.0, "B": 1500.0, "C": 800.0}

f = sum(counts.values())
N = sum(tokens.values())


def fightin(yi, ni, yj, nj):
    a0 = nj
    aw = a0 * f / N
    delta = np.log((yi + aw) / (ni + a0 - yi - aw)) - np.log((yj + aw) / (nj + a0 - yj - aw))
    z = delta / np.sqrt(1.0 / (yi + aw) + 1.0 / (yj + aw))
    return delta, z


for g in counts:
    rest_y = sum(c for h, c in counts.items() if h != g)
    rest_n = sum(n for h, n in tokens.items() if h != g)
    delta, z = fightin(counts[g], tokens[g], rest_y, rest_n)
    for w, d, s in zip(words, delta, z):
        print(f"{g} vs rest  {w:6s} delta {float(d)!r:>22}  z {float(s)!r:>22}")
delta, z = fightin(counts["A"], tokens["A"], counts["B"], tokens["B"])
for w, d, s in zip(words, delta, z):
    print(f"A vs B     {w:6s} delta {float(d)!r:>22}  z {float(s)!r:>22}")
