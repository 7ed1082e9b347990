#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: lambda_package
short_description: Build a deterministic zip of a Lambda function's source directory
version_added: 0.1.0
description:
  - Zips every file under O(src) with fixed timestamps and permissions in name order, so the same
    source always gives the same bytes and the same C(CodeSha256). Lambda modules compare that hash,
    so an unchanged function is never re-uploaded.
  - Writes O(dest) only when its content would change.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  src:
    description: Directory with the function's source files.
    type: path
    required: true
  dest:
    description: Path of the zip file to write.
    type: path
    required: true
attributes:
  check_mode:
    support: full
    description: Reports whether the zip would change and writes nothing.
  diff_mode:
    support: none
    description: The zip is binary; the result says whether its content hash changed.
  platform:
    support: full
    platforms: posix
    description: Runs where the source directory is (the controller for local connections).
"""

EXAMPLES = r"""
- name: Package the audit function
  cloudplatform.aws.lambda_package:
    src: "{{ role_path }}/files/audit_function"
    dest: "{{ playbook_dir }}/.cache/audit_function.zip"
"""

RETURN = r"""
dest:
  description: Path of the zip.
  returned: always
  type: str
code_sha256:
  description: Base64 SHA-256 of the zip, as Lambda reports it in C(CodeSha256).
  returned: always
  type: str
  sample: 3gs3Rp3nEzLx0MoaAk1TtlC4y4OlMk3Lcx4y2/2w+UM=
"""

import base64
import hashlib
import io
import os
import zipfile

from ansible.module_utils.basic import AnsibleModule

_EPOCH = (1980, 1, 1, 0, 0, 0)


def build(src):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for root, dirs, files in os.walk(src):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".pyc"):
                    continue
                path = os.path.join(root, name)
                info = zipfile.ZipInfo(os.path.relpath(path, src), date_time=_EPOCH)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(path, "rb") as handle:
                    archive.writestr(info, handle.read())
    return buffer.getvalue()


def main():
    module = AnsibleModule(
        argument_spec=dict(src=dict(type="path", required=True), dest=dict(type="path", required=True)),
        supports_check_mode=True,
    )
    src, dest = module.params["src"], module.params["dest"]
    if not os.path.isdir(src):
        module.fail_json(msg=f"src: {src} is not a directory; give the directory holding the function's source.")
    data = build(src)
    current = None
    if os.path.exists(dest):
        with open(dest, "rb") as handle:
            current = handle.read()
    changed = current != data
    if changed and not module.check_mode:
        os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
        with open(dest, "wb") as handle:
            handle.write(data)
    sha = base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")
    module.exit_json(changed=changed, dest=dest, code_sha256=sha)


if __name__ == "__main__":
    main()
