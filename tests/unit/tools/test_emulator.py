import io

import emulator
from calls import between, summary


def environ(**extra):
    env = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": "", "CONTENT_TYPE": "", "wsgi.input": io.BytesIO(b"")}
    env.update(extra)
    return env


AUTH = "AWS4-HMAC-SHA256 Credential=testing/20261122/us-east-1/{}/aws4_request, SignedHeaders=host, Signature=x"


def test_query_protocol_action_from_the_form_body():
    env = environ(HTTP_AUTHORIZATION=AUTH.format("ec2"), CONTENT_TYPE="application/x-www-form-urlencoded; charset=utf-8")
    assert emulator.describe_request(env, b"Action=CreateVpc&Version=2016-11-15") == ("us-east-1", "ec2", "CreateVpc")


def test_json_protocol_action_from_the_target_header():
    env = environ(HTTP_AUTHORIZATION=AUTH.format("ecs"), HTTP_X_AMZ_TARGET="AmazonEC2ContainerServiceV20141113.DescribeServices")
    assert emulator.describe_request(env, b"{}") == ("us-east-1", "ecs", "DescribeServices")


def test_rest_protocol_uses_method_and_path():
    env = environ(HTTP_AUTHORIZATION=AUTH.format("lambda"), REQUEST_METHOD="GET", PATH_INFO="/2015-03-31/functions/x")
    assert emulator.describe_request(env, b"") == ("us-east-1", "lambda", "GET /2015-03-31/functions")


def test_classification():
    assert emulator.classify("DescribeVpcs", "POST") == "read"
    assert emulator.classify("GetWebACLForResource", "POST") == "read"
    assert emulator.classify("CreateVpc", "POST") == "write"
    assert emulator.classify("PutMetricAlarm", "POST") == "write"
    assert emulator.classify("GET /2015-03-31/functions", "GET") == "read"
    assert emulator.classify("PUT /bucket", "PUT") == "write"


def test_between_marks_and_summary():
    log = [{"mark": "converge-start"}, {"kind": "write", "service": "ec2", "action": "CreateVpc"},
           {"mark": "converge-end"}, {"mark": "converge-start"},
           {"kind": "read", "service": "ec2", "action": "DescribeVpcs"},
           {"kind": "write", "service": "ec2", "action": "CreateVpc", "fault": True},
           {"mark": "converge-end"}]
    assert summary(between(log, "converge-start", "converge-end"))["writes"] == 0
    assert summary(between(log, "converge-start", "converge-end", occurrence=0))["writes"] == 1
    assert summary(between(log, "converge-start", "converge-end"))["faults"] == 1


def test_fault_injection_answers_like_aws():
    import random

    statuses = []
    for seed in range(20):
        status = []
        body = emulator._fault_response(environ(), lambda s, h, _st=status: _st.append(s), random.Random(seed))
        statuses.append(status[0])
        assert body
    assert {"503 Service Unavailable", "400 Bad Request"} == set(statuses)


def test_faults_speak_the_protocol_of_the_request():
    import json
    import random

    cases = {
        "json": environ(HTTP_X_AMZ_TARGET="AmazonEC2ContainerServiceV20141113.DescribeServices"),
        "query": environ(CONTENT_TYPE="application/x-www-form-urlencoded"),
        "rest-xml": environ(),
    }
    for kind, env in cases.items():
        for seed in range(6):
            status = []
            body = b"".join(emulator._fault_response(env, lambda s, h, _st=status: _st.append(s), random.Random(seed),
                                                     "s3" if kind == "rest-xml" else "ecs"))
            if kind == "json":
                assert json.loads(body)["__type"] in ("ServiceUnavailableException", "ThrottlingException")
            elif kind == "query":
                assert body.startswith(b"<ErrorResponse><Error>")
            else:
                assert body.startswith(b"<Error><Code>")
            assert status[0] in ("503 Service Unavailable", "400 Bad Request")
