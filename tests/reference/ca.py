"""Correspondence analysis by numpy's SVD, as an independent check of govlens' ca
table (src/stats/ca.rs pins these numbers). Definitions: ../shared/docs/statistics.md.

P = N / n; r, c its row and column masses; S = D_r^-1/2 (P - r c') D_c^-1/2 = U s V';
rows' principal coordinates D_r^-1/2 U s, columns' D_c^-1/2 V s; inertia s^2.
Each axis' sign is fixed so that the row with the largest absolute coordinate
(the first such row) is positive.

    /tmp/np/bin/python tests/reference/ca.py    (any Python with numpy)
"""
import numpy as np

N = np.array([
    [20.0, 5.0, 3.0],
    [4.0, 18.0, 6.0],
    [2.0, 3.0, 25.0],
    [10.0, 10.0, 2.0],
])
P = N / N.sum()
r = P.sum(axis=1)
c = P.sum(axis=0)
S = (P - np.outer(r, c)) / np.sqrt(np.outer(r, c))
U, s, Vt = np.linalg.svd(S, full_matrices=False)
k = min(N.shape) - 1
F = (U[:, :k] * s[:k]) / np.sqrt(r)[:, None]
G = (Vt.T[:, :k] * s[:k]) / np.sqrt(c)[:, None]
for d in range(k):
    i = int(np.argmax(np.abs(F[:, d])))
    if F[i, d] < 0:
        F[:, d] *= -1
        G[:, d] *= -1
inertia = s[:k] ** 2
print("inertia", [float(x) for x in inertia])
print("share", [float(x) for x in inertia / (s ** 2).sum()])
print("rows", [[float(x) for x in row] for row in F])
print("cols", [[float(x) for x in row] for row in G])
print("row masses", [float(x) for x in r])
