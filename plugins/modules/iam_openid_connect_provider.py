#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: iam_openid_connect_provider
version_added: 0.1.0
short_description: Manage an IAM OpenID Connect identity provider
description:
  - Creates, updates and deletes an IAM OpenID Connect (OIDC) identity provider, such as the
    GitHub Actions provider C(https://token.actions.githubusercontent.com), found by its URL.
  - Updates the client ids (audiences), the thumbprints and the tags of an existing provider in
    place.
author:
  - Cloudplatform Team (@cloudplatform)
options:
  url:
    description:
      - URL of the identity provider, starting with C(https://). One provider per URL per account.
    type: str
    required: true
  client_id_list:
    description:
      - Client ids (audiences) the provider accepts, for example V(sts.amazonaws.com).
      - Left as they are when not set; an existing list is replaced by the given one.
    type: list
    elements: str
  thumbprint_list:
    description:
      - SHA-1 thumbprints (40 hex characters) of the certificates of the provider's TLS chain.
      - Left as they are when not set.
    type: list
    elements: str
  state:
    description: Whether the provider exists.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change and makes no write call.
  diff_mode:
    support: full
    description: Shows the provider's settings before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS IAM API (or an endpoint that speaks it).
"""

EXAMPLES = r"""
- name: Trust GitHub Actions
  cloudplatform.aws.iam_openid_connect_provider:
    url: https://token.actions.githubusercontent.com
    client_id_list: [sts.amazonaws.com]
    thumbprint_list: [6938fd4d98bab03faadb97b34396831e3780aea1]
    tags:
      ManagedBy: ansible

- name: Remove the provider
  cloudplatform.aws.iam_openid_connect_provider:
    url: https://token.actions.githubusercontent.com
    state: absent
"""

RETURN = r"""
open_id_connect_provider:
  description: The provider.
  returned: when state is present
  type: dict
  contains:
    arn:
      description: ARN of the provider (null in check mode before creation).
      type: str
      sample: arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com
    url:
      description: URL of the provider as IAM stores it (without C(https://)).
      type: str
    client_id_list:
      description: Client ids (audiences).
      type: list
      elements: str
    thumbprint_list:
      description: Certificate thumbprints.
      type: list
      elements: str
    tags:
      description: Tags of the provider.
      type: dict
"""

try:
    import botocore  # noqa: F401  # pylint: disable=unused-import
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)

from ansible_collections.cloudplatform.aws.plugins.module_utils import iam_oidc


def bare_url(url):
    """IAM stores and compares the URL without its scheme and trailing slash."""
    url = url.strip()
    if url.lower().startswith("https://"):
        url = url[len("https://"):]
    return url.rstrip("/")


def find_provider(client, url):
    for arn in iam_oidc.list_providers(client):
        if arn.split(":oidc-provider/", 1)[-1] != bare_url(url):
            continue
        provider = iam_oidc.get_provider(client, arn)
        if provider is not None:
            provider["Arn"] = arn
            return provider
    return None


def normalise(provider):
    if not provider:
        return {}
    return {
        "arn": provider.get("Arn"),
        "url": bare_url(provider.get("Url", "")),
        "client_id_list": sorted(provider.get("ClientIDList") or []),
        "thumbprint_list": sorted(t.lower() for t in provider.get("ThumbprintList") or []),
        "tags": boto3_tag_list_to_ansible_dict(provider.get("Tags") or []),
    }


def update_client_ids(module, client, current):
    wanted = module.params["client_id_list"]
    if wanted is None:
        return False
    to_add = sorted(set(wanted) - set(current["client_id_list"]))
    to_remove = sorted(set(current["client_id_list"]) - set(wanted))
    if not to_add and not to_remove:
        return False
    if module.check_mode:
        return True
    for client_id in to_add:
        iam_oidc.add_client_id(client, current["arn"], client_id)
    for client_id in to_remove:
        iam_oidc.remove_client_id(client, current["arn"], client_id)
    return True


def update_thumbprints(module, client, current):
    wanted = module.params["thumbprint_list"]
    if wanted is None or sorted(t.lower() for t in wanted) == current["thumbprint_list"]:
        return False
    if not module.check_mode:
        iam_oidc.update_thumbprints(client, current["arn"], wanted)
    return True


def update_tags(module, client, current):
    if module.params["tags"] is None:
        return False
    to_set, to_remove = compare_aws_tags(current["tags"], module.params["tags"], module.params["purge_tags"])
    if not to_set and not to_remove:
        return False
    if module.check_mode:
        return True
    if to_remove:
        iam_oidc.untag_provider(client, current["arn"], to_remove)
    if to_set:
        iam_oidc.tag_provider(client, current["arn"], to_set)
    return True


def planned(module, current):
    after = dict(current)
    if module.params["client_id_list"] is not None:
        after["client_id_list"] = sorted(module.params["client_id_list"])
    if module.params["thumbprint_list"] is not None:
        after["thumbprint_list"] = sorted(t.lower() for t in module.params["thumbprint_list"])
    if module.params["tags"] is not None:
        tags = {} if module.params["purge_tags"] else dict(current.get("tags", {}))
        tags.update(module.params["tags"])
        after["tags"] = tags
    return after


def create(module, client):
    after = planned(module, {"arn": None, "url": bare_url(module.params["url"]), "client_id_list": [],
                             "thumbprint_list": [], "tags": {}})
    if module.check_mode:
        module.exit_json(changed=True, open_id_connect_provider=after, diff=dict(before={}, after=after))
    params = dict(Url="https://" + bare_url(module.params["url"]))
    if module.params["client_id_list"]:
        params["ClientIDList"] = module.params["client_id_list"]
    if module.params["thumbprint_list"]:
        params["ThumbprintList"] = module.params["thumbprint_list"]
    if module.params["tags"]:
        params["Tags"] = ansible_dict_to_boto3_tag_list(module.params["tags"])
    arn = iam_oidc.create_provider(client, **params)
    provider = iam_oidc.get_provider(client, arn) or {}
    provider["Arn"] = arn
    after = normalise(provider)
    module.exit_json(changed=True, open_id_connect_provider=after, diff=dict(before={}, after=after))


def ensure_present(module, client, provider):
    if provider is None:
        create(module, client)
    current = normalise(provider)
    changed = False
    changed |= update_client_ids(module, client, current)
    changed |= update_thumbprints(module, client, current)
    changed |= update_tags(module, client, current)
    if module.check_mode:
        after = planned(module, current) if changed else current
    elif changed:
        refreshed = iam_oidc.get_provider(client, current["arn"]) or {}
        refreshed["Arn"] = current["arn"]
        after = normalise(refreshed)
    else:
        after = current
    module.exit_json(changed=changed, open_id_connect_provider=after, diff=dict(before=current, after=after))


def ensure_absent(module, client, provider):
    if provider is None:
        module.exit_json(changed=False, diff=dict(before={}, after={}))
    before = normalise(provider)
    if not module.check_mode:
        iam_oidc.delete_provider(client, before["arn"])
    module.exit_json(changed=True, diff=dict(before=before, after={}))


def validate(module):
    if not module.params["url"].lower().startswith("https://"):
        module.fail_json(msg="url: %s is not accepted; an OpenID Connect provider URL starts with https://" % module.params["url"])
    bad = [t for t in module.params["thumbprint_list"] or [] if len(t) != 40 or any(c not in "0123456789abcdefABCDEF" for c in t)]
    if bad:
        module.fail_json(msg="thumbprint_list: %s are not accepted; a thumbprint is 40 hex characters (SHA-1)" % ", ".join(bad))


def main():
    argument_spec = dict(
        url=dict(type="str", required=True),
        client_id_list=dict(type="list", elements="str"),
        thumbprint_list=dict(type="list", elements="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    client = module.client("iam")
    try:
        provider = find_provider(client, module.params["url"])
        if module.params["state"] == "present":
            ensure_present(module, client, provider)
        ensure_absent(module, client, provider)
    except iam_oidc.IAMOIDCError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
