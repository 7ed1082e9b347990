"""Make ansible_collections.cloudplatform.aws importable from the checkout (make setup links it)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLLECTIONS = ROOT / ".cache" / "collections"
if not (COLLECTIONS / "ansible_collections" / "cloudplatform" / "aws").exists():
    raise RuntimeError("run `make setup` first: .cache/collections/ansible_collections/cloudplatform/aws is missing")
sys.path.insert(0, str(COLLECTIONS))
sys.path.insert(0, str(ROOT / "tools"))
