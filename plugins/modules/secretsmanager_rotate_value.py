#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: secretsmanager_rotate_value
short_description: Rotate one value of a JSON secret and apply it without downtime
version_added: 0.1.0
description:
  - Replaces one key of a JSON secret (a database password, a Redis AUTH token, a JWT signing
    key) with a new random value, in steps that each leave the secret usable.
  - 1. B(stage) - the new value is stored as a new version labelled C(AWSPENDING) (and
    C(CLOUDPLATFORM_ROTATING), which marks a rotation this module owns). Consumers still read
    C(AWSCURRENT).
  - 2. B(apply) - O(apply_to=rds) sets the instance's master password (C(ModifyDBInstance)) and
    waits until it is applied; O(apply_to=elasticache) adds the token next to the old one
    (C(ModifyReplicationGroup) with C(AuthTokenUpdateStrategy=ROTATE)), so both are accepted.
    The version is then labelled C(CLOUDPLATFORM_APPLIED).
  - 3. B(promote) - the new version becomes C(AWSCURRENT); Secrets Manager moves C(AWSPREVIOUS) to
    the old one, which stays readable (the JWT grace period).
  - 4. B(redeploy) - forces a new deployment of the ECS services that read the secret and waits
    until they are stable, so every task uses the new value.
  - 5. B(finalize) - for ElastiCache, C(AuthTokenUpdateStrategy=SET) drops the old token; then the
    helper labels are removed.
  - An interrupted run resumes where it stopped, because the labels on the versions tell which steps are
    done. A run with nothing due (no O(force), the current value younger than O(max_age_days), no
    rotation in progress) makes no write call.
  - No secret value is ever returned or logged.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  secret_id:
    description: Name or ARN of the secret. Its value must be a JSON object.
    type: str
    required: true
  key:
    description: The key of the JSON object whose value is rotated, for example C(password) or C(token).
    type: str
    required: true
  force:
    description: Rotate now even when the current value is younger than O(max_age_days).
    type: bool
    default: false
  max_age_days:
    description: Rotate when the current value is at least this many days old. Unset means only on O(force).
    type: int
  value_length:
    description: Length of the new random value (letters and digits; 16-128).
    type: int
    default: 40
  apply_to:
    description: Where the new value must be applied before it becomes current.
    type: str
    choices: [none, rds, elasticache]
    default: none
  db_instance_identifier:
    description: The RDS instance whose master password the secret holds. Required with O(apply_to=rds).
    type: str
  replication_group_id:
    description: The ElastiCache replication group whose AUTH token the secret holds. Required with O(apply_to=elasticache).
    type: str
  ecs_cluster:
    description: Cluster of O(ecs_services).
    type: str
  ecs_services:
    description: ECS services that read the secret; they are redeployed after the promotion.
    type: list
    elements: str
    default: []
  wait_timeout:
    description: Seconds to wait for each apply step and for the redeployments.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports whether a rotation is due or in progress and the steps left, without writing.
  diff_mode:
    support: full
    description: Shows the version ids and labels before and after (never the values).
  platform:
    support: full
    platforms: aws
    description: Calls Secrets Manager, RDS, ElastiCache and ECS.
"""

EXAMPLES = r"""
- name: Rotate the database master password now
  cloudplatform.aws.secretsmanager_rotate_value:
    secret_id: /prod/database/credentials
    key: password
    force: true
    apply_to: rds
    db_instance_identifier: cloudplatform-prod-rds-main
    ecs_cluster: cloudplatform-prod-cluster
    ecs_services: [cloudplatform-prod-api, cloudplatform-prod-ingest, cloudplatform-prod-worker]

- name: Rotate the Redis AUTH token when it is 90 days old
  cloudplatform.aws.secretsmanager_rotate_value:
    secret_id: /prod/redis/auth-token
    key: token
    max_age_days: 90
    apply_to: elasticache
    replication_group_id: cloudplatform-prod-redis
    ecs_cluster: cloudplatform-prod-cluster
    ecs_services: [cloudplatform-prod-worker]
"""

RETURN = r"""
rotated:
  description: Whether a rotation was started, resumed or completed by this run.
  returned: always
  type: bool
steps:
  description: The steps this run performed (or, in check mode, would perform).
  returned: always
  type: list
  elements: str
  sample: [stage, apply, promote, redeploy, finalize]
version_id:
  description: The version that is (or will be) current after the rotation.
  returned: when a rotation ran or is due
  type: str
versions:
  description: Version ids and their staging labels after the run.
  returned: always
  type: dict
  sample: {"5f7c...": ["AWSCURRENT"], "a1b2...": ["AWSPREVIOUS"]}
"""

import datetime
import json
import secrets
import string
import time
import uuid

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils import secret_rotation as sr

CURRENT = "AWSCURRENT"
PENDING = "AWSPENDING"
ROTATING = "CLOUDPLATFORM_ROTATING"
APPLIED = "CLOUDPLATFORM_APPLIED"
POLL_SECONDS = 15
ALPHABET = string.ascii_letters + string.digits


class RotationFailure(Exception):
    """A step could not complete; the message names what and why."""


def read_versions(client, secret_id):
    return {v["VersionId"]: list(v.get("VersionStages") or []) for v in sr.list_secret_versions(client, secret_id)}


def labelled(versions, label):
    return next((vid for vid, stages in versions.items() if label in stages), None)


def is_due(module, client):
    if module.params["force"]:
        return True
    if module.params["max_age_days"] is None:
        return False
    created = sr.get_secret_value(client, module.params["secret_id"], stage=CURRENT)["CreatedDate"]
    age = datetime.datetime.now(created.tzinfo) - created
    return age >= datetime.timedelta(days=module.params["max_age_days"])


def plan_steps(module, stages):
    """The steps still to do for a rotation whose new version has these labels (None: not staged)."""
    steps = [] if stages is not None else ["stage"]
    stages = stages or []
    if CURRENT not in stages:
        if module.params["apply_to"] != "none" and APPLIED not in stages:
            steps.append("apply")
        steps.append("promote")
    if module.params["ecs_services"]:
        steps.append("redeploy")
    steps.append("finalize")
    return steps


def load_json(value, module):
    try:
        data = json.loads(value)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        module.fail_json(msg="secret_id: %s does not hold a JSON object; expected a secret value like {\"%s\": ...}"
                         % (module.params["secret_id"], module.params["key"]))
    return data


def random_value(length):
    # Letters and digits only: every target accepts them (ElastiCache AUTH tokens allow few
    # punctuation characters, RDS passwords exclude / @ " and spaces).
    return "".join(secrets.choice(ALPHABET) for _position in range(length))


def stage(module, client):
    current = load_json(sr.get_secret_value(client, module.params["secret_id"], stage=CURRENT)["SecretString"], module)
    current[module.params["key"]] = random_value(module.params["value_length"])
    token = str(uuid.uuid4())
    sr.put_secret_value(client, module.params["secret_id"], token, json.dumps(current), [PENDING, ROTATING])
    return token


def new_value(module, client, version_id):
    data = load_json(sr.get_secret_value(client, module.params["secret_id"], version_id=version_id)["SecretString"], module)
    if module.params["key"] not in data:
        raise RotationFailure("version %s of %s has no key %s" % (version_id, module.params["secret_id"], module.params["key"]))
    return data[module.params["key"]]


def wait_for(module, describe, ready, what):
    deadline = time.monotonic() + module.params["wait_timeout"]
    while True:
        resource = describe()
        if resource is None:
            raise RotationFailure("%s does not exist" % what)
        if ready(resource):
            return resource
        if time.monotonic() > deadline:
            raise RotationFailure("timed out after %ss waiting for %s" % (module.params["wait_timeout"], what))
        time.sleep(POLL_SECONDS)


def db_ready(instance):
    return instance.get("DBInstanceStatus") == "available" and "MasterUserPassword" not in (instance.get("PendingModifiedValues") or {})


def group_ready(group):
    return group.get("Status") == "available"


def apply_value(module, value):
    """Make the target accept the new value (for Redis: next to the old one)."""
    params = module.params
    if params["apply_to"] == "rds":
        rds = module.client("rds")
        sr.set_db_master_password(rds, params["db_instance_identifier"], value)
        wait_for(module, lambda: sr.describe_db_instance(rds, params["db_instance_identifier"]), db_ready,
                 "db instance %s to apply the new master password" % params["db_instance_identifier"])
    elif params["apply_to"] == "elasticache":
        cache = module.client("elasticache")
        sr.update_auth_token(cache, params["replication_group_id"], value, "ROTATE")
        wait_for(module, lambda: sr.describe_replication_group(cache, params["replication_group_id"]), group_ready,
                 "replication group %s to accept the new AUTH token" % params["replication_group_id"])


def verify_applied(module):
    """The target must be available with nothing pending before consumers switch over."""
    params = module.params
    if params["apply_to"] == "rds":
        rds = module.client("rds")
        wait_for(module, lambda: sr.describe_db_instance(rds, params["db_instance_identifier"]), db_ready,
                 "db instance %s" % params["db_instance_identifier"])
    elif params["apply_to"] == "elasticache":
        cache = module.client("elasticache")
        group = wait_for(module, lambda: sr.describe_replication_group(cache, params["replication_group_id"]), group_ready,
                         "replication group %s" % params["replication_group_id"])
        if not group.get("AuthTokenEnabled", True) or not group.get("TransitEncryptionEnabled", True):
            raise RotationFailure("replication group %s has no AUTH token or no TLS; a token can only be rotated on a TLS group with AUTH"
                                  % params["replication_group_id"])


def promote(client, secret_id, new_id):
    versions = read_versions(client, secret_id)
    old_id = labelled(versions, CURRENT)
    if old_id == new_id:
        return
    # Moving AWSCURRENT makes Secrets Manager put AWSPREVIOUS on the old version.
    sr.update_secret_version_stage(client, secret_id, CURRENT, move_to=new_id, remove_from=old_id)


def services_stable(services):
    for service in services:
        deployments = service.get("deployments") or []
        if any(d.get("rolloutState") == "FAILED" for d in deployments):
            raise RotationFailure("deployment of %s failed (rolled back); the secret is promoted, fix the service and re-run" % service["serviceName"])
        if len(deployments) != 1 or deployments[0].get("rolloutState", "COMPLETED") != "COMPLETED":
            return False
    return True


def redeploy(module):
    ecs = module.client("ecs")
    cluster, names = module.params["ecs_cluster"], module.params["ecs_services"]
    found = {s["serviceName"] for s in sr.describe_services(ecs, cluster, names) if s.get("status") == "ACTIVE"}
    missing = sorted(set(names) - found)
    if missing:
        raise RotationFailure("ecs_services: %s not found in cluster %s" % (", ".join(missing), cluster))
    for name in names:
        sr.force_new_deployment(ecs, cluster, name)
    deadline = time.monotonic() + module.params["wait_timeout"]
    while not services_stable(sr.describe_services(ecs, cluster, names)):
        if time.monotonic() > deadline:
            raise RotationFailure("timed out after %ss waiting for %s to be stable" % (module.params["wait_timeout"], ", ".join(names)))
        time.sleep(POLL_SECONDS)


def finalize(module, client, new_id, value):
    params = module.params
    if params["apply_to"] == "elasticache":
        cache = module.client("elasticache")
        sr.update_auth_token(cache, params["replication_group_id"], value, "SET")
        wait_for(module, lambda: sr.describe_replication_group(cache, params["replication_group_id"]), group_ready,
                 "replication group %s to drop the old AUTH token" % params["replication_group_id"])
    stages = read_versions(client, params["secret_id"]).get(new_id, [])
    for label in (PENDING, APPLIED, ROTATING):
        if label in stages:
            sr.update_secret_version_stage(client, params["secret_id"], label, remove_from=new_id)


def run_steps(module, client, new_id, steps):
    secret_id = module.params["secret_id"]
    value = new_value(module, client, new_id)
    if "apply" in steps:
        apply_value(module, value)
        sr.update_secret_version_stage(client, secret_id, APPLIED, move_to=new_id)
    if "promote" in steps:
        verify_applied(module)
        promote(client, secret_id, new_id)
    if "redeploy" in steps:
        redeploy(module)
    finalize(module, client, new_id, value)


def rotate(module, client, versions):
    """Return (steps, new version id); write nothing in check mode."""
    new_id = labelled(versions, ROTATING)
    if new_id is None and not is_due(module, client):
        return [], None
    steps = plan_steps(module, versions.get(new_id))
    if module.check_mode:
        return steps, new_id
    if new_id is None:
        new_id = stage(module, client)
    run_steps(module, client, new_id, steps)
    return steps, new_id


def validate(module):
    params = module.params
    needed = {"rds": "db_instance_identifier", "elasticache": "replication_group_id"}.get(params["apply_to"])
    if needed and not params[needed]:
        module.fail_json(msg="apply_to: %s needs %s" % (params["apply_to"], needed))
    if params["ecs_services"] and not params["ecs_cluster"]:
        module.fail_json(msg="ecs_services: %s needs ecs_cluster" % params["ecs_services"])
    if not 16 <= params["value_length"] <= 128:
        module.fail_json(msg="value_length: %s is out of range; expected 16-128" % params["value_length"])


def main():
    argument_spec = dict(
        secret_id=dict(type="str", required=True),
        key=dict(type="str", required=True, no_log=False),
        force=dict(type="bool", default=False),
        max_age_days=dict(type="int"),
        value_length=dict(type="int", default=40),
        apply_to=dict(type="str", choices=["none", "rds", "elasticache"], default="none"),
        db_instance_identifier=dict(type="str"),
        replication_group_id=dict(type="str"),
        ecs_cluster=dict(type="str"),
        ecs_services=dict(type="list", elements="str", default=[]),
        wait_timeout=dict(type="int", default=1800),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    client = module.client("secretsmanager")
    try:
        before = read_versions(client, module.params["secret_id"])
        steps, new_id = rotate(module, client, before)
        after = read_versions(client, module.params["secret_id"]) if steps and not module.check_mode else before
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    except RotationFailure as e:
        module.fail_json(msg="Rotation of %s stopped: %s. Re-run to resume." % (module.params["secret_id"], e))
    result = dict(changed=bool(steps), rotated=bool(steps), steps=steps, versions=after, diff=dict(before=before, after=after))
    if new_id:
        result["version_id"] = new_id
    module.exit_json(**result)


if __name__ == "__main__":
    main()
