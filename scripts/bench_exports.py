"""`make bench`, the open data's part: each dataset of /donnees/ streamed as CSV and JSON at
three sizes of data, its rows, its time per row and the peak of the memory Python allocated
while the response was read.

    .venv/bin/python scripts/bench_exports.py [--scales 1 10 100]

For each scale (ptce/demo/volume.py SCALES) it writes a fresh SQLite database beside the code
(bench/, ignored by git), builds the network, then reads each export through the test client
as a downloader would, chunk by chunk, under tracemalloc. The exports are streamed and read
the database CHUNK_SIZE rows at a time (opendata/tables.py): once a table holds more than one
chunk the peak stops growing (compare 100x with 10x: 1x's tables are smaller than a chunk),
and the time per row at 100x stays within twice 1x's.
"""

import argparse
import time
import tracemalloc

from benchlib import build, fresh_database, in_django, production_env

ROUNDS = 3


def measure(scale: int) -> dict:
    """Inside a Django process: build the network of `scale`; each export's figures."""
    from django.test import Client
    from django.urls import reverse

    from opendata.datasets import DATASETS

    build(scale)
    client = Client(headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}, secure=True)
    report = {}
    for dataset in DATASETS:
        for extension in ("csv", "json"):
            path = reverse(f"opendata:{dataset.name}_{extension}")
            timings, peaks = [], []
            for _ in range(ROUNDS):
                tracemalloc.start()
                start = time.perf_counter()
                response = client.get(path)
                size = rows = 0
                for chunk in response.streaming_content:
                    size += len(chunk)
                    rows += chunk.count(b"\n")
                timings.append(time.perf_counter() - start)
                peaks.append(tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
            # CSV: a header line; JSON: « [ », a line per row, « ] ».
            rows = rows - 1 if extension == "csv" else max(rows - 2, 0)
            report[f"{dataset.name}.{extension}"] = {
                "rows": rows,
                "bytes": size,
                "ms": min(timings) * 1000,
                "peak_kib": min(peaks) / 1024,
            }
    return report


def prepare_and_measure(scale: int) -> dict:
    database_url = fresh_database(f"exports-{scale}")
    # The bench reads every export three times from one address.
    env = production_env(database_url, OPEN_DATA_RATE_LIMIT="100000")
    return in_django(env, measure, scale)


def table(scales: list[int], reports: dict) -> str:
    lines = [
        "| export | "
        + " | ".join(f"{s}x rows · ms · µs/row · peak KiB" for s in scales)
        + " | µs/row, last vs first | peak, last vs the one before |",
        "| --- |" + " --- |" * (len(scales) + 2),
    ]
    first = scales[0]
    for name in reports[first]:
        cells, per_row = [], {}
        for scale in scales:
            r = reports[scale][name]
            per_row[scale] = r["ms"] * 1000 / max(r["rows"], 1)
            cells.append(
                f"{r['rows']} · {r['ms']:.1f} · {per_row[scale]:.0f} · {r['peak_kib']:.0f}"
            )
        last, before = scales[-1], scales[-2] if len(scales) > 1 else scales[0]
        time_ratio = per_row[last] / per_row[first]
        peak_ratio = reports[last][name]["peak_kib"] / reports[before][name]["peak_kib"]
        lines.append(
            f"| {name} | " + " | ".join(cells) + f" | {time_ratio:.2f} | {peak_ratio:.2f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    reports = {}
    for scale in args.scales:
        started = time.perf_counter()
        reports[scale] = prepare_and_measure(scale)
        print(f"  {scale}x: exports measured in {time.perf_counter() - started:.0f} s")
    print()
    print(table(args.scales, reports))


if __name__ == "__main__":
    main()
