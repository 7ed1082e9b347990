import benchmark

PROFILE = """\
TASK [cloudplatform.aws.rds : Create or update the PostgreSQL instance] ********
Sunday 22 November 2026  10:00:00 +0000 (0:00:01.000)       0:00:10.000 *******
changed: [localhost]

TASK [cloudplatform.aws.rds : Wait until the database is available] ***********
Sunday 22 November 2026  10:00:02 +0000 (0:00:02.000)       0:00:12.000 *******
ok: [localhost]

TASK [cloudplatform.aws.ecs_service : Plan] ************************************
Sunday 22 November 2026  10:01:30 +0000 (0:01:28.500)       0:01:40.500 *******
PLAY RECAP *********************************************************************
Sunday 22 November 2026  10:01:31 +0000 (0:00:01.000)       0:01:41.500 *******
"""


def test_task_times_start_at_the_profile_offset_and_end_at_the_next_task():
    assert benchmark.task_times(PROFILE) == [
        ("cloudplatform.aws.rds : Create or update the PostgreSQL instance", 10.0, 12.0),
        ("cloudplatform.aws.rds : Wait until the database is available", 12.0, 100.5),
        ("cloudplatform.aws.ecs_service : Plan", 100.5, 101.5),
    ]


def test_timeline_places_each_resource_and_step():
    run = {"seconds": 101.5, "began": 1000.0, "stdout": PROFILE,
           "calls": [{"action": "CreateDBInstance", "ts": 1011.0}, {"action": "DescribeDBInstances", "ts": 1012.0}]}
    data = benchmark.timeline(run)
    assert data["resources"] == [{"kind": "rds", "name": "PostgreSQL instance", "count": 1, "created": 11.0,
                                  "available": 11.0 + benchmark.PROVISIONING["rds"], "provisioning": benchmark.PROVISIONING["rds"]}]
    assert [s["step"] for s in data["steps"]] == ["start the PostgreSQL instance", "wait for the PostgreSQL instance",
                                                  "converge the ECS services"]
    assert data["steps"][1] == {"step": "wait for the PostgreSQL instance", "start": 12.0, "end": 100.5}


def test_gantt_draws_each_span_on_one_scale():
    lines = benchmark.gantt([("a", 0, 50), ("bb", 50, 100)], 100, width=10)
    assert lines[0] == "a  |#####"
    assert lines[1] == "bb |     #####"
    assert lines[2].endswith("100 s")
