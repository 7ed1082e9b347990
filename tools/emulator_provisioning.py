"""Provisioning times for the emulator (opt-in; the benchmark's wait timeline), applied by ``emulator.py serve``.

moto 5.2.5 creates an RDS instance, an ElastiCache replication group and a NAT gateway already
available, and an application load balancer turns active on its first describe. On AWS each takes
minutes, and a first converge spends most of its time waiting for them. With
``CLOUDPLATFORM_PROVISIONING="rds=60,elasticache=50,nat=20,alb=30"`` in the server's environment,
each kind describes as AWS shows it while it is being created (``creating``, ``pending``,
``provisioning``) for that many seconds after its creation, then as available. The control path
``/_cloudplatform/provisioning?rds=30&elasticache=30`` sets the times for what is created next.
The benchmark uses it to time how the converge overlaps these waits, and an integration test to
run the wait loops; other tests leave every time at 0 (moto's own behaviour).
"""

from __future__ import annotations

import os
import time

ENV = "CLOUDPLATFORM_PROVISIONING"

# kind -> (model module, class, attribute, state shown while provisioning)
KINDS = {
    "rds": ("moto.rds.models", "DBInstance", "status", "creating"),
    "elasticache": ("moto.elasticache.models", "ReplicationGroup", "status", "creating"),
    "nat": ("moto.ec2.models.nat_gateways", "NatGateway", "state", "pending"),
    "alb": ("moto.elbv2.models", "FakeLoadBalancer", "state", "provisioning"),
}


def parse(spec: str) -> dict[str, float]:
    """``"rds=60,nat=20"`` -> ``{"rds": 60.0, "nat": 20.0}``; unknown kinds are an error."""
    delays = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        kind, _, seconds = part.partition("=")
        if kind not in KINDS:
            raise ValueError(f"{ENV}: unknown kind {kind!r} in {spec!r}; expected one of {', '.join(sorted(KINDS))}")
        delays[kind] = float(seconds)
    return delays


# The provisioning time of each kind, for resources created from now on.
DELAYS: dict[str, float] = {}


def provisioning(cls, kind: str, attribute: str, interim: str) -> None:
    """Make ``cls.<attribute>`` read ``interim`` for DELAYS[kind] seconds after each instance is created."""
    stored = f"_provisioning_{attribute}"
    original_init = cls.__init__

    def __init__(self, *args, **kwargs):
        self.__dict__["_provisioning_until"] = time.monotonic() + DELAYS.get(kind, 0.0)
        original_init(self, *args, **kwargs)

    def _get(self):
        value = self.__dict__.get(stored)
        if value in ("available", "active") and time.monotonic() < self.__dict__.get("_provisioning_until", 0):
            return interim
        return value

    def _set(self, value):
        self.__dict__[stored] = value

    cls.__init__ = __init__
    setattr(cls, attribute, property(_get, _set))


def apply() -> None:
    import importlib

    DELAYS.update(parse(os.environ.get(ENV, "")))
    for kind, (module, name, attribute, interim) in KINDS.items():
        provisioning(getattr(importlib.import_module(module), name), kind, attribute, interim)
