"""radgraph benchmarks: run by `make bench`, printed as tables of figures and ratios.

Everything compared is measured side by side in one run (the machine is
shared and noisy): each ratio's two sides alternate, run for run.

1. Cold start: `radgraph path` (warm cache, and first run without a cache)
   against `python -c "import networkx, click"`.
2. Scale: generated graphs of 10k, 100k and 1M triples: model load time and
   peak memory, `path` cold (no cache) and warm, three shipped queries on
   pyoxigraph.
3. Growth: planner time against the number of roles (fitted exponent).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
PY = sys.executable
RADGRAPH = [PY, "-m", "radgraph"]
MAIN = ["path", "Radiology Assistant", "Interventional Radiology Technologist"]
QUERIES = ["roles-requiring-credential", "experience-requirements", "credentials-for-several-roles"]


def timed(cmd: list[str], env: dict | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def cold_start(runs: int) -> list[tuple]:
    baseline, warm, first = [], [], []
    with tempfile.TemporaryDirectory() as warm_dir:
        env_warm = {**os.environ, "RADGRAPH_CACHE_DIR": warm_dir}
        timed([*RADGRAPH, *MAIN], env_warm)  # build the cache once
        for _ in range(runs):
            baseline.append(timed([PY, "-c", "import networkx, click"]))
            warm.append(timed([*RADGRAPH, *MAIN], env_warm))
            with tempfile.TemporaryDirectory() as fresh:
                first.append(timed([*RADGRAPH, *MAIN], {**os.environ, "RADGRAPH_CACHE_DIR": fresh}))
    b = statistics.median(baseline)
    return [
        ("python -c 'import networkx, click'", b, 1.0, ""),
        ("radgraph path (warm cache)", statistics.median(warm), statistics.median(warm) / b, "<= 1.15"),
        ("radgraph path (first run, no cache)", statistics.median(first), statistics.median(first) / b, "<= 2"),
    ]


def ensure_graph(triples: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"generated-{triples}.ttl"
    if not path.exists():
        subprocess.run([PY, str(HERE / "generate.py"), "--triples", str(triples), "--seed", "1", "-o", str(path)],
                       check=True)
    return path


MEASURE_LOAD = r"""
import json, resource, sys, time
from pathlib import Path
t = time.perf_counter()
from radgraph.cache import build_from_files
from radgraph.datafiles import shipped_files
model = build_from_files([*shipped_files(), Path(sys.argv[1])], validate=False)
load = time.perf_counter() - t
from radgraph import sparql
t = time.perf_counter()
store = sparql.load_store([*shipped_files(), Path(sys.argv[1])])
store_load = time.perf_counter() - t
queries = {}
for name in sys.argv[2:]:
    t = time.perf_counter()
    sparql.run_query_store(store, sparql.load_query(name))
    queries[name] = time.perf_counter() - t
from radgraph.planner import Planner
planner = Planner(model, max_seconds=5)
n = sum(1 for r in model.roles.values() if r.label.startswith("Role "))
target = None
ids = {r.label: r.id for r in model.roles.values()}
tried = 0
for i in range(n - 1, 0, -1):  # the highest-numbered role with a path from Role 0 found within 5 s
    tried += 1
    try:
        if planner.best(ids["Role 0"], ids[f"Role {i}"]) is not None:
            target = f"Role {i}"
            break
    except Exception:  # the search gave up (RadGraphError)
        if tried > 20:
            break
print(json.dumps({"roles": len(model.roles), "target": target, "load": load, "store_load": store_load, "queries": queries,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

MEASURE_PATH = r"""
import json, resource, sys, time
t = time.perf_counter()
from radgraph.cli import cli
import io, contextlib
with contextlib.redirect_stdout(io.StringIO()):
    code = cli(sys.argv[1:], standalone_mode=False)
elapsed = time.perf_counter() - t
sys.stderr.write(json.dumps({"seconds": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_json(code: str, args: list[str], env=None, stream="stdout") -> dict:
    out = subprocess.run([PY, "-c", code, *args], check=True, capture_output=True, text=True, env=env)
    text = out.stdout if stream == "stdout" else out.stderr
    return json.loads(text.strip().splitlines()[-1])


def path_args(graph: Path, target: str) -> list[str]:
    return ["--no-validate", "--data", str(graph), "path", "Role 0", target]


def scale(sizes: list[int]) -> list[dict]:
    rows = []
    for triples in sizes:
        graph = ensure_graph(triples)
        load = run_json(MEASURE_LOAD, [str(graph), *QUERIES])
        args = path_args(graph, load["target"])
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "RADGRAPH_CACHE_DIR": cache}
            cold = run_json(MEASURE_PATH, args, env, stream="stderr")
            warm = [run_json(MEASURE_PATH, args, env, stream="stderr") for _ in range(3)]
        rows.append({
            "triples": triples, "roles": load["roles"], "load_s": load["load"], "load_rss_mb": load["rss_mb"],
            "target": load["target"], "path_cold_s": cold["seconds"], "path_cold_rss_mb": cold["rss_mb"],
            "path_warm_s": statistics.median(w["seconds"] for w in warm),
            "store_load_s": load["store_load"], "queries_s": load["queries"],
        })
    return rows


def growth(rows: list[dict]) -> list[tuple]:
    """Planner time against roles, from in-process runs on each generated graph."""
    out = []
    from radgraph.cache import build_from_files
    from radgraph.datafiles import shipped_files
    from radgraph.errors import RadGraphError
    from radgraph.planner import Planner

    for row in rows:
        model = build_from_files([*shipped_files(), ensure_graph(row["triples"])], validate=False)
        planner = Planner(model, max_seconds=10)
        n = sum(1 for r in model.roles.values() if r.label.startswith("Role "))  # the generated roles
        pairs = [(f"Role {i}", f"Role {n - 1 - i}") for i in range(0, min(n // 2, 40), 4)]
        t = time.perf_counter()
        ids = {r.label: r.id for r in model.roles.values()}
        gave_up = 0
        for a, b in pairs:
            try:
                planner.best(ids[a], ids[b])  # None where no path: the search still runs in full
            except RadGraphError:  # gave up after 10 s: counted at 10 s, and reported
                gave_up += 1
        out.append((n, (time.perf_counter() - t) / len(pairs), gave_up, len(pairs)))
    exps = [math.log(a[1] / b[1]) / math.log(a[0] / b[0]) for b, a in zip(out, out[1:], strict=False)
            if a[1] > 0 and b[1] > 0]
    return out, exps


def remote(rows: list[dict], triples: int = 100_000) -> dict | None:
    """`radgraph path --endpoint` against a real Oxigraph server holding the generated graph."""
    import shutil
    import socket
    import urllib.request

    row = next((r for r in rows if r["triples"] == triples), None)
    binary = shutil.which("oxigraph", path=os.pathsep.join([str(Path(PY).parent), os.environ.get("PATH", "")]))
    if row is None or binary is None:
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    with tempfile.TemporaryDirectory() as folder:
        proc = subprocess.Popen([binary, "serve", "--location", folder, "--bind", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            graph = ensure_graph(triples)
            push = timed([*RADGRAPH, "--no-validate", "--data", str(graph), "push", "--endpoint", url])
            runs = [timed([*RADGRAPH, "path", "Role 0", row["target"], "--endpoint", url]) for _ in range(3)]
            local = [timed([*RADGRAPH, *path_args(graph, row["target"])]) for _ in range(3)]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return {"triples": triples, "push_s": push, "remote_s": statistics.median(runs),
            "local_warm_s": statistics.median(local)}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15, help="runs per cold-start figure (median)")
    ap.add_argument("--sizes", default="10000,100000,1000000")
    args = ap.parse_args()
    print(f"Machine: {machine()}\n")

    print(f"1. Cold start (median of {args.runs} runs, side by side)")
    print(f"{'command':45} {'seconds':>8} {'ratio':>7} {'target':>8}")
    for name, secs, ratio, target in cold_start(args.runs):
        print(f"{name:45} {secs:8.3f} {ratio:7.2f} {target:>8}")

    sizes = [int(x) for x in args.sizes.split(",")]
    rows = scale(sizes)
    print("\n2. Scale (generated graphs; path = `radgraph --no-validate --data G path 'Role 0' TARGET`,")
    print("   TARGET the highest-numbered role reachable from Role 0; queries on pyoxigraph)")
    print(f"{'triples':>9} {'roles':>6} {'load s':>7} {'RSS MB':>7} {'path cold s':>11} {'cold RSS MB':>11} "
          f"{'path warm s':>11} {'oxigraph load s':>15} " + " ".join(f"{q[:22]:>22}" for q in QUERIES))
    for r in rows:
        print(f"{r['triples']:>9} {r['roles']:>6} {r['load_s']:7.2f} {r['load_rss_mb']:7.0f} {r['path_cold_s']:11.2f} "
              f"{r['path_cold_rss_mb']:11.0f} {r['path_warm_s']:11.2f} {r['store_load_s']:15.2f} "
              + " ".join(f"{r['queries_s'][q]:22.3f}" for q in QUERIES))
    big = rows[-1]
    print(f"\nAt {big['triples']} triples: first answer {big['path_cold_s']:.1f} s (target <= 10), "
          f"peak {big['path_cold_rss_mb']:.0f} MB (target <= 1536), warm {big['path_warm_s']:.2f} s (target <= 1)")

    rem = remote(rows)
    print("\n4. Remote: `radgraph path --endpoint URL` on an Oxigraph server (fetches construct-planner, plans here)")
    if rem is None:
        print("   skipped: no 100k graph in this run or no oxigraph binary")
    else:
        print(f"   {rem['triples']} triples: push {rem['push_s']:.2f} s, path remote {rem['remote_s']:.2f} s, "
              f"path local warm {rem['local_warm_s']:.2f} s (ratio {rem['remote_s'] / rem['local_warm_s']:.2f})")

    points, exps = growth(rows)
    print("\n3. Growth: planner time per path against roles (pairs Role i -> Role N-1-i; a search gives up at 10 s)")
    print(f"{'roles':>6} {'ms per path':>12} {'gave up':>8}")
    for n, t, gave_up, pairs in points:
        print(f"{n:>6} {t * 1000:12.2f} {gave_up:>4}/{pairs}")
    if exps:
        print("fitted exponents between sizes: " + ", ".join(f"{e:.2f}" for e in exps) + " (sub-quadratic: < 2)")


if __name__ == "__main__":
    main()
