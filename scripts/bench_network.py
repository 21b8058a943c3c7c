"""The network page (/reseau/) and a structure's page, rendered cold in process at 1x and 100x:

    .venv/bin/python scripts/bench_network.py [--scales 1 100] [--rounds 31] [--reuse]
        [--against DIR] [--profile]

For each scale it writes a fresh SQLite database in bench/ (ignored by git) with
ptce/demo/volume.py's network (`--reuse` keeps the one a previous run wrote). Then one process
per scale (and per code tree, with `--against`) renders each page in turn, each time after
raising the content version (the first request after a change: the page cache misses); the
processes take turns render by render, so that a machine whose load changes during the run
disturbs them alike. It prints the median CPU time (`time.process_time`, the figure load
disturbs least), the median wall-clock time and the queries of a render, then the ratio
100x ÷ 1x.

`--against DIR` measures, in the same turns, the code of another tree on the same databases
(before and after a change: `git worktree add` or `git archive <commit> | tar -x -C DIR`, then
`manage.py collectstatic` there). `--profile` prints, per process, the functions that took
the most time over its renders (cProfile, cumulative). `make bench` measures the same pages
under load.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import DATA, PYTHON, ROOT, build, fresh_database, in_django, production_env

PAGES = ("network", "structure")


def generate(scale: int) -> dict:
    """Inside Django: the network of `scale`, and the address of each page measured."""
    from django.urls import reverse

    net = build(scale)
    return {"network": reverse("report:network"), "structure": net.structure.get_absolute_url()}


def worker(paths: dict, profile: bool) -> None:
    """Inside Django: for each page name read on stdin, one cold render, its figures on stdout
    as a JSON line."""
    import cProfile
    import io
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from association.content import bump_content_version

    client = Client(headers={"X-Forwarded-Proto": "https"}, secure=True)
    for path in paths.values():  # a first render: imports, templates
        assert client.get(path).status_code == 200, path
    profiler = cProfile.Profile() if profile else None
    print("ready", flush=True)
    for line in sys.stdin:
        path = paths[line.strip()]
        bump_content_version()
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
        assert response.status_code == 200, (path, response.status_code)
        figures = {
            "cpu": cpu,
            "wall": wall,
            "queries": len(queries),
            "size": len(response.content),
        }
        print(json.dumps(figures), flush=True)
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue(), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--reuse", action="store_true", help="keep the previous run's databases")
    parser.add_argument("--against", type=Path, help="another tree's code, measured alike")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, default=ROOT, help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(options.code))
    if options.worker:
        return worker(json.loads(options.worker), options.profile)
    DATA.mkdir(exist_ok=True)
    trees = {"": ROOT} | ({f" ({options.against})": options.against} if options.against else {})
    for tree in trees.values():
        # The static files' manifest the production settings serve from (a fresh clone has none).
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            env=production_env(f"sqlite:///{DATA / 'unused.sqlite3'}"),
            cwd=tree,
            check=True,
        )
    workers = {}
    for scale in options.scales:
        addresses = DATA / f"network-{scale}.json"
        env = production_env(f"sqlite:///{DATA / f'network-{scale}.sqlite3'}")
        if not (options.reuse and addresses.exists()):
            addresses.unlink(missing_ok=True)
            fresh_database(f"network-{scale}")
            addresses.write_text(json.dumps(in_django(env, generate, scale)))
        for label, tree in trees.items():
            command = [PYTHON, __file__, "--worker", addresses.read_text(), "--code", str(tree)]
            process = subprocess.Popen(
                command + (["--profile"] if options.profile else []),
                env=env,
                cwd=tree,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert process.stdout.readline().strip() == "ready"
            workers[scale, label] = process
    renders = {key: {page: [] for page in PAGES} for key in workers}
    for _ in range(options.rounds):
        for page in PAGES:
            for key, process in workers.items():
                process.stdin.write(page + "\n")
                process.stdin.flush()
                renders[key][page].append(json.loads(process.stdout.readline()))
    for process in workers.values():
        process.stdin.close()
        process.wait()
    cpu = {}
    for (scale, label), pages in renders.items():
        for page, figures in pages.items():
            cpu[scale, label, page] = statistics.median(f["cpu"] for f in figures) * 1000
            wall = statistics.median(f["wall"] for f in figures) * 1000
            print(
                f"{scale}x {page}{label}: {cpu[scale, label, page]:.1f} ms CPU, {wall:.1f} ms "
                f"wall (median of {options.rounds}), {figures[-1]['queries']} queries, "
                f"{figures[-1]['size'] / 1024:.0f} KB"
            )
    if len(options.scales) > 1:
        low, high = min(options.scales), max(options.scales)
        for label in trees:
            for page in PAGES:
                ratio = cpu[high, label, page] / cpu[low, label, page]
                print(f"{page}{label}: {high}x ÷ {low}x = {ratio:.2f} (CPU)")


if __name__ == "__main__":
    main()
