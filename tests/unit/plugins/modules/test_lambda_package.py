"""Unit tests for cloudplatform.aws.lambda_package: the same source always zips to the same bytes."""

from __future__ import annotations

import os
import time

from ansible_collections.cloudplatform.aws.plugins.modules import lambda_package as module


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_zip_ignores_timestamps_and_caches(tmp_path):
    src = tmp_path / "src"
    write(src / "handler.py", "def handler(event, context):\n    return 1\n")
    write(src / "lib" / "util.py", "X = 1\n")
    first = module.build(str(src))
    later = time.time() + 3600
    os.utime(src / "handler.py", (later, later))
    write(src / "__pycache__" / "handler.cpython-312.pyc", "junk")
    assert module.build(str(src)) == first


def test_content_change_changes_the_zip(tmp_path):
    src = tmp_path / "src"
    write(src / "handler.py", "A = 1\n")
    first = module.build(str(src))
    write(src / "handler.py", "A = 2\n")
    assert module.build(str(src)) != first
