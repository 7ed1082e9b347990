"""Account baseline, static sites, DNS and audit trail, read back through the AWS API (issue 11).

One emulator session: the account play runs twice (the second run must make no write call); the
edge roles run once with their flags off (no AWS call at all, nothing exists), then twice with the
flags on for the prod-shaped local inventory, only their tags (the second run must make no write
call).
"""

from __future__ import annotations

import json

import pytest

ACCOUNT = "123456789012"
TRAIL = "cloudplatform-account-trail"
LOG_BUCKET = f"cloudplatform-account-audit-logs-{ACCOUNT}"
ZONE = "cloudplatform.example.com"
DOMAIN = f"local.{ZONE}"
EDGE_TAGS = ["--tags", "dns,static_sites,audit_trail"]
EDGE_ON = {"static_sites_enabled": True, "dns_enabled": True, "audit_trail_enabled": True}
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CONFIG_RULES = {
    "s3-bucket-public-read-prohibited": "S3_BUCKET_PUBLIC_READ_PROHIBITED",
    "rds-instance-public-access-check": "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
    "encrypted-volumes": "ENCRYPTED_VOLUMES",
    "iam-root-access-key-check": "IAM_ROOT_ACCESS_KEY_CHECK",
    "vpc-flow-logs-enabled": "VPC_FLOW_LOGS_ENABLED",
    "cloudtrail-enabled": "CLOUD_TRAIL_ENABLED",
}


@pytest.fixture(scope="module")
def account_runs(run_playbook):
    first = run_playbook("playbooks/account_baseline.yml", "inventories/local")
    assert first.rc == 0, first.output[-3000:]
    second = run_playbook("playbooks/account_baseline.yml", "inventories/local")
    assert second.rc == 0, second.output[-3000:]
    return first, second


@pytest.fixture(scope="module")
def edge_off(run_playbook, account_runs):
    run = run_playbook("site.yml", "inventories/local", args=EDGE_TAGS)
    assert run.rc == 0, run.output[-3000:]
    return run


# What the alb role publishes after requesting its certificate for the API name (alb_certificate_domain
# of the local inventory): the dns role must validate that certificate, not request a second one.
ALB_CERTIFICATE_NAME = "cloudplatform-local-alb-cert"


@pytest.fixture(scope="module")
def edge_on(run_playbook, edge_off, aws):
    alb_certificate = aws("acm").request_certificate(
        DomainName=f"api.{DOMAIN}", ValidationMethod="DNS",
        Tags=[{"Key": "Name", "Value": ALB_CERTIFICATE_NAME}])["CertificateArn"]
    extra = {**EDGE_ON, "alb_resource": {"certificate_arn": alb_certificate, "certificate_name": ALB_CERTIFICATE_NAME,
                                         "certificate_domain": f"api.{DOMAIN}"}}
    first = run_playbook("site.yml", "inventories/local", extra_vars=extra, args=EDGE_TAGS)
    assert first.rc == 0, first.output[-3000:]
    second = run_playbook("site.yml", "inventories/local", extra_vars=extra, args=EDGE_TAGS)
    assert second.rc == 0, second.output[-3000:]
    return first, second


def statements(policy: str | dict) -> list[dict]:
    doc = json.loads(policy) if isinstance(policy, str) else policy
    found = doc["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


# --- account baseline -------------------------------------------------------------------------

def test_trail_is_multi_region_validated_encrypted_and_sent_to_logs(account_runs, aws):
    trails = {t["Name"]: t for t in aws("cloudtrail").describe_trails()["trailList"]}
    trail = trails[TRAIL]
    assert trail["IsMultiRegionTrail"] is True
    assert trail["LogFileValidationEnabled"] is True
    assert trail["IncludeGlobalServiceEvents"] is True
    assert trail["S3BucketName"] == LOG_BUCKET
    assert trail["KmsKeyId"].startswith("arn:aws:kms:us-east-1:")
    assert trail["CloudWatchLogsLogGroupArn"].endswith(f":log-group:/aws/cloudtrail/{TRAIL}:*")
    assert trail["CloudWatchLogsRoleArn"].endswith(":role/cloudplatform-account-cloudtrail-logs")
    assert aws("cloudtrail").get_trail_status(Name=TRAIL)["IsLogging"] is True

    key_policy = statements(aws("kms").get_key_policy(KeyId=trail["KmsKeyId"], PolicyName="default")["Policy"])
    by_sid = {s["Sid"]: s for s in key_policy}
    encrypt = by_sid["CloudTrailEncryptsTheTrailOfThisAccount"]
    assert encrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert encrypt["Condition"]["StringEquals"]["aws:SourceArn"] == trail["TrailARN"]
    assert encrypt["Condition"]["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"] == f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"


def test_log_bucket_is_protected(account_runs, aws):
    s3 = aws("s3")
    block = s3.get_public_access_block(Bucket=LOG_BUCKET)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    rule = s3.get_bucket_encryption(Bucket=LOG_BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert s3.get_bucket_versioning(Bucket=LOG_BUCKET)["Status"] == "Enabled"
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=LOG_BUCKET)["Rules"][0]
    assert lifecycle["Transitions"][0]["Days"] == 90 and lifecycle["Transitions"][0]["StorageClass"] == "GLACIER"
    assert lifecycle["Expiration"]["Days"] == 365

    policy = {s["Sid"]: s for s in statements(s3.get_bucket_policy(Bucket=LOG_BUCKET)["Policy"])}
    assert policy["DenyInsecureTransport"]["Effect"] == "Deny"
    assert policy["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    trail_arn = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{TRAIL}"
    for sid in ("CloudTrailAclCheck", "CloudTrailWrite"):
        assert policy[sid]["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
        assert policy[sid]["Condition"]["StringEquals"]["aws:SourceArn"] == trail_arn
    assert policy["CloudTrailWrite"]["Resource"] == f"arn:aws:s3:::{LOG_BUCKET}/AWSLogs/{ACCOUNT}/*"


def test_guardduty_security_hub_config_and_budgets(account_runs, aws):
    gd = aws("guardduty")
    detectors = gd.list_detectors()["DetectorIds"]
    assert len(detectors) == 1
    detector = gd.get_detector(DetectorId=detectors[0])
    assert detector["Status"] == "ENABLED" and detector["FindingPublishingFrequency"] == "FIFTEEN_MINUTES"

    assert aws("securityhub").describe_hub()["HubArn"]

    config = aws("config")
    recorder = config.describe_configuration_recorders()["ConfigurationRecorders"]
    assert len(recorder) == 1
    assert recorder[0]["recordingGroup"]["allSupported"] is True
    assert recorder[0]["recordingGroup"]["includeGlobalResourceTypes"] is True
    assert config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"][0]["recording"] is True
    channel = config.describe_delivery_channels()["DeliveryChannels"][0]
    assert channel["s3BucketName"] == LOG_BUCKET and channel["s3KeyPrefix"] == "config"
    rules = {r["ConfigRuleName"]: r["Source"] for r in config.describe_config_rules()["ConfigRules"]}
    assert {name: source["SourceIdentifier"] for name, source in rules.items()} == CONFIG_RULES
    assert all(source["Owner"] == "AWS" for source in rules.values())

    budgets = aws("budgets")
    found = {b["BudgetName"]: b for b in budgets.describe_budgets(AccountId=ACCOUNT)["Budgets"]}
    assert {float(b["BudgetLimit"]["Amount"]) for b in found.values()} == {50.0, 100.0, 200.0}
    for name, budget in found.items():
        assert budget["TimeUnit"] == "MONTHLY" and budget["BudgetType"] == "COST" and budget["BudgetLimit"]["Unit"] == "USD"
        notes = budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName=name)["Notifications"]
        assert sorted(n["NotificationType"] for n in notes) == ["ACTUAL", "FORECASTED"]
    topics = [t["TopicArn"] for t in aws("sns").list_topics()["Topics"]]
    assert f"arn:aws:sns:us-east-1:{ACCOUNT}:cloudplatform-account-warning" in topics


def test_local_inventory_skips_the_analyzer_the_emulator_lacks(account_runs):
    first, _ = account_runs
    assert not [c for c in first.calls if c["service"] in ("access-analyzer", "accessanalyzer")]


def test_second_account_run_makes_no_write_call(account_runs):
    _, second = account_runs
    assert second.write_summary() == []
    assert "changed=0" in second.output


# --- edge roles off ---------------------------------------------------------------------------

def test_flags_off_make_no_call_and_create_nothing(edge_off, aws):
    assert edge_off.calls == [], sorted({f"{c['service']}:{c['action']}" for c in edge_off.calls})
    assert aws("cloudfront").list_distributions()["DistributionList"].get("Quantity", 0) == 0
    assert not [f for f in aws("lambda").list_functions()["Functions"] if f["FunctionName"].endswith("-audit")]
    assert aws("route53").list_hosted_zones_by_name(DNSName=ZONE)["HostedZones"] == []
    assert aws("acm").list_certificates()["CertificateSummaryList"] == []


# --- edge roles on ----------------------------------------------------------------------------

def distributions(aws) -> dict:
    cloudfront = aws("cloudfront")
    found = {}
    for summary in cloudfront.list_distributions()["DistributionList"].get("Items", []):
        found[summary["Comment"]] = cloudfront.get_distribution(Id=summary["Id"])["Distribution"]
    return found


def test_both_distributions_use_oac_spa_routing_caching_optimized_and_waf(edge_on, aws):
    found = distributions(aws)
    assert set(found) == {"cloudplatform-local-cf-dashboard", "cloudplatform-local-cf-landing"}
    oacs = {o["Name"]: o["Id"] for o in aws("cloudfront").list_origin_access_controls()["OriginAccessControlList"]["Items"]}
    acls = aws("wafv2", "us-east-1").list_web_acls(Scope="CLOUDFRONT")["WebACLs"]
    acl_arn = next(a["ARN"] for a in acls if a["Name"] == "cloudplatform-local-waf-static-sites")
    for name, distribution in found.items():
        config = distribution["DistributionConfig"]
        origin = config["Origins"]["Items"][0]
        assert origin["OriginAccessControlId"] == oacs[name]
        assert origin["DomainName"].endswith(".s3.us-east-1.amazonaws.com")
        assert config["DefaultCacheBehavior"]["CachePolicyId"] == CACHING_OPTIMIZED
        assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
        assert config["WebACLId"] == acl_arn
        assert config["ViewerCertificate"]["ACMCertificateArn"].startswith("arn:aws:acm:us-east-1:")
    errors = found["cloudplatform-local-cf-dashboard"]["DistributionConfig"]["CustomErrorResponses"]["Items"]
    assert sorted((e["ErrorCode"], e["ResponsePagePath"], str(e["ResponseCode"])) for e in errors) == [
        (403, "/index.html", "200"), (404, "/index.html", "200")]
    assert sorted(found["cloudplatform-local-cf-landing"]["DistributionConfig"]["Aliases"]["Items"]) == [DOMAIN, f"www.{DOMAIN}"]


def test_site_buckets_deny_everything_but_their_distribution(edge_on, aws):
    s3 = aws("s3")
    for name, distribution in distributions(aws).items():
        site = name.rsplit("-", 1)[1]
        bucket = f"cloudplatform-local-{site}-{ACCOUNT}"
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert all(block.values()) and len(block) == 4
        encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert encryption["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        policy = statements(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        allows = [s for s in policy if s["Effect"] == "Allow"]
        assert len(allows) == 1
        allow = allows[0]
        assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert as_list(allow["Action"]) == ["s3:GetObject"]
        assert allow["Resource"] == f"arn:aws:s3:::{bucket}/*"
        assert allow["Condition"] == {"StringEquals": {"aws:SourceArn": distribution["ARN"]}}
        denies = [s for s in policy if s["Effect"] == "Deny"]
        assert denies and denies[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def zone_records(aws) -> dict:
    route53 = aws("route53")
    zone_id = route53.list_hosted_zones_by_name(DNSName=ZONE)["HostedZones"][0]["Id"]
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return {(r["Name"].rstrip("."), r["Type"]): r for r in records}


def test_certificates_are_dns_validated_and_their_records_exist(edge_on, aws):
    records = zone_records(aws)
    expected = {"us-east-1": {f"app.{DOMAIN}", f"www.{DOMAIN}", DOMAIN}, "api": {f"api.{DOMAIN}"}}
    acm = aws("acm")
    certificates = [acm.describe_certificate(CertificateArn=c["CertificateArn"])["Certificate"]
                    for c in acm.list_certificates()["CertificateSummaryList"]]
    names = [set(c["SubjectAlternativeNames"]) for c in certificates]
    assert expected["us-east-1"] in names and expected["api"] in names
    # One certificate for the API name: the ALB's, validated through the zone by the dns role.
    api = [c for c in certificates if set(c["SubjectAlternativeNames"]) == expected["api"]]
    assert len(api) == 1, [c["CertificateArn"] for c in api]
    tags = {t["Key"]: t["Value"] for t in acm.list_tags_for_certificate(CertificateArn=api[0]["CertificateArn"])["Tags"]}
    assert tags["Name"] == ALB_CERTIFICATE_NAME and tags["Environment"] == "local"
    for certificate in certificates:
        if set(certificate["SubjectAlternativeNames"]) not in expected.values():
            continue
        assert certificate["Type"] == "AMAZON_ISSUED" and certificate["Status"] == "ISSUED"
        for option in certificate["DomainValidationOptions"]:
            assert option["ValidationMethod"] == "DNS"
            record = option["ResourceRecord"]
            live = records[(record["Name"].rstrip("."), "CNAME")]
            assert [r["Value"] for r in live["ResourceRecords"]] == [record["Value"]]


def test_site_names_point_at_their_distributions(edge_on, aws):
    records = zone_records(aws)
    found = distributions(aws)
    dashboard = found["cloudplatform-local-cf-dashboard"]["DomainName"]
    landing = found["cloudplatform-local-cf-landing"]["DomainName"]
    for name, target in ((f"app.{DOMAIN}", dashboard), (f"www.{DOMAIN}", landing), (DOMAIN, landing)):
        alias = records[(name, "A")]["AliasTarget"]
        assert alias["DNSName"].rstrip(".") == target and alias["HostedZoneId"] == "Z2FDTNDATAQYW2"


def test_audit_function_can_write_only_to_its_bucket(edge_on, aws):
    bucket = f"cloudplatform-local-audit-{ACCOUNT}"
    function = aws("lambda").get_function(FunctionName="cloudplatform-local-audit")["Configuration"]
    assert function["Environment"]["Variables"] == {"AUDIT_BUCKET": bucket, "AUDIT_PREFIX": "audit"}
    role = function["Role"].rsplit("/", 1)[1]
    iam = aws("iam")
    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []
    names = iam.list_role_policies(RoleName=role)["PolicyNames"]
    assert names == ["audit-writer"]
    policy = statements(iam.get_role_policy(RoleName=role, PolicyName="audit-writer")["PolicyDocument"])
    assert all(s["Effect"] == "Allow" for s in policy)
    s3_statements = [s for s in policy if any(a.startswith("s3:") for a in as_list(s["Action"]))]
    assert [as_list(s["Action"]) for s in s3_statements] == [["s3:PutObject"]]
    assert as_list(s3_statements[0]["Resource"]) == [f"arn:aws:s3:::{bucket}/audit/*"]
    others = [a for s in policy for a in as_list(s["Action"]) if not a.startswith("s3:")]
    assert sorted(others) == ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [r for s in policy for r in as_list(s["Resource"])]
    log_streams = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/cloudplatform-local-audit:log-stream:*"
    assert sorted(resources) == sorted([f"arn:aws:s3:::{bucket}/audit/*", log_streams])

    s3 = aws("s3")
    rule = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"][0]
    assert rule["Expiration"]["Days"] == 90 and rule["Status"] == "Enabled"
    assert s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0][
        "ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())


def test_second_edge_run_makes_no_write_call(edge_on):
    _, second = edge_on
    assert second.write_summary() == []
