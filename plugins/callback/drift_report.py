# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: drift_report
type: aggregate
short_description: Write a drift report from a check-mode run
version_added: 0.1.0
description:
  - In check mode, every task that would change something is drift, because the live state differs
    from the inventory. This callback records each such result (role, task, resource, before and
    after from the module's diff) and writes C(drift.json) for machines and C(drift.md) for people.
  - The report is rewritten after every drifted result, so a later play of the same run (see
    C(playbooks/drift.yml)) can read it and fail the run when there is drift.
  - It does nothing for tasks that do not run in check mode.
requirements:
  - Enable it in ansible.cfg (C(callbacks_enabled)) or with C(ANSIBLE_CALLBACKS_ENABLED).
options:
  report_dir:
    description:
      - Directory the report is written to; created when missing.
      - A relative path is taken from the directory of the playbook being run
        (C(playbooks/drift-report) for C(playbooks/drift.yml)).
    default: drift-report
    # str, not path: ansible would make a relative path absolute against the working directory.
    type: str
    env:
      - name: CLOUDPLATFORM_DRIFT_REPORT_DIR
    ini:
      - section: callback_drift_report
        key: report_dir
"""

import datetime
import json
import os

from ansible import context
from ansible.plugins.callback import CallbackBase

# Keys modules use for the id of what they manage, most specific first.
_ID_KEYS = (
    "arn", "group_id", "vpc_id", "subnet_id", "nat_gateway_id", "route_table_id", "db_instance_identifier",
    "replication_group_id", "load_balancer_arn", "target_group_arn", "key_arn", "name", "id",
)


def _resource(result, label):
    for source in (result, result.get("diff") if isinstance(result.get("diff"), dict) else {}):
        for key in _ID_KEYS:
            value = source.get(key) if isinstance(source, dict) else None
            if isinstance(value, str) and value:
                return value
    return label


def _state_values(result):
    """The live values a module returned: its top-level keys and those of its nested resource dicts."""
    values = {}
    for key, value in result.items():
        if isinstance(value, dict) and not key.startswith("_") and key not in ("invocation", "diff"):
            values.update({k: v for k, v in value.items() if not isinstance(v, (dict, list))})
    values.update({k: v for k, v in result.items() if not isinstance(v, (dict, list))})
    return values


def _args_against_state(result):
    """For modules without diff support: the arguments that differ from the state they returned."""
    args = (result.get("invocation") or {}).get("module_args") or {}
    live = _state_values(result)
    before, after = {}, {}
    for key, wanted in args.items():
        if wanted is None or isinstance(wanted, (dict, list)) or key not in live or "NO_LOG" in str(wanted):
            continue
        if str(live[key]) != str(wanted):
            before[key], after[key] = live[key], wanted
    return [{"before": before, "after": after}] if before else []


def _diffs(result):
    diff = result.get("diff")
    if isinstance(diff, list):
        return [d for d in diff if isinstance(d, dict)]
    if isinstance(diff, dict) and diff:
        return [diff]
    return _args_against_state(result)


def _per_resource(action, result):
    """A list module (cloudplatform.aws.*_set) keys its diff by resource name: one entry per resource that differs.

    Returns [(resource, before, after)], or None for a module that manages one resource.
    """
    diff = result.get("diff")
    if not str(action).endswith("_set") or not isinstance(diff, dict):
        return None
    before, after = diff.get("before"), diff.get("after")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    names = sorted(set(before) | set(after))
    return [(name, before.get(name), after.get(name)) for name in names if before.get(name) != after.get(name)]


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "cloudplatform.aws.drift_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._entries = []
        self._started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        self._active = False
        self._basedir = os.getcwd()

    def _record(self, result, label=None):
        if not result.task_fields.get("check_mode", result.task.check_mode):
            return
        if not self._active:
            # The first check-mode result starts the report, so a stale one never survives a run.
            self._active = True
            self._write()
        if not result.result.get("changed"):
            return
        role = result.task._role.get_name() if result.task._role else ""
        per_resource = _per_resource(result.task.action, result.result)
        if per_resource:
            self._entries.extend({"role": role, "task": result.task.get_name(), "resource": name,
                                  "changes": [{"before": before, "after": after}]} for name, before, after in per_resource)
        else:
            self._entries.append({
                "role": role,
                "task": result.task.get_name(),
                "resource": _resource(result.result, label) or result.task.get_name(),
                "changes": [{"before": d.get("before"), "after": d.get("after")} for d in _diffs(result.result)],
            })
        self._write()

    def v2_playbook_on_start(self, playbook):
        self._basedir = getattr(playbook, "_basedir", None) or self._basedir

    def v2_runner_on_ok(self, result):
        if "results" not in result.result:
            self._record(result)

    def v2_runner_item_on_ok(self, result):
        self._record(result, label=str(result.result.get("_ansible_item_label", result.result.get("item", ""))))

    def _write(self):
        directory = os.path.join(self._basedir, os.path.expanduser(self.get_option("report_dir")))
        os.makedirs(directory, exist_ok=True)
        report = {
            "generated": self._started,
            "inventory": [str(i) for i in (context.CLIARGS.get("inventory") or [])],
            "drift_count": len(self._entries),
            "drift": self._entries,
        }
        with open(os.path.join(directory, "drift.json"), "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2, sort_keys=True, default=str)
        with open(os.path.join(directory, "drift.md"), "w", encoding="utf-8") as handle:
            handle.write(self._markdown(report))

    @staticmethod
    def _markdown(report):
        lines = ["# Drift report", "", "Generated %s. %d resource(s) differ from the inventory." % (report["generated"], report["drift_count"]), ""]
        if not report["drift"]:
            lines.append("No drift: the live state matches the inventory.")
        for entry in report["drift"]:
            lines += ["## %s" % entry["resource"], "", "- role: `%s`" % entry["role"], "- task: %s" % entry["task"], ""]
            for change in entry["changes"] or [{"before": "(the module reported a change without a diff)", "after": ""}]:
                lines += ["```diff"]
                lines += ["- %s" % line for line in json.dumps(change["before"], indent=2, sort_keys=True, default=str).splitlines()]
                lines += ["+ %s" % line for line in json.dumps(change["after"], indent=2, sort_keys=True, default=str).splitlines()]
                lines += ["```", ""]
        return "\n".join(lines) + "\n"
