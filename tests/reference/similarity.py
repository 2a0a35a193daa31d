"""Document similarity computed with numpy, as an independent check of govlens'
similarity table (src/stats/similarity.rs pins these numbers).

Four English documents (stopwords already left out): cosine of TF-IDF vectors, tf = the
count, idf = ln(N / df) over the four; and the Jensen-Shannon divergence (base 2) of
three documents' frame profiles.

    /tmp/np/bin/python tests/reference/similarity.py    (any Python with numpy)
"""
import numpy as np

terms = ["law", "data", "court", "risk", "harm"]
tf = np.array([
    [4, 1, 2, 0, 0],
    [3, 0, 3, 1, 0],
    [0, 4, 0, 3, 0],
    [0, 0, 0, 2, 3],
], dtype=float)
df = (tf > 0).sum(axis=0)
X = tf * np.log(len(tf) / df)
unit = X / np.linalg.norm(X, axis=1)[:, None]
cos = unit @ unit.T
for i in range(len(tf)):
    order = sorted((j for j in range(len(tf)) if j != i and cos[i, j] > 0), key=lambda j: (-cos[i, j], j))
    print(i, [(j, float(cos[i, j])) for j in order[:2]])


def jsd(p, q):
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2
    h = lambda x: -sum(v * np.log2(v) for v in x if v > 0)
    return h(m) - (h(p) + h(q)) / 2


frames = [np.array([3.0, 1.0]), np.array([2.0, 2.0]), np.array([0.0, 4.0])]
print("jsd A-B", float(jsd(frames[0], frames[1])), "A-C", float(jsd(frames[0], frames[2])))
