"""A small Python reading of onwatch's checklist, used only to check that the
seed scenarios come out as README.md says (the product's own evaluation is
the Rust scanner's)."""

from __future__ import annotations

import datetime as dt
import json

ITEMS = [
    "guardduty-enabled", "guardduty-findings-routed", "cloudtrail-multi-region",
    "config-recording", "ecr-scan-on-push", "rds-performance-insights",
    "rds-storage-headroom", "rds-cpu-alarm", "ecs-container-insights",
    "ecs-service-alarms", "synthetics-canary", "alb-alarms", "ecs-logging",
    "log-retention", "error-tracking", "alarm-actions", "sns-confirmed-subscriptions",
    "alarm-stuck", "alarm-flapping", "alarm-response-pattern", "budget-notification",
    "cost-anomaly-detection",
]
PATTERNS = {"act-now", "next-business-day", "know", "record-only"}


def evaluate(client, regions):  # noqa: C901 - one pass per item, kept flat
    now = dt.datetime.now(dt.timezone.utc)
    res = {i: True for i in ITEMS}
    confirmed = {}
    alarms = {}
    tags = {}
    history = {}
    for r in regions:
        sns = client("sns", r)
        for t in sns.list_topics()["Topics"]:
            subs = sns.list_subscriptions_by_topic(TopicArn=t["TopicArn"])["Subscriptions"]
            confirmed[t["TopicArn"]] = any(s["SubscriptionArn"] != "PendingConfirmation" for s in subs)
        cw = client("cloudwatch", r)
        for a in cw.describe_alarms()["MetricAlarms"]:
            alarms[(r, a["AlarmName"])] = a
            tags[(r, a["AlarmName"])] = {t["Key"]: t["Value"] for t in
                                         cw.list_tags_for_resource(ResourceARN=a["AlarmArn"])["Tags"]}
            history[(r, a["AlarmName"])] = [
                i for i in cw.describe_alarm_history(
                    AlarmName=a["AlarmName"], HistoryItemType="StateUpdate",
                    StartDate=now - dt.timedelta(days=7), EndDate=now)["AlarmHistoryItems"]]

    def routed(a):
        return a["ActionsEnabled"] and any(confirmed.get(x) for x in a["AlarmActions"])

    def has_alarm(r, ns, metric, dims, metrics=None):
        for (ar, _), a in alarms.items():
            if ar != r or a.get("Namespace") != ns or not routed(a):
                continue
            if a.get("MetricName") not in (metrics or [metric]):
                continue
            d = {x["Name"]: x["Value"] for x in a.get("Dimensions", [])}
            if all(d.get(k) == v for k, v in dims.items()):
                return True
        return False

    for r in regions:
        gd = client("guardduty", r)
        ids = gd.list_detectors()["DetectorIds"]
        if not any(gd.get_detector(DetectorId=i)["Status"] == "ENABLED" for i in ids):
            res["guardduty-enabled"] = False
        ev = client("events", r)
        ok = False
        for rule in ev.list_rules()["Rules"]:
            pat = json.loads(rule.get("EventPattern") or "{}")
            if rule["State"] != "ENABLED" or "aws.guardduty" not in pat.get("source", []):
                continue
            targets = ev.list_targets_by_rule(Rule=rule["Name"])["Targets"]
            ok = ok or any(confirmed.get(t["Arn"]) for t in targets)
        res["guardduty-findings-routed"] &= ok
        cfg = client("config", r)
        st = cfg.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
        ch = cfg.describe_delivery_channels()["DeliveryChannels"]
        res["config-recording"] &= bool(st and all(s["recording"] for s in st) and ch)
        ecr = client("ecr", r)
        rules = ecr.get_registry_scanning_configuration()["scanningConfiguration"].get("rules", [])
        wildcard = any(x["scanFrequency"] == "SCAN_ON_PUSH" and any(
            f["filter"] == "*" for f in x["repositoryFilters"]) for x in rules)
        for repo in ecr.describe_repositories()["repositories"]:
            if not (repo["imageScanningConfiguration"]["scanOnPush"] or wildcard):
                res["ecr-scan-on-push"] = False
        for db in client("rds", r).describe_db_instances()["DBInstances"]:
            ident = db["DBInstanceIdentifier"]
            if not db.get("PerformanceInsightsEnabled"):
                res["rds-performance-insights"] = False
            if not (db.get("MaxAllocatedStorage", 0) > db["AllocatedStorage"]
                    or has_alarm(r, "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": ident})):
                res["rds-storage-headroom"] = False
            if not has_alarm(r, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": ident}):
                res["rds-cpu-alarm"] = False
        ecs = client("ecs", r)
        clusters = ecs.list_clusters()["clusterArns"]
        if clusters:
            for c in ecs.describe_clusters(clusters=clusters, include=["SETTINGS"])["clusters"]:
                s = {x["name"]: x["value"] for x in c.get("settings", [])}
                if s.get("containerInsights") not in ("enabled", "enhanced"):
                    res["ecs-container-insights"] = False
                arns = ecs.list_services(cluster=c["clusterArn"])["serviceArns"]
                if not arns:
                    continue
                for svc in ecs.describe_services(cluster=c["clusterArn"], services=arns)["services"]:
                    dims = {"ClusterName": c["clusterName"], "ServiceName": svc["serviceName"]}
                    if not (has_alarm(r, "AWS/ECS", "CPUUtilization", dims)
                            and has_alarm(r, "AWS/ECS", "MemoryUtilization", dims)):
                        res["ecs-service-alarms"] = False
                    td = ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])["taskDefinition"]
                    for cd in td["containerDefinitions"]:
                        if cd.get("logConfiguration", {}).get("logDriver") not in ("awslogs", "awsfirelens"):
                            res["ecs-logging"] = False
                        names = [e["name"] for e in cd.get("environment", []) + cd.get("secrets", [])]
                        if "SENTRY_DSN" in names:
                            res.setdefault("_sentry", True)
        lbs = client("elbv2", r).describe_load_balancers()["LoadBalancers"]
        canaries = client("synthetics", r).describe_canaries()["Canaries"]
        if any(lb["Scheme"] == "internet-facing" for lb in lbs) and not any(
                c["Status"]["State"] == "RUNNING" for c in canaries):
            res["synthetics-canary"] = False
        for c in canaries:
            if not has_alarm(r, "CloudWatchSynthetics", "SuccessPercent", {"CanaryName": c["Name"]}):
                res["synthetics-canary"] = False
        for lb in lbs:
            if lb["Type"] != "application":
                continue
            dim = {"LoadBalancer": lb["LoadBalancerArn"].split(":loadbalancer/")[1]}
            if not (has_alarm(r, "AWS/ApplicationELB", None, dim,
                              ["HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"])
                    and has_alarm(r, "AWS/ApplicationELB", "TargetResponseTime", dim)):
                res["alb-alarms"] = False
        for g in client("logs", r).describe_log_groups()["logGroups"]:
            if g.get("retentionInDays", 0) < 7:
                res["log-retention"] = False
    res["error-tracking"] = res.pop("_sentry", False)
    used_topics = set()
    for key, a in alarms.items():
        used_topics.update(a["AlarmActions"])
        if not (a["AlarmActions"] and a["ActionsEnabled"]):
            res["alarm-actions"] = False
        if a["StateValue"] == "ALARM" and now - a["StateUpdatedTimestamp"] > dt.timedelta(days=7):
            res["alarm-stuck"] = False
        if len(history[key]) > 10:
            res["alarm-flapping"] = False
        p = tags[key].get("response-pattern")
        # DOMAIN.md's table: act-now reaches a person, next-business-day opens a
        # ticket or message, know / record-only notify nobody.
        if (p not in PATTERNS or (p == "act-now" and not routed(a))
                or (p == "next-business-day" and not (a["AlarmActions"] and a["ActionsEnabled"]))
                or (p in ("know", "record-only") and routed(a))):
            res["alarm-response-pattern"] = False
    if any(not confirmed.get(t, False) for t in used_topics if t.startswith("arn:aws:sns")):
        res["sns-confirmed-subscriptions"] = False
    ct = client("cloudtrail", "us-east-1")
    res["cloudtrail-multi-region"] = any(
        t["IsMultiRegionTrail"] and t["LogFileValidationEnabled"]
        and ct.get_trail_status(Name=t["TrailARN"])["IsLogging"]
        for t in ct.describe_trails()["trailList"])
    b = client("budgets", "us-east-1")
    ok = False
    for bud in b.describe_budgets(AccountId="123456789012").get("Budgets", []):
        if bud["BudgetType"] != "COST":
            continue
        for n in b.describe_notifications_for_budget(
                AccountId="123456789012", BudgetName=bud["BudgetName"])["Notifications"]:
            if b.describe_subscribers_for_notification(
                    AccountId="123456789012", BudgetName=bud["BudgetName"],
                    Notification=n)["Subscribers"]:
                ok = True
    res["budget-notification"] = ok
    ce = client("ce", "us-east-1")
    mons = {m["MonitorArn"] for m in ce.get_anomaly_monitors()["AnomalyMonitors"]}
    res["cost-anomaly-detection"] = any(
        s["Subscribers"] and set(s["MonitorArnList"]) & mons
        for s in ce.get_anomaly_subscriptions()["AnomalySubscriptions"])
    return res
