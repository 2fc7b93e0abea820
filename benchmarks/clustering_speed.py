"""Clustering speed and peak memory on synthetic bilingual corpora, each run a whole process.

Usage (from the repository root):
    .venv/bin/python -m benchmarks.clustering_speed [--sizes 10000,100000] [--threads 1,default]

Corpora are recombined from the shared CLINC150 (English) and St Petersburg appeals (Russian)
texts: each synthetic text is the first part of one real text followed by the second part of
another of the same language (seeded, so every run sees the same corpus). Each size is timed as
a whole child process -- interpreter start, imports, reading the corpus, clustering -- for
qualitylab's engine and for the plain word recipe (TF-IDF -> TruncatedSVD(100) + Normalizer ->
KMeans k=100) on the same file, in the same run. Peak memory is the child's maximum RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks._data import REPO, read_rows


def synthetic_corpus(size: int, seed: int = 0, english: float = 0.5) -> list[str]:
    """``size`` texts spliced from two real ones each; ``english`` of them from CLINC150 (the
    rest Russian appeals). At 1.0 the engine's English meaning signal is on (a mixed corpus
    keeps it off: qualitylab/clustering/semantic.py), so ``--english`` measures its cost."""
    en = [r["text"] for r in read_rows("clinc150_inscope.csv")]
    ru = [r["text"] for r in read_rows("ru_spb_appeals.csv")]
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(size):
        pool = en if rng.random() < english else ru
        a = pool[rng.randrange(len(pool))].split()
        b = pool[rng.randrange(len(pool))].split()
        cut_a = rng.randint(1, max(1, len(a)))
        cut_b = rng.randint(0, max(0, len(b) - 1))
        out.append(" ".join(a[:cut_a] + b[cut_b:]))
    return out


def _child(method: str, path: str) -> None:
    """Runs inside the timed child process."""
    texts = Path(path).read_text(encoding="utf-8").splitlines()
    if method == "engine":
        from qualitylab.clustering import cluster_texts

        result = cluster_texts(texts)
        print(
            json.dumps({"clusters": len(result.clusters), "unclustered": len(result.unclustered)})
        )
    else:
        from sklearn.cluster import KMeans
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import Normalizer

        x = TfidfVectorizer(sublinear_tf=True, min_df=2).fit_transform(texts)
        z = make_pipeline(TruncatedSVD(100, random_state=0), Normalizer(copy=False)).fit_transform(
            x
        )
        labels = KMeans(n_clusters=100, random_state=0, n_init=1).fit_predict(z)
        print(json.dumps({"clusters": int(labels.max()) + 1, "unclustered": 0}))
    # both children end the way the qualitylab command does (cli.app.end_quickly): without the
    # collector's final pass at exit, which costs ~0.1 s once numpy/scipy are loaded
    import gc

    gc.freeze()


def timed_run(method: str, path: str, threads: str) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MB, the child's summary line."""
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        if threads == "default":
            env.pop(var, None)
        else:
            env[var] = threads
    cmd = [sys.executable, "-m", "benchmarks.clustering_speed", "--child", method, path]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    out = proc.stdout.read().strip() if proc.stdout else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        out = f"FAILED (exit {proc.returncode})"
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--threads", default="1,default", help="OMP threads per run: 1, default")
    parser.add_argument("--methods", default="engine,recipe", help="engine, recipe or both")
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell; the median is shown")
    parser.add_argument(
        "--english", action="store_true", help="English texts only (the meaning signal is on)"
    )
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return
    print(
        f"{'texts':>9} {'threads':>8} {'method':<20} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}"
        "  result"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = str(Path(tmp) / f"corpus_{size}.txt")
            corpus = synthetic_corpus(size, english=1.0 if args.english else 0.5)
            Path(path).write_text("\n".join(corpus) + "\n", encoding="utf-8")
            for threads in args.threads.split(","):
                for method, label in (
                    ("engine", "qualitylab engine"),
                    ("recipe", "word recipe k=100"),
                ):
                    if method not in args.methods.split(","):
                        continue
                    runs = sorted(timed_run(method, path, threads) for _ in range(args.repeat))
                    wall, cpu, mb, out = runs[len(runs) // 2]
                    row = f"{wall:7.1f} {cpu:7.1f} {mb:8.0f}  {out}"
                    print(f"{size:>9} {threads:>8} {label:<20} {row}", flush=True)


if __name__ == "__main__":
    main()
