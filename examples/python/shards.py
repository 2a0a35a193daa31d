"""A corpus in shards on the cores of one machine (or, with another executor, on
many), then merged into the one run a single `govlens.run` would give.

    python examples/python/shards.py CORPUS OUT [N]
"""

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import govlens


def shard(corpus: str, out: Path, k: int, n: int) -> str:
    govlens.run(corpus=corpus, shard=(k, n), out=out / f"shard-{k}", threads=1, progress=False)
    return str(out / f"shard-{k}")


def main(corpus: str, out: str, n: int = 2) -> govlens.Run:
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    # Processes started fresh ("spawn"): a fork of a process whose govlens threads
    # have run can deadlock.
    with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn")) as pool:
        dirs = list(pool.map(shard, [corpus] * n, [root] * n, range(1, n + 1), [n] * n))
    return govlens.merge(root / "all", dirs)


if __name__ == "__main__":
    run = main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    print(run)
