# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tags + purge_tags update every tag-taking module does, with the service calls passed in."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def sync_tags(module, current, untag, tag, wanted=None, purge=None):
    """Bring the resource's tags (``current``, a dict) to ``wanted`` and ``purge`` (default: the tags and purge_tags params).

    ``untag(keys)`` and ``tag(tags_dict)`` make the service's calls. Returns False when the wanted
    tags are unset or nothing differs, True when a change is (or, in check mode, would be) made.
    """
    wanted = module.params["tags"] if wanted is None else wanted
    if wanted is None:
        return False
    purge = module.params["purge_tags"] if purge is None else purge
    to_add, to_remove = compare_aws_tags(current or {}, wanted, purge)
    if not (to_add or to_remove):
        return False
    if module.check_mode:
        return True
    if to_remove:
        untag(to_remove)
    if to_add:
        tag(to_add)
    return True
