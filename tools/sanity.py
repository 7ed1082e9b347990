#!/usr/bin/env python3
"""Run `ansible-test sanity` on the collection's plugins, offline.

ansible-test needs the collection at a path ending in ansible_collections/cloudplatform/aws and
bootstraps pip in its virtualenvs with a script it downloads from a host the build machines
cannot reach. This wrapper links the checkout into a temporary collection tree and, when the
cached bootstrap script is missing, writes a stand-in that uses ensurepip and the local pip
configuration instead. No ignore file is used: tests/sanity/ has none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"

GET_PIP_STANDIN = '''\
"""Offline stand-in for get-pip.py used by ansible-test: ensurepip, then pip with local config."""
import ensurepip
import os
import ssl
import subprocess
import sys

ensurepip.bootstrap()
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
if args:
    cafile = ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt"
    cert = ["--cert", cafile] if os.path.exists(cafile) else []
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *cert, *args])
'''


def ensure_get_pip() -> None:
    cache = Path.home() / ".ansible" / "test" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    for name in ("get_pip_24_2.py", "get_pip_24_3_1.py", "get_pip_25_0_1.py"):
        target = cache / name
        if not target.exists():
            target.write_text(GET_PIP_STANDIN)


def main() -> int:
    ensure_get_pip()
    if (ROOT / "tests" / "sanity").exists() and any((ROOT / "tests" / "sanity").glob("ignore-*.txt")):
        print("tests/sanity/ignore-*.txt exists: the project allows no sanity ignore entries", file=sys.stderr)
        return 1
    ansible_test = Path(sys.executable).parent / "ansible-test"
    with tempfile.TemporaryDirectory(prefix="cp-sanity-") as tmp:
        # A copy of the tracked and new files in its own git tree: ansible-test resolves the working
        # directory (so a symlinked checkout is not inside ansible_collections) and rejects
        # symlinked directories.
        link = Path(tmp) / "ansible_collections" / "cloudplatform" / "aws"
        link.mkdir(parents=True)
        files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                               capture_output=True).stdout.decode().split("\0")
        for name in filter(None, files):
            source = ROOT / name
            if source.is_file() and not source.is_symlink():
                (link / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, link / name)
        for git in (["init", "-q"], ["add", "-A"]):
            subprocess.run(["git", *git], cwd=link, check=True)
        # The collections we depend on sit beside ours, where ansible-test looks for them (import
        # and validate-modules need amazon.aws module_utils and doc fragments).
        import ansible_collections

        installed = Path(ansible_collections.__path__[0])
        for namespace in ("amazon", "community", "ansible"):
            (link.parents[1] / namespace).symlink_to(installed / namespace, target_is_directory=True)
        env = {k: v for k, v in os.environ.items() if k != "ANSIBLE_CONFIG"}
        cmd = [str(ansible_test), "sanity", "--local", "--python", PYTHON, "--color", "no", *sys.argv[1:], "plugins/"]
        print("+", " ".join(cmd), flush=True)
        return subprocess.call(cmd, cwd=link, env=env)


if __name__ == "__main__":
    sys.exit(main())
