"""What benchmarks/run.py measures in a fresh process, one graph at a time, so each peak memory is its own.

Each command prints one line of JSON on stdout; progress goes to stderr.

    python benchmarks/measure.py planner GRAPH --pairs 100 --seed 1 --max-seconds 10 --hard-stop 60
    python benchmarks/measure.py load GRAPH QUERY...
    python benchmarks/measure.py path ARGS...      (radgraph's CLI, in process, timed from the start)
    python benchmarks/measure.py count GRAPH

The pairs are drawn here and only here (``draw_pairs``), with a fixed seed,
from every generated role: no pair is chosen for being fast or for having a path.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

#: The IRIs of generated roles, in both shapes (benchmarks/generate.py): g:role0, g:role1, ...
GENERATED_ROLE = "https://example.org/gen/role"


def peak_mb() -> float:
    """This process's peak resident memory, in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generated_roles(role_ids) -> list[str]:
    """The generated roles' IRIs, in the generator's order (role0, role1, ...)."""
    found = [r for r in role_ids if r.startswith(GENERATED_ROLE) and r[len(GENERATED_ROLE):].isdigit()]
    return sorted(found, key=lambda r: int(r[len(GENERATED_ROLE):]))


def draw_pairs(roles: list[str], n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` distinct ordered pairs of distinct roles, drawn with ``random.Random(seed)``; fewer if there are fewer."""
    rnd = random.Random(seed)
    limit = min(n, len(roles) * (len(roles) - 1))
    seen: set[tuple[str, str]] = set()
    pairs: list[tuple[str, str]] = []
    while len(pairs) < limit:
        a, b = rnd.sample(roles, 2)
        if (a, b) not in seen:
            seen.add((a, b))
            pairs.append((a, b))
    return pairs


def build(graph: Path):
    from radgraph.cache import build_from_files
    from radgraph.datafiles import shipped_files

    return build_from_files([*shipped_files(), graph], validate=False)


class Overran(Exception):
    """The benchmark stopped a search that ran far past the planner's own time limit."""


def _overran(signum, frame):
    raise Overran


def planner(graph: Path, pairs: int, seed: int, max_seconds: float, hard_stop: float) -> dict:
    """Time ``Planner.best`` on every drawn pair: its outcome is a path, no path (proven), or a give-up.

    A search still running ``hard_stop`` seconds after it began, long past the
    planner's own ``max_seconds``, is stopped here (SIGALRM) and reported as
    "stopped", at ``hard_stop`` seconds, with its pair: the planner did not
    keep its deadline. A fresh Planner then takes over, so no cache half-filled
    by the interrupted search is read again.
    """
    import signal

    from radgraph.errors import RadGraphError
    from radgraph.planner import Planner

    t = time.perf_counter()
    model = build(graph)
    load = time.perf_counter() - t
    roles = generated_roles(model.roles)
    plan = Planner(model, max_seconds=max_seconds)
    times, outcomes, messages, stopped = [], [], [], []
    drawn = draw_pairs(roles, pairs, seed)
    signal.signal(signal.SIGALRM, _overran)
    for i, (a, b) in enumerate(drawn, 1):
        t = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, hard_stop)
        try:
            outcome = "path" if plan.best(a, b) is not None else "no path"
        except RadGraphError as exc:  # the search gave up (time or states): counted at its time
            outcome = "gave up"
            messages.append(str(exc))
        except Overran:
            outcome = "stopped"
            stopped.append([a, b])
            plan = Planner(model, max_seconds=max_seconds)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - t)
        outcomes.append(outcome)
        if i % 10 == 0 or i == len(drawn):
            sys.stderr.write(f"    {graph.name}: {i}/{len(drawn)} pairs, {outcomes.count('gave up')} give-ups, "
                             f"{len(stopped)} stopped, slowest {max(times):.2f} s\n")
    return {"roles": len(roles), "load_s": load, "times": times, "outcomes": outcomes,
            "gave_up_messages": messages[:3], "stopped": stopped, "pairs": [list(p) for p in drawn],
            "rss_mb": peak_mb()}


def load(graph: Path, queries: list[str]) -> dict:
    """Model load time and peak memory, then the graph in pyoxigraph and a few shipped queries on it."""
    t = time.perf_counter()
    build(graph)
    load_s = time.perf_counter() - t
    rss = peak_mb()
    from radgraph import sparql
    from radgraph.datafiles import shipped_files

    t = time.perf_counter()
    store = sparql.load_store([*shipped_files(), graph])
    store_load = time.perf_counter() - t
    timings = {}
    for name in queries:
        t = time.perf_counter()
        sparql.run_query_store(store, sparql.load_query(name))
        timings[name] = time.perf_counter() - t
    return {"load_s": load_s, "load_rss_mb": rss, "store_load_s": store_load, "queries_s": timings}


def path(args: list[str]) -> dict:
    """radgraph's CLI in this process, timed from before its import; the exit code says how it ended."""
    t = time.perf_counter()
    import contextlib
    import io

    from radgraph.cli import cli

    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = cli.main(args, standalone_mode=False) or 0
        except Exception as exc:  # click's and radgraph's errors, reported, not raised
            code = getattr(exc, "exit_code", 1)
            err.write(str(exc))
    return {"seconds": time.perf_counter() - t, "rss_mb": peak_mb(), "code": code,
            "gave_up": "gave up" in err.getvalue(), "stderr": err.getvalue().strip()[:300]}


def count(graph: Path) -> dict:
    """The graph's distinct triples (the generator's count may include repeats)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE)
    return {"triples": len(store)}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["path"]:  # everything after it is radgraph's, options included
        print(json.dumps(path(argv[1:])))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("planner")
    p.add_argument("graph", type=Path)
    p.add_argument("--pairs", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--max-seconds", type=float, default=10.0)
    p.add_argument("--hard-stop", type=float, default=60.0)
    p = sub.add_parser("load")
    p.add_argument("graph", type=Path)
    p.add_argument("queries", nargs="*")
    sub.add_parser("path", help="radgraph's arguments follow")
    p = sub.add_parser("count")
    p.add_argument("graph", type=Path)
    args = ap.parse_args(argv)
    if args.command == "planner":
        out = planner(args.graph, args.pairs, args.seed, args.max_seconds, args.hard_stop)
    elif args.command == "load":
        out = load(args.graph, args.queries)
    else:
        out = count(args.graph)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
