#!/usr/bin/env python3
"""Converge benchmark on the prod-shaped `local` stack (make bench; not part of make test).

Measures, against a fresh emulator: first converge, no-op converge and check-mode converge wall
times; the AWS API calls each makes by service and action, split into reads and writes, counted
at the HTTP level by the emulator's recorder; the number of managed resources; and the no-op
figures with 3, 10 and 20 services in the inventory. Writes docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from calls import read_calls  # noqa: E402

PLAYBOOK = str(Path(sys.executable).parent / "ansible-playbook")


def default_services() -> list[dict]:
    """The inventory's service list (group_vars/all/services.yml)."""
    import yaml

    return yaml.safe_load((ROOT / "group_vars/all/services.yml").read_text())["cloudplatform_services"]


def extra_services(count: int) -> list[dict]:
    """The default services plus generated API services up to `count`."""
    services = default_services()
    for index in range(len(services), count):
        name = f"svc{index:02d}"
        services.append({
            "name": name, "port": 9000 + index, "paths": [f"/{name}/*"], "health_check_path": "/health",
            "capacity_provider": "FARGATE", "min_count": 2, "max_count": 4, "scaling": {"cpu_target": 70},
        })
    return services[:count]


def converge(label: str, log: Path, args: list[str], extra: dict | None = None, env: dict | None = None) -> dict:
    start_line = len(read_calls(log))
    cmd = [PLAYBOOK, "site.yml", "-i", "inventories/local", *args]
    if extra:
        cmd += ["-e", json.dumps(extra)]
    began, began_wall = time.monotonic(), time.time()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})})
    seconds = time.monotonic() - began
    if proc.returncode != 0:
        print(proc.stdout[-4000:], proc.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"{label}: ansible-playbook failed ({proc.returncode})")
    calls = [c for c in read_calls(log)[start_line:] if "mark" not in c and not c.get("fault")]
    counts = Counter((c["kind"], c["service"], c["action"]) for c in calls)
    recap = [line for line in proc.stdout.splitlines() if line.startswith("localhost")]
    return {
        "label": label,
        "seconds": round(seconds, 1),
        "reads": sum(n for (k, _, _), n in counts.items() if k == "read"),
        "writes": sum(n for (k, _, _), n in counts.items() if k == "write"),
        "by_action": {f"{k} {s}:{a}": n for (k, s, a), n in sorted(counts.items())},
        "recap": recap[-1] if recap else "",
        "began": began_wall,
        "stdout": proc.stdout,
        "calls": calls,
    }


# Provisioning times the timeline run gives the emulator (tools/emulator_provisioning.py): AWS's
# typical creation times (NAT gateway ~2 min, ALB ~3 min, Multi-AZ Redis ~12 min, Multi-AZ RDS
# ~15 min) scaled 1 minute -> 6 seconds, so the run shows the same overlap in a few minutes.
# Each no-op and check-mode figure is the median of this many runs.
REPEAT = 3
PROVISIONING = {"nat": 12, "alb": 18, "elasticache": 72, "rds": 90}
CREATE_CALLS = {"nat": "CreateNatGateway", "alb": "CreateLoadBalancer", "elasticache": "CreateReplicationGroup",
                "rds": "CreateDBInstance"}
RESOURCE_NAMES = {"nat": "NAT gateways", "alb": "load balancer", "elasticache": "Redis replication group",
                  "rds": "PostgreSQL instance"}
# Tasks shown in the timeline: (label, task name pattern).
TIMELINE_TASKS = [
    ("create the NAT gateways (waits for them)", r"vpc : Create the NAT gateways"),
    ("start the PostgreSQL instance", r"rds : Create or update the PostgreSQL instance"),
    ("start the Redis replication group", r"elasticache : Create or update the Redis replication group"),
    ("start the load balancer", r"alb : Create or update the load balancer"),
    ("wait for the PostgreSQL instance", r"rds : Wait until the database is available"),
    ("wait for the Redis replication group", r"elasticache : Wait until the Redis replication group is available"),
    ("converge the ECS services", r"ecs_service : "),
]


def task_times(stdout: str) -> list[tuple[str, float, float]]:
    """(task name, start, end) in seconds from the start of the run, from the profile_tasks lines."""
    starts, names, end = [], [], 0.0
    lines = stdout.splitlines()
    for index, line in enumerate(lines[:-1]):
        elapsed = re.search(r"\)\s+(\d+):(\d+):([\d.]+)", lines[index + 1])
        if elapsed:
            offset = int(elapsed.group(1)) * 3600 + int(elapsed.group(2)) * 60 + float(elapsed.group(3))
            task = re.match(r"TASK \[(.*)\]", line)
            if task:
                names.append(task.group(1))
                starts.append(offset)
            end = max(end, offset)
    return [(name, start, starts[i + 1] if i + 1 < len(starts) else end) for i, (name, start) in enumerate(zip(names, starts, strict=True))]


def timeline(run: dict) -> dict:
    """When each long-provisioning resource was created and became available, and when the steps ran."""
    resources = []
    for kind, seconds in PROVISIONING.items():
        created = [c["ts"] - run["began"] for c in run["calls"] if c.get("action") == CREATE_CALLS[kind]]
        if created:
            resources.append({"kind": kind, "name": RESOURCE_NAMES[kind], "count": len(created), "created": round(min(created), 1),
                              "available": round(max(created) + seconds, 1), "provisioning": seconds})
    tasks = task_times(run["stdout"])
    steps = []
    for label, pattern in TIMELINE_TASKS:
        matching = [(start, end) for name, start, end in tasks if re.search(pattern, name)]
        if matching:
            steps.append({"step": label, "start": round(min(s for s, _ in matching), 1), "end": round(max(e for _, e in matching), 1)})
    return {"seconds": run["seconds"], "resources": resources, "steps": steps,
            "sum_of_provisioning": sum(r["provisioning"] for r in resources)}


def set_provisioning(**seconds) -> None:
    import urllib.request

    query = "&".join(f"{kind}={value}" for kind, value in seconds.items())
    with urllib.request.urlopen(f"{os.environ['CLOUDPLATFORM_AWS_ENDPOINT_URL']}/_cloudplatform/provisioning?{query}", timeout=10):
        pass


def reset_emulator() -> None:
    import urllib.request

    request = urllib.request.Request(f"{os.environ['CLOUDPLATFORM_AWS_ENDPOINT_URL']}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=60):
        pass


def timeline_run(log: Path) -> dict:
    """A first converge on an empty account whose slow resources take PROVISIONING seconds to create."""
    reset_emulator()
    set_provisioning(**PROVISIONING)
    try:
        run = converge("first converge with provisioning times", log, [],
                       {"rds_wait_poll_interval": 3, "elasticache_wait_poll_interval": 3},
                       env={"ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks"})
    finally:
        set_provisioning(**dict.fromkeys(PROVISIONING, 0))
    return timeline(run)


def repeated(label: str, log: Path, args: list[str], extra: dict | None = None, times: int = REPEAT) -> dict:
    """The converge run `times` times; the run of median wall time, with every wall time listed.

    A no-op converge on a 2-core machine varies by several seconds from run to run (whatever else
    the machine does); the median of three is the figure, and the spread is shown next to it.
    """
    runs = sorted((converge(label, log, args, extra) for _ in range(times)), key=lambda run: run["seconds"])
    return dict(runs[len(runs) // 2], all_seconds=[run["seconds"] for run in runs])


def resource_kind(service: str, kind: str) -> str:
    """service:type; S3 bucket and SNS topic ARNs carry the name where other ARNs carry the type."""
    if service == "s3":
        return "s3:bucket"
    if service == "sns":
        return "sns:topic"
    return f"{service}:{kind}"


def managed_resources(project: str, env: str) -> dict:
    import boto3

    endpoint = os.environ["CLOUDPLATFORM_AWS_ENDPOINT_URL"]
    tagging = boto3.client("resourcegroupstaggingapi", region_name="us-east-1", endpoint_url=endpoint)
    pages = tagging.get_paginator("get_resources").paginate(
        TagFilters=[{"Key": "Project", "Values": [project]}, {"Key": "Environment", "Values": [env]}])
    kinds = Counter()
    for page in pages:
        for mapping in page["ResourceTagMappingList"]:
            parts = mapping["ResourceARN"].split(":", 5)
            resource = parts[5]
            cut = min((i for i in (resource.find("/"), resource.find(":")) if i >= 0), default=len(resource))
            kinds[resource_kind(parts[2], resource[:cut])] += 1
    iam = boto3.client("iam", region_name="us-east-1", endpoint_url=endpoint)
    prefix = f"{project}-{env}"
    kinds["iam:role"] = sum(1 for page in iam.get_paginator("list_roles").paginate()
                            for r in page["Roles"] if r["RoleName"].startswith(prefix))
    kinds["iam:policy"] = sum(1 for page in iam.get_paginator("list_policies").paginate(Scope="Local")
                              for p in page["Policies"] if p["PolicyName"].startswith(prefix))
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=endpoint)
    groups = ec2.describe_security_groups(Filters=[{"Name": "tag:Environment", "Values": [env]}])["SecurityGroups"]
    kinds["ec2:security-group-rule"] = sum(len(g["IpPermissions"]) + len(g["IpPermissionsEgress"]) for g in groups)
    return dict(sorted(kinds.items()))


def inner(args: argparse.Namespace) -> int:
    log = Path(os.environ["CLOUDPLATFORM_EMULATOR_LOG"])
    results = {"runs": [], "scaling": []}
    results["runs"].append(converge("first converge", log, []))
    results["runs"].append(repeated("no-op converge", log, []))
    results["runs"].append(repeated("check-mode converge", log, ["--check", "--diff"]))
    results["resources"] = managed_resources("cloudplatform", "local")
    default_count = len(default_services())
    for count in args.services:
        if count == default_count:
            # The inventory's own three services: the no-op converge above is that figure.
            run = dict(next(r for r in results["runs"] if r["label"] == "no-op converge"), services=count)
        else:
            services = {"cloudplatform_services": extra_services(count)}
            converge(f"first converge, {count} services", log, [], services)
            run = repeated(f"no-op converge, {count} services", log, [], services)
            run["services"] = count
        results["scaling"].append(run)
    results["timeline"] = timeline_run(log)
    for run in [*results["runs"], *results["scaling"]]:
        for key in ("stdout", "calls", "began"):
            run.pop(key, None)
    Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as handle:
        mem_kb = int(handle.readline().split()[1])
    return f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1048576:.0f} GiB RAM, {platform.platform()}, Python {platform.python_version()}"


def targets(results: dict, noop: dict, check: dict, total_resources: int) -> list[str]:
    """The targets of the performance issue against the figures of this run."""
    reads_per = noop["reads"] / total_resources if total_resources else 0
    rows = [
        ("No-op converge: write calls", "0", str(noop["writes"]), noop["writes"] == 0),
        ("No-op converge: read calls per managed resource", "<= 3", f"{reads_per:.2f}", reads_per <= 3),
        ("No-op converge: wall time", "< 60 s (stretch 30 s)", f"{noop['seconds']} s", noop["seconds"] < 60),
        ("Check-mode converge: write calls", "0", str(check["writes"]), check["writes"] == 0),
        ("Check-mode / no-op wall time", "<= 1.2x", f"{check['seconds'] / noop['seconds']:.2f}x",
         check["seconds"] <= 1.2 * noop["seconds"]),
    ]
    scaling = results.get("scaling") or []
    if len(scaling) > 1 and scaling[-1]["services"] != scaling[0]["services"]:
        per = (scaling[-1]["seconds"] - scaling[0]["seconds"]) / (scaling[-1]["services"] - scaling[0]["services"])
        rows.append(("No-op converge: each added service", "<= 2.5 s", f"{per:.2f} s", per <= 2.5))
    lines = ["## Targets", "", "| Target | Wanted | Measured | Met |", "|---|---|---|---|"]
    lines += [f"| {name} | {wanted} | {measured} | {'yes' if met else 'no'} |" for name, wanted, measured, met in rows]
    return [*lines, ""]


def gantt(rows: list[tuple[str, float, float]], total: float, width: int = 60) -> list[str]:
    """A text bar per row: '#' from start to end on a scale of `total` seconds."""
    label_width = max(len(label) for label, _, _ in rows)
    scale = width / total if total else 0
    out = []
    for label, start, end in rows:
        begin = int(start * scale)
        bar = "#" * max(1, int(end * scale) - begin)
        out.append(f"{label.ljust(label_width)} |{' ' * begin}{bar}")
    out.append(f"{''.ljust(label_width)} +{'-' * width} {total:.0f} s")
    return out


def render_timeline(data: dict, first_without_waits: float) -> list[str]:
    resources, steps = data["resources"], data["steps"]
    lines = [
        "", "## First converge: the long waits run side by side", "",
        "On AWS a first converge is dominated by resources that take minutes to create. This run gives "
        "the emulator AWS's typical creation times scaled 1 min -> 6 s (tools/emulator_provisioning.py): "
        "each resource describes as creating/pending/provisioning for that long after its create call. "
        "The converge starts the database and Redis without waiting, converges the layers that do not "
        "need them (ECR, cluster, load balancer, WAF) while they provision, and waits for both just before "
        "the ECS services; the NAT gateways are waited for inside the network layer (the app routes "
        "need them) and the load balancer is never waited for (ECS registers targets once it is active).",
        "",
        f"First converge with these provisioning times: **{data['seconds']} s**. The same converge without "
        f"provisioning times took {first_without_waits} s and the provisioning times add up to "
        f"{data['sum_of_provisioning']} s, so waiting for each resource in turn would take at least "
        f"{first_without_waits + data['sum_of_provisioning']:.0f} s.",
        "", "| Resource | Created at (s) | Provisioning time (s) | Available at (s) |", "|---|---|---|---|",
    ]
    lines += [f"| {r['name']}{' x' + str(r['count']) if r['count'] > 1 else ''} | {r['created']} | {r['provisioning']} | {r['available']} |"
              for r in resources]
    lines += ["", "| Converge step | From (s) | To (s) |", "|---|---|---|"]
    lines += [f"| {st['step']} | {st['start']} | {st['end']} |" for st in steps]
    rows = [(f"{r['name']} provisioning", r["created"], r["available"]) for r in resources]
    rows += [(st["step"], st["start"], st["end"]) for st in steps]
    lines += ["", "```", *gantt(rows, data["seconds"]), "```"]
    return lines


def render(results: dict) -> str:
    total_resources = sum(results["resources"].values())
    lines = [
        "# Converge performance",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `make bench` (tools/benchmark.py) on "
        f"{machine()}, against the local emulator on loopback. API calls are counted at the HTTP level by the "
        "emulator's recorder (tools/emulator.py). Where the time goes and what is left to do: "
        "[performance-notes.md](performance-notes.md).",
        "",
        "## Prod-shaped `local` stack (3 services)",
        "",
        "| Run | Wall time (s) | Read calls | Write calls | Reads per managed resource | Recap |",
        "|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        per = run["reads"] / total_resources if total_resources else 0
        spread = f" (runs: {', '.join(map(str, run['all_seconds']))})" if run.get("all_seconds") else ""
        lines.append(f"| {run['label']} | {run['seconds']}{spread} | {run['reads']} | {run['writes']} | {per:.2f} | `{run['recap']}` |")
    noop = next(r for r in results["runs"] if r["label"] == "no-op converge")
    check = next(r for r in results["runs"] if r["label"] == "check-mode converge")
    lines += ["", f"Check-mode / no-op wall time: {check['seconds'] / noop['seconds']:.2f}x.", ""]
    lines += targets(results, noop, check, total_resources)
    lines += [f"Managed resources: {total_resources}.", "", "| Resource type | Count |", "|---|---|"]
    lines += [f"| {kind} | {count} |" for kind, count in results["resources"].items()]
    if results["scaling"]:
        lines += ["", "## No-op converge by number of services", "",
                  "| Services | Wall time (s) | Read calls | Write calls |", "|---|---|---|---|"]
        lines += [f"| {r['services']} | {r['seconds']}{' (runs: ' + ', '.join(map(str, r['all_seconds'])) + ')' if r.get('all_seconds') else ''} "
                  f"| {r['reads']} | {r['writes']} |" for r in results["scaling"]]
        first, last = results["scaling"][0], results["scaling"][-1]
        if last["services"] != first["services"]:
            per_service = (last["seconds"] - first["seconds"]) / (last["services"] - first["services"])
            lines += ["", f"Each added service costs {per_service:.2f} s of no-op converge time."]
    if results.get("timeline"):
        lines += render_timeline(results["timeline"], results["runs"][0]["seconds"])
    for run in results["runs"]:
        lines += ["", f"### Calls of the {run['label']}", "", "| Kind, service:action | Calls |", "|---|---|"]
        lines += [f"| {name} | {count} |" for name, count in run["by_action"].items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, nargs="*", default=[3, 10, 20])
    parser.add_argument("--json", default=str(ROOT / ".cache" / "benchmark.json"))
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--render-only", action="store_true", help="rewrite the page from the last --json results")
    args = parser.parse_args(argv)
    if args.inner:
        return inner(args)
    if args.render_only:
        Path(args.output).write_text(render(json.loads(Path(args.json).read_text())))
        return 0
    cmd = [sys.executable, str(ROOT / "tools" / "emulator.py"), "run", "--log", str(ROOT / ".cache" / "emulator" / "bench.jsonl"),
           "--", sys.executable, __file__, "--inner", "--json", args.json, "--services", *map(str, args.services)]
    code = subprocess.call(cmd, cwd=ROOT)
    if code:
        return code
    Path(args.output).write_text(render(json.loads(Path(args.json).read_text())))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
