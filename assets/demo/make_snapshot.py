#!/usr/bin/env python3
"""Writes assets/demo/snapshot.json: "Acme Analytics", a believable small startup.

ECS on Fargate behind an ALB in us-east-1, two RDS instances, three ECR repositories,
a handful of alarms, a budget; a small EU footprint in eu-west-1 and a forgotten
us-west-2. The scan role lacks AWS Config and Cost Explorer permissions, so those
items show "could not check". Run: python3 assets/demo/make_snapshot.py
"""
import json
import os

ACCT = "111122223333"
NOW = "2026-11-20T09:30:00Z"


def ok(data):
    return {"ok": data}


def denied(action):
    return {"failed": {"kind": "access_denied", "action": action,
                       "message": f"User: arn:aws:sts::{ACCT}:assumed-role/onwatch-scan/founder is not authorized to perform: {action}"}}


def arn(service, region, rest):
    return f"arn:aws:{service}:{region}:{ACCT}:{rest}"


def topic(region, name):
    return arn("sns", region, name)


def alarm(region, name, namespace, metric, dims, state="OK", since="2026-11-18T10:00:00Z",
          actions=(), enabled=True, tags=None):
    return {
        "name": name, "arn": arn("cloudwatch", region, f"alarm:{name}"), "kind": "metric",
        "state": state, "state_updated_at": since, "actions_enabled": enabled,
        "alarm_actions": list(actions), "ok_actions": [], "insufficient_data_actions": [],
        "metrics": [{"namespace": namespace, "metric_name": metric, "dimensions": dims}],
        "tags": ok(tags or {}),
    }


def region(**parts):
    base = {
        "guardduty_detectors": ok([]), "event_rules": ok([]), "sns_topics": ok([]),
        "sns_subscriptions": ok([]), "trails": ok([]),
        "config_recorders": denied("config:DescribeConfigurationRecorders"),
        "config_delivery_channels": denied("config:DescribeDeliveryChannels"),
        "ecr_repositories": ok([]), "ecr_registry_scanning": ok({"scan_type": "BASIC", "rules": []}),
        "rds_instances": ok([]), "ecs_clusters": ok([]), "ecs_task_definitions": ok([]),
        "alarms": ok([]), "alarm_history": ok([]), "canaries": ok([]),
        "load_balancers": ok([]), "log_groups": ok([]),
    }
    base.update(parts)
    return base


def flaps(name, n):
    # n state changes spread over the last six days.
    out = []
    for i in range(n):
        hour = 6 * 24 - i * (6 * 24 // n)
        day, h = divmod(hour, 24)
        out.append({"alarm_name": name, "timestamp": f"2026-11-{14 + day:02d}T{h:02d}:12:00Z",
                    "summary": "Alarm updated from OK to ALARM" if i % 2 == 0 else "Alarm updated from ALARM to OK"})
    return out


def log_group(region, name, days):
    g = {"name": name, "arn": arn("logs", region, f"log-group:{name}"), "stored_bytes": 52_428_800}
    if days is not None:
        g["retention_days"] = days
    return g


def us_east_1():
    r = "us-east-1"
    ops = topic(r, "ops-alerts")
    data = topic(r, "data-alerts")
    lb_arn = arn("elasticloadbalancing", r, "loadbalancer/app/acme-prod-alb/50dc6c495c0c9188")
    lb_dim = "app/acme-prod-alb/50dc6c495c0c9188"
    cluster = "acme-prod"
    svc = lambda s: {"ClusterName": cluster, "ServiceName": s}
    alarms = [
        alarm(r, "api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb_dim},
              actions=[ops], tags={"response-pattern": "act-now", "team": "platform"}),
        alarm(r, "api-cpu-high", "AWS/ECS", "CPUUtilization", svc("api"), actions=[ops],
              tags={"response-pattern": "next-business-day"}),
        alarm(r, "api-memory-high", "AWS/ECS", "MemoryUtilization", svc("api"), actions=[ops]),
        alarm(r, "worker-cpu-high", "AWS/ECS", "CPUUtilization", svc("worker"), actions=[ops]),
        alarm(r, "prod-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "acme-prod-db"},
              actions=[ops], tags={"response-pattern": "act-now"}),
        alarm(r, "analytics-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "acme-analytics-db"},
              actions=[data]),
        alarm(r, "worker-queue-depth", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
              {"QueueName": "acme-jobs"}, state="ALARM", since="2026-11-02T03:41:00Z", actions=[data]),
        alarm(r, "stripe-webhook-errors", "AWS/Lambda", "Errors", {"FunctionName": "stripe-webhook"},
              actions=[]),
        alarm(r, "nightly-export-duration", "AWS/Lambda", "Duration", {"FunctionName": "nightly-export"},
              actions=[ops], enabled=False, tags={"response-pattern": "know"}),
    ]
    return region(
        guardduty_detectors=ok([{"id": "12abc34d567e8fa901bc2d34e56789f0", "status": "ENABLED",
                                 "finding_publishing_frequency": "SIX_HOURS"}]),
        event_rules=ok([{
            "name": "guardduty-high-to-ops", "arn": arn("events", r, "rule/guardduty-high-to-ops"),
            "event_bus": "default", "state": "ENABLED",
            "event_pattern": json.dumps({"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"],
                                         "detail": {"severity": [{"numeric": [">=", 7]}]}}),
            "targets": [{"id": "ops", "arn": ops}],
        }]),
        sns_topics=ok([{"arn": ops}, {"arn": data}]),
        sns_subscriptions=ok([
            {"topic_arn": ops, "protocol": "email", "endpoint": "oncall@acme.example", "confirmed": True},
            {"topic_arn": ops, "protocol": "https", "endpoint": "https://global.sns-api.chatbot.amazonaws.com",
             "confirmed": True},
            {"topic_arn": data, "protocol": "email", "endpoint": "data-team@acme.example", "confirmed": False},
        ]),
        trails=ok([{"name": "acme-trail", "arn": arn("cloudtrail", r, "trail/acme-trail"), "home_region": r,
                    "is_multi_region": True, "log_file_validation": True, "is_logging": ok(True)}]),
        ecr_repositories=ok([
            {"name": "acme/api", "arn": arn("ecr", r, "repository/acme/api"), "scan_on_push": True},
            {"name": "acme/web", "arn": arn("ecr", r, "repository/acme/web"), "scan_on_push": True},
            {"name": "acme/worker", "arn": arn("ecr", r, "repository/acme/worker"), "scan_on_push": False},
        ]),
        rds_instances=ok([
            {"identifier": "acme-prod-db", "arn": arn("rds", r, "db:acme-prod-db"), "engine": "postgres",
             "engine_version": "16.4", "class": "db.r6g.large", "performance_insights": True,
             "database_insights_mode": "standard", "allocated_storage": 100, "max_allocated_storage": 500,
             "status": "available"},
            {"identifier": "acme-analytics-db", "arn": arn("rds", r, "db:acme-analytics-db"), "engine": "postgres",
             "engine_version": "15.8", "class": "db.t4g.medium", "performance_insights": False,
             "allocated_storage": 200, "status": "available"},
        ]),
        ecs_clusters=ok([{
            "name": cluster, "arn": arn("ecs", r, f"cluster/{cluster}"), "container_insights": "enabled",
            "services": ok([
                {"name": "api", "arn": arn("ecs", r, f"service/{cluster}/api"),
                 "task_definition": arn("ecs", r, "task-definition/acme-api:42"), "launch_type": "FARGATE"},
                {"name": "worker", "arn": arn("ecs", r, f"service/{cluster}/worker"),
                 "task_definition": arn("ecs", r, "task-definition/acme-worker:17"), "launch_type": "FARGATE"},
            ]),
        }]),
        ecs_task_definitions=ok([
            {"arn": arn("ecs", r, "task-definition/acme-api:42"), "family": "acme-api", "revision": 42,
             "containers": [{"name": "api", "log_driver": "awslogs",
                             "environment_names": ["NODE_ENV", "PORT"],
                             "secret_names": ["DATABASE_URL", "SENTRY_DSN"]}]},
            {"arn": arn("ecs", r, "task-definition/acme-worker:17"), "family": "acme-worker", "revision": 17,
             "containers": [{"name": "worker", "log_driver": "awslogs", "environment_names": ["QUEUE_URL"],
                             "secret_names": ["DATABASE_URL"]},
                            {"name": "datadog-agent", "environment_names": ["DD_SITE"], "secret_names": []}]},
        ]),
        alarms=ok(alarms),
        alarm_history=ok(flaps("api-5xx", 23) + flaps("prod-db-cpu", 2)),
        canaries=ok([]),
        load_balancers=ok([{"name": "acme-prod-alb", "arn": lb_arn, "kind": "application",
                            "scheme": "internet-facing",
                            "dns_name": "acme-prod-alb-1234567890.us-east-1.elb.amazonaws.com"}]),
        log_groups=ok([
            log_group(r, "/ecs/acme-api", 30),
            log_group(r, "/ecs/acme-worker", None),
            log_group(r, "/aws/lambda/stripe-webhook", None),
            log_group(r, "/aws/lambda/nightly-export", 14),
            log_group(r, "/aws/rds/instance/acme-prod-db/postgresql", 7),
        ]),
    )


def eu_west_1():
    r = "eu-west-1"
    return region(
        guardduty_detectors=ok([{"id": "7e3b2c1d0a9f8e7d6c5b4a3928170615", "status": "ENABLED"}]),
        log_groups=ok([log_group(r, "/aws/lambda/gdpr-export", None)]),
    )


def us_west_2():
    r = "us-west-2"
    return region(
        log_groups=ok([log_group(r, "/aws/lambda/old-prototype", None)]),
    )


snapshot = {
    "schema_version": 1,
    "collected_at": NOW,
    "account": {"id": ACCT, "alias": "acme-analytics",
                "caller_arn": f"arn:aws:sts::{ACCT}:assumed-role/onwatch-scan/founder", "partition": "aws"},
    "regions": {"us-east-1": us_east_1(), "eu-west-1": eu_west_1(), "us-west-2": us_west_2()},
    "global": {
        "budgets": ok([{"name": "monthly-aws", "budget_type": "COST", "limit": "1500 USD",
                        "notifications": ok([{"notification_type": "ACTUAL", "threshold": 80.0,
                                              "subscribers": ok([{"kind": "EMAIL",
                                                                  "address": "founders@acme.example"}])}])}]),
        "anomaly_monitors": denied("ce:GetAnomalyMonitors"),
        "anomaly_subscriptions": denied("ce:GetAnomalySubscriptions"),
    },
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snapshot.json")
with open(path, "w") as f:
    json.dump(snapshot, f, indent=2)
    f.write("\n")
print(f"wrote {path}")
