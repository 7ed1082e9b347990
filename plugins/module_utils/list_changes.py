# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bookkeeping shared by the list modules: what a run created, updated and deleted, and its diff by key."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ListChanges:
    """The module and client of a list module, and what it created, updated and deleted, with the diff by key."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.changes = dict(created=[], updated=[], deleted=[])
        self.before = {}
        self.after = {}

    def record(self, kind, key, before=None, after=None):
        self.changes[kind].append(key)
        if before is not None:
            self.before[key] = before
        if after is not None:
            self.after[key] = after

    def converge(self):
        raise NotImplementedError

    def final(self):
        """The resources after the change (re-read, or predicted in check mode)."""
        raise NotImplementedError

    def converged(self, name):
        """Converge, then the module result: changed, the created/updated/deleted keys, final() under ``name``, the diff."""
        self.converge()
        result = dict(self.changes, changed=any(self.changes.values()))
        result[name] = self.final()
        if self.module._diff:
            result["diff"] = dict(before=self.before, after=self.after)
        return result


def fail_on_errors(module, errors):
    """Fail with every input error at once, before any call to AWS."""
    if errors:
        module.fail_json(msg="; ".join(errors))
