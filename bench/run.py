"""`make bench`: what ocp-provider costs on top of the Pulumi engine and the HTTP it must make.

Every figure is a median of repeated runs; every comparison is a ratio measured side by side
in the same run, against no-op dynamic resources of the same shape (the engine's floor).
Writes bench/results.json and prints a table.
"""

from __future__ import annotations

import argparse
import base64
import json
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "scripts"))

from local_engine import select_stack  # noqa: E402
from pulumi import automation as auto  # noqa: E402

from ocp_provider.models import ObLink  # noqa: E402
from ocp_provider.simulator import EmbeddedOcpServer  # noqa: E402
from ocp_provider.simulator.store import synthetic_seed  # noqa: E402

USERNAME = "bench-admin"
# A throwaway password for the benchmark's own embedded server, new each run.
PASSWORD = secrets.token_urlsafe(18)
LINKS_PER_RESOURCE = 10
PROGRAMS = {"ocp": ROOT / "tests" / "programs" / "many", "noop": BENCH / "programs" / "noop"}


def resources(count: int, links: int = LINKS_PER_RESOURCE, skip: int = 0) -> list[dict[str, Any]]:
    """`count` resources, resource i on OBProxy cluster i with OceanBase clusters skip+1..links."""
    return [
        {
            "name": f"links-{i}",
            "obproxyClusterId": i,
            "links": [
                {"cluster_name": f"ob-{j}", "ob_cluster_id": 100000 + j}
                for j in range(skip + 1, links + 1)
            ],
        }
        for i in range(1, count + 1)
    ]


def resources_by_name(count: int, exclusive: bool = False) -> list[dict[str, Any]]:
    """`resources(count)` with every cluster given by name alone, for OCP's ids to be looked up."""
    return [
        {
            "name": f"links-{i}",
            "obproxyClusterName": f"obproxy-{i}",
            "exclusive": exclusive,
            "links": [{"cluster_name": f"ob-{j}"} for j in range(1, LINKS_PER_RESOURCE + 1)],
        }
        for i in range(1, count + 1)
    ]


class Bench:
    def __init__(self, ocp: EmbeddedOcpServer, work: Path) -> None:
        self.ocp = ocp
        env = {
            "OCP_URL": ocp.url,
            "OCP_USERNAME": USERNAME,
            "OCP_PASSWORD": PASSWORD,
            "PYTHONPATH": str(BENCH),
        }
        self.stacks: dict[str, auto.Stack] = {}
        for kind, program in PROGRAMS.items():
            work_dir = work / kind
            shutil.copytree(program, work_dir)
            self.stacks[kind] = select_stack(work_dir, "bench", work / f"state-{kind}", env)

    def declare(self, kind: str, declared: list[dict[str, Any]]) -> None:
        self.stacks[kind].set_config("resources", auto.ConfigValue(json.dumps(declared)))
        self.ocp.store.clear_requests()

    def calls(self) -> Counter[str]:
        counted: Counter[str] = Counter()
        for request in self.ocp.store.requests():
            kind = "batchAdd" if request.method == "POST" else request.method
            counted[kind] += 1
        return counted


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure_engine(bench: Bench, sizes: list[int], repeats: int) -> dict[str, Any]:
    times: dict[int, dict[str, dict[str, list[float]]]] = {}
    for size in sizes:
        times[size] = {kind: {"create": [], "preview": [], "update": []} for kind in PROGRAMS}
        for repeat in range(repeats):
            # Alternate which kind goes first, so drift on the machine hits both alike.
            kinds = list(PROGRAMS) if repeat % 2 == 0 else list(reversed(PROGRAMS))
            for kind in kinds:
                stack = bench.stacks[kind]
                bench.declare(kind, resources(size))
                times[size][kind]["create"].append(timed(stack.up))
                times[size][kind]["preview"].append(timed(stack.preview))
                bench.declare(kind, resources(size, links=LINKS_PER_RESOURCE + 1))
                times[size][kind]["update"].append(timed(stack.up))
                stack.destroy(color="never")
                print(f"  {size:>3} resources, {kind:<4} run {repeat + 1}: done", flush=True)
    return times


def measure_calls(bench: Bench, count: int) -> dict[str, dict[str, float]]:
    """HTTP calls per resource for each operation, against the floor the API allows."""
    stack = bench.stacks["ocp"]
    removed = 3
    measured: dict[str, dict[str, float]] = {}

    def per_resource(name: str, floor: dict[str, int]) -> None:
        counted = bench.calls()
        measured[name] = {
            "measured": {kind: counted[kind] / count for kind in sorted(counted)},
            "floor": floor,
        }

    bench.declare("ocp", resources(count))
    stack.up(color="never")
    per_resource("create", {"GET": 1, "batchAdd": 1})
    bench.ocp.store.clear_requests()
    stack.preview(color="never")
    per_resource("preview_unchanged", {})
    bench.ocp.store.clear_requests()
    stack.up(color="never")
    per_resource("up_unchanged", {})
    bench.declare("ocp", resources(count, links=LINKS_PER_RESOURCE + 2))
    stack.up(color="never")
    per_resource("add_2_links", {"batchAdd": 1})
    bench.declare("ocp", resources(count, links=LINKS_PER_RESOURCE + 2, skip=removed))
    stack.up(color="never")
    per_resource(f"remove_{removed}_links", {"DELETE": removed})
    bench.ocp.store.clear_requests()
    stack.refresh(color="never")
    per_resource("refresh", {"GET": 1})
    bench.ocp.store.clear_requests()
    stack.destroy(color="never")
    per_resource("destroy", {"DELETE": LINKS_PER_RESOURCE + 2 - removed})

    # By name: one list of OBProxy clusters (one page here) and one name lookup per link.
    bench.declare("ocp", resources_by_name(count))
    stack.up(color="never")
    per_resource("create_by_name", {"GET": 2 + LINKS_PER_RESOURCE, "batchAdd": 1})
    bench.ocp.store.clear_requests()
    stack.preview(color="never")
    per_resource("preview_unchanged_by_name", {})

    # Exclusive: every diff reads the OBProxy cluster, and so does every update.
    bench.declare("ocp", resources_by_name(count, exclusive=True))
    stack.up(color="never")
    per_resource("switch_to_exclusive", {"GET": 2})
    bench.ocp.store.clear_requests()
    stack.preview(color="never")
    per_resource("preview_unchanged_exclusive", {"GET": 1})
    for i in range(1, count + 1):
        bench.ocp.store.add_links(
            i, [ObLink(cluster_name=f"ob-{LINKS_PER_RESOURCE + 1}", ob_cluster_id=100011)]
        )
    bench.ocp.store.clear_requests()
    stack.up(color="never")
    per_resource("exclusive_removes_1_by_hand", {"GET": 2, "DELETE": 1})
    stack.destroy(color="never")

    for figures in measured.values():
        figures["at_floor"] = figures["measured"] == {
            k: float(v) for k, v in figures["floor"].items()
        }
    return measured


def measure_blob(bench: Bench) -> dict[str, Any]:
    stack = bench.stacks["ocp"]
    bench.declare("ocp", resources(1))
    stack.up(color="never")
    state = stack.export_stack().deployment
    stack.destroy(color="never")
    (resource,) = [r for r in state["resources"] if r["type"].endswith(":ObProxyObLinks")]
    blob = resource["inputs"]["__provider"]
    return {"stored": blob, "bytes": len(base64.b64decode(blob)), "base64_chars": len(blob)}


SERIALIZE = (
    "from pulumi.dynamic.dynamic import serialize_provider\n"
    "from ocp_provider.provider import ObLinksProvider\n"
    "print(serialize_provider(ObLinksProvider()))\n"
)


def blob_after_code_change(work: Path) -> tuple[str, str]:
    """The provider's blob from this package, and from a copy whose provider code changed."""
    changed = work / "changed"
    shutil.copytree(ROOT / "ocp_provider", changed / "ocp_provider")
    provider_py = changed / "ocp_provider" / "provider.py"
    provider_py.write_text(
        provider_py.read_text()
        + "\n\ndef _added_in_a_later_release() -> int:\n    return 42\n"
        + "\n\nObLinksProvider.later_method = lambda self: _added_in_a_later_release()\n"
    )
    blobs = []
    for path in (ROOT, changed):
        result = subprocess.run(
            [sys.executable, "-c", SERIALIZE],
            check=True,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"},
            cwd=str(work),
        )
        blobs.append(result.stdout.strip())
    return blobs[0], blobs[1]


CHECK_DIFF = """
import gc, json, statistics, sys, time
from ocp_provider.provider import ObLinksProvider
provider = ObLinksProvider()
medians = {}
for count in json.loads(sys.argv[1]):
    links = [
        {"cluster_name": f"ob-cluster-{j:06d}", "ob_cluster_id": float(j + 1)}
        for j in reversed(range(count))
    ]
    olds = provider.check({}, {"obproxy_cluster_id": 1.0, "links": links}).inputs
    # Unchanged inputs (the fast path), then one link's username changed (full validation).
    changed = [*links[:-1], {**links[-1], "username": "other"}]
    for kind, declared in (("unchanged", links), ("changed", changed)):
        samples = []
        for _ in range(7):
            gc.collect()
            started = time.process_time()
            news = provider.check(olds, {"obproxy_cluster_id": 1.0, "links": declared}).inputs
            provider.diff("1/x", olds, news)
            samples.append((time.process_time() - started) * 1000)
        medians.setdefault(kind, {})[count] = statistics.median(samples)
print(json.dumps(medians))
"""


def measure_check_diff(counts: list[int]) -> dict[str, dict[int, float]]:
    """CPU time of check then diff over `count` links, in a fresh interpreter like the
    provider process (a large, busy process would add its own garbage collection): for inputs
    unchanged since the last check, and for inputs with one link changed."""
    out = subprocess.run(
        [sys.executable, "-c", CHECK_DIFF, json.dumps(counts)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {
        kind: {int(count): ms for count, ms in figures.items()}
        for kind, figures in json.loads(out).items()
    }


IMPORT = (
    "import time\n"
    "t0 = time.perf_counter()\n"
    "import pulumi.dynamic\n"
    "t1 = time.perf_counter()\n"
    "import ocp_provider.provider, ocp_provider.inputs, ocp_provider.client\n"
    "t2 = time.perf_counter()\n"
    "print((t1 - t0) * 1000, (t2 - t1) * 1000)\n"
)


def measure_import(repeats: int = 7) -> tuple[float, float]:
    """What the provider process imports of ocp_provider for a write (the provider, input
    checks and the HTTP client), on top of pulumi.dynamic, which it imports anyway."""
    base, ours = [], []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", IMPORT], check=True, capture_output=True, text=True
        ).stdout.split()
        base.append(float(out[0]))
        ours.append(float(out[1]))
    return statistics.median(ours), statistics.median(base)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--big", type=int, default=200, help="resources in the largest run")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    started = time.perf_counter()

    work = Path(tempfile.mkdtemp(prefix="ocp-bench-"))
    seed = synthetic_seed(obproxy_clusters=max(args.big, *sizes, 10), ob_clusters=20)
    with EmbeddedOcpServer(username=USERNAME, password=PASSWORD, seed=seed) as ocp:
        bench = Bench(ocp, work)
        print("HTTP calls per operation (10 resources of 10 links):", flush=True)
        http_calls = measure_calls(bench, 10)
        blob = measure_blob(bench)
        print("Engine timings:", flush=True)
        times = measure_engine(bench, sizes, args.repeats)
        print(f"{args.big} resources:", flush=True)
        bench.declare("ocp", resources(args.big))
        try:
            big_up = timed(lambda: bench.stacks["ocp"].up(color="never"))
            held = sum(len(ocp.store.links(i)) for i in range(1, args.big + 1))
            big_ok = held == args.big * LINKS_PER_RESOURCE
            bench.stacks["ocp"].destroy(color="never")
        except auto.CommandError as exc:
            print(exc)
            big_up, big_ok = float("nan"), False

    blob_now, blob_changed = blob_after_code_change(work)
    check_diff = measure_check_diff([100, 1_000, 10_000, 50_000])
    import_ms, pulumi_import_ms = measure_import()
    shutil.rmtree(work, ignore_errors=True)

    def median(size: int, kind: str, op: str) -> float:
        return statistics.median(times[size][kind][op])

    timing_rows = {
        size: {
            op: {
                "ocp_s": median(size, "ocp", op),
                "noop_s": median(size, "noop", op),
                "ratio": median(size, "ocp", op) / median(size, "noop", op),
            }
            for op in ("preview", "create", "update")
        }
        for size in sizes
    }
    largest = max(sizes)
    results = {
        "http_calls": http_calls,
        "timings": {str(size): rows for size, rows in timing_rows.items()},
        "preview_noop_ratio": timing_rows[largest]["preview"]["ratio"],
        "up_create_ratio": timing_rows[largest]["create"]["ratio"],
        "up_update_ratio": timing_rows[largest]["update"]["ratio"],
        "provider_blob_bytes": blob["bytes"],
        "provider_blob_base64_chars": blob["base64_chars"],
        "provider_blob_stable": blob_now == blob_changed == blob["stored"],
        "check_diff_ms": {str(count): ms for count, ms in check_diff["unchanged"].items()},
        "check_diff_changed_ms": {str(count): ms for count, ms in check_diff["changed"].items()},
        "check_diff_10k_ms": check_diff["unchanged"][10_000],
        "check_diff_changed_10k_ms": check_diff["changed"][10_000],
        "import_ms": import_ms,
        "pulumi_dynamic_import_ms": pulumi_import_ms,
        "resources_200_ok": big_ok if args.big == 200 else None,
        f"resources_{args.big}_up_s": big_up,
        "repeats": args.repeats,
        "bench_seconds": time.perf_counter() - started,
    }
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print_table(results, sizes)
    return 0


def print_table(results: dict[str, Any], sizes: list[int]) -> None:
    print()
    print("| operation | HTTP calls per resource | floor | at floor |")
    print("| --- | --- | --- | --- |")
    for name, figures in results["http_calls"].items():
        measured = ", ".join(f"{k} {v:g}" for k, v in figures["measured"].items()) or "none"
        floor = ", ".join(f"{k} {v}" for k, v in figures["floor"].items()) or "none"
        print(f"| {name} | {measured} | {floor} | {'yes' if figures['at_floor'] else 'NO'} |")
    print()
    print("| resources (10 links each) | operation | ocp-provider s | no-op floor s | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for size in sizes:
        for op, row in results["timings"][str(size)].items():
            print(
                f"| {size} | {op} | {row['ocp_s']:.2f} | {row['noop_s']:.2f} | {row['ratio']:.2f} |"
            )
    print()
    print("| figure | value | target |")
    print("| --- | --- | --- |")
    print(f"| unchanged preview ratio | {results['preview_noop_ratio']:.2f} | <= 1.10 |")
    print(f"| create ratio | {results['up_create_ratio']:.2f} | <= 1.25 |")
    print(f"| provider blob in state | {results['provider_blob_bytes']} bytes | <= 200 |")
    print(f"| blob unchanged by a code change | {results['provider_blob_stable']} | true |")
    for count, ms in results["check_diff_ms"].items():
        changed = results["check_diff_changed_ms"][count]
        print(
            f"| check + diff CPU, {int(count):,} links, unchanged / one changed | "
            f"{ms:.1f} / {changed:.1f} ms | 10,000: <= 50 ms |"
        )
    print(f"| import of ocp_provider by the provider process | {results['import_ms']:.0f} ms | |")
    print(f"| import pulumi.dynamic itself | {results['pulumi_dynamic_import_ms']:.0f} ms | |")
    print(f"| 200 resources up without errors | {results['resources_200_ok']} | true |")
    print(f"| benchmark wall time | {results['bench_seconds'] / 60:.1f} min | < 15 min |")


if __name__ == "__main__":
    sys.exit(main())
