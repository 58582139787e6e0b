"""Seed scenarios for the onwatch harness (see README.md for what each holds
and which checklist items pass or fail).

Resources are created with boto3 against the running harness (loopback
HTTP). Harness-only facts (confirmed e-mail subscriptions, backdated alarm
history) go through the same functions as the /_onwatch control endpoints.
Seed requests carry the `x-onwatch-seed` header: the harness neither delays
(--latency-ms) nor counts them.

`xlarge` creates its bulk (alarms, log groups, repositories, topics and their
subscriptions and queues) by calling moto's backends in this process, the
calls moto's own response handlers make, so that 10,000 resources seed in
minutes rather than the ten a loopback round trip each would take. The
harness patches that hook creation are on those backend methods
(CloudWatchBackend.put_metric_alarm and Alarm.__init__: history and
StateTransitionedTimestamp; SNSBackend.subscribe: pending confirmation), so
they hold for both paths; tests/harness/test_scenarios.py checks that a
resource created either way reads back the same.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

from . import patches

ACCOUNT = "123456789012"
SCENARIOS = {"demo", "healthy", "neglected", "large", "xlarge", "paged", "scaled",
             "fixbench", "direct-probe"}
DEFAULT_REGIONS = {
    "healthy": ["us-east-1", "eu-west-1"],
    "neglected": ["us-east-1", "eu-west-1"],
    "demo": ["us-east-1", "eu-west-1", "us-west-2"],
    "large": list(patches.DEFAULT_REGIONS),
    "xlarge": list(patches.DEFAULT_REGIONS),
    "paged": ["us-east-1"],
    "scaled": ["us-east-1"],
    "fixbench": ["us-east-1"],
    "direct-probe": ["us-east-1"],
}
# The `paged` scenario: more of each paginated resource than one page holds
# (the page sizes of AWS and of moto / the harness patches).
PAGED = {"alarms": 120, "history": 130, "log_groups": 60, "topics": 110,
         "repositories": 105, "rules": 55}
_CFG = Config(retries={"max_attempts": 2, "mode": "standard"}, max_pool_connections=20)
SEED_HEADER = "x-onwatch-seed"  # app.SEED_HEADER
# The `scaled` scenario's default size (resources of each kind per region).
SCALED_N = 20
# The sizes `n` may take, per scenario that has one (default, lowest, highest).
SIZES = {"scaled": (SCALED_N, 1, 1000), "fixbench": (10_000, 1, 20_000)}
# The `xlarge` scenario per region: `large` times ~10.
XLARGE = {"topics": 30, "repositories": 60, "log_groups": 150, "db_instances": 20,
          "alarms": 300, "services": 20, "load_balancers": 10, "canaries": 10}


def _mark_seed(request, **_kwargs):
    request.headers[SEED_HEADER] = "1"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Seeder:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing")
        self._clients: dict = {}
        self._lock = threading.Lock()
        self.count = 0

    def c(self, service: str, region: str):
        key = (service, region, threading.get_ident())
        client = self._clients.get(key)
        if client is None:
            with self._lock:
                client = self.session.client(service, region_name=region,
                                             endpoint_url=self.base_url, config=_CFG)
                client.meta.events.register("request-created", _mark_seed)
                self._clients[key] = client
        return client

    def add(self, n: int = 1):
        with self._lock:
            self.count += n

    # ---------------------------------------------------------------- SNS
    def topic(self, region, name, protocol="sqs", confirm=True):
        """A topic with one subscription. protocol sqs/lambda are confirmed
        at once (onwatch counts lambda as reaching a person, sqs not);
        email stays pending unless confirm=True."""
        sns = self.c("sns", region)
        arn = sns.create_topic(Name=name)["TopicArn"]
        self.add()
        if protocol == "sqs":
            q = self.c("sqs", region).create_queue(QueueName=f"{name}-queue")["QueueUrl"]
            qarn = f"arn:aws:sqs:{region}:{ACCOUNT}:{name}-queue"
            sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)
            self.add(2)
            del q
        elif protocol == "email":
            sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=f"oncall+{name}@example.com")
            self.add()
            if confirm:
                patches.sns_confirm(None, arn)
        elif protocol == "lambda":
            sns.subscribe(TopicArn=arn, Protocol="lambda",
                          Endpoint=f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}-notify")
            self.add()
        return arn

    def allow_publish(self, topic, service):
        """Adds a statement letting `service` (a service principal) publish to the topic,
        keeping the rest of its policy: what the EventBridge console does when a rule's
        target is picked there (the API leaves the policy alone)."""
        sns = self.c("sns", topic.split(":")[3])
        policy = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
        sid = "Allow-" + service.split(".")[0]
        if any(st.get("Sid") == sid for st in policy["Statement"]):
            return
        policy["Statement"].append({"Sid": sid, "Effect": "Allow",
                                    "Principal": {"Service": service},
                                    "Action": "sns:Publish", "Resource": topic})
        sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy",
                                 AttributeValue=json.dumps(policy))
        self.add()

    def encrypt(self, topic, services):
        """Encrypts the topic with a new customer managed key whose policy lets the
        account administer it and `services` (service principals) use it to publish,
        as https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html asks."""
        region = topic.split(":")[3]
        policy = {"Version": "2012-10-17", "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "AlertPublishers", "Effect": "Allow",
             "Principal": {"Service": list(services)},
             "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}]}
        key = self.c("kms", region).create_key(Policy=json.dumps(policy),
                                                Description=f"{topic} alerts")
        arn = key["KeyMetadata"]["Arn"]
        self.c("sns", region).set_topic_attributes(TopicArn=topic, AttributeName="KmsMasterKeyId",
                                                   AttributeValue=arn)
        self.add(2)
        return arn

    # ------------------------------------------------------------- alarms
    def alarm(self, region, name, namespace, metric, dims, topic=None, pattern="act-now",
              actions_enabled=True, statistic="Average", threshold=80.0,
              comparison="GreaterThanThreshold"):
        tags = [{"Key": "response-pattern", "Value": pattern}] if pattern else []
        kwargs = dict(
            AlarmName=name, Namespace=namespace, MetricName=metric,
            Dimensions=[{"Name": k, "Value": v} for k, v in dims.items()],
            Statistic=statistic, Period=300, EvaluationPeriods=2, Threshold=threshold,
            ComparisonOperator=comparison, ActionsEnabled=actions_enabled,
            AlarmActions=[topic] if topic else [], TreatMissingData="notBreaching",
        )
        if tags:
            kwargs["Tags"] = tags
        self.c("cloudwatch", region).put_metric_alarm(**kwargs)
        self.add()
        return name

    def flap(self, region, name, changes: int, days: float = 6.0, end_state="OK"):
        """`changes` state changes spread over the last `days` days."""
        now = _now()
        step = dt.timedelta(days=days) / (changes + 1)
        states = ["OK", "ALARM"]
        seq = []
        cur = "OK"
        for i in range(changes):
            new = states[(i + 1) % 2]
            seq.append({"timestamp": (now - dt.timedelta(days=days) + step * (i + 1)).isoformat(),
                        "old": cur, "new": new})
            cur = new
        if seq and seq[-1]["new"] != end_state:
            seq.append({"timestamp": (now - dt.timedelta(minutes=5)).isoformat(),
                        "old": cur, "new": end_state})
        patches.cloudwatch_backdate({"alarm_name": name, "region": region, "changes": seq})

    def stuck(self, region, name, days: float):
        when = _now() - dt.timedelta(days=days)
        patches.cloudwatch_backdate({"alarm_name": name, "region": region, "changes": [
            {"timestamp": when.isoformat(), "old": "OK", "new": "ALARM"}]})

    # --------------------------------------------------------- baselines
    def guardduty(self, region, enabled=True):
        gd = self.c("guardduty", region)
        detector = gd.create_detector(Enable=enabled)["DetectorId"]
        self.add()
        return detector

    def suppression(self, region, detector, name, criterion):
        """A GuardDuty filter with the ARCHIVE action (a suppression rule)."""
        self.c("guardduty", region).create_filter(
            DetectorId=detector, Name=name, Action="ARCHIVE",
            FindingCriteria={"Criterion": criterion})
        self.add()

    def guardduty_rule(self, region, topic, state="ENABLED"):
        ev = self.c("events", region)
        pattern = {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"],
                   "detail": {"severity": [{"numeric": [">=", 7]}]}}
        ev.put_rule(Name="guardduty-high-findings", EventPattern=json.dumps(pattern), State=state)
        if topic:
            ev.put_targets(Rule="guardduty-high-findings", Targets=[{"Id": "sns", "Arn": topic}])
            self.allow_publish(topic, "events.amazonaws.com")
        self.add()

    def bucket(self, name):
        s3 = self.c("s3", "us-east-1")
        try:
            s3.create_bucket(Bucket=name)
            self.add()
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
        return name

    def config(self, region, recording=True, channel=True):
        cfg = self.c("config", region)
        cfg.put_configuration_recorder(ConfigurationRecorder={
            "name": "default",
            "roleARN": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": region == "us-east-1"},
        })
        self.add()
        if channel:
            cfg.put_delivery_channel(DeliveryChannel={
                "name": "default", "s3BucketName": self.bucket(f"config-bucket-{ACCOUNT}")})
            self.add()
        if recording:
            cfg.start_configuration_recorder(ConfigurationRecorderName="default")

    def trail(self, multi_region=True, validation=True, logging=True, name="org-trail"):
        ct = self.c("cloudtrail", "us-east-1")
        ct.create_trail(Name=name, S3BucketName=self.bucket(f"cloudtrail-{ACCOUNT}"),
                        IsMultiRegionTrail=multi_region, EnableLogFileValidation=validation)
        self.add()
        if logging:
            ct.start_logging(Name=name)

    def ecr(self, region, names, scan_on_push=False, registry_rule=False):
        ecr = self.c("ecr", region)
        for n in names:
            ecr.create_repository(repositoryName=n,
                                  imageScanningConfiguration={"scanOnPush": scan_on_push})
            self.add()
        if registry_rule:
            ecr.put_registry_scanning_configuration(scanType="BASIC", rules=[{
                "scanFrequency": "SCAN_ON_PUSH",
                "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}])

    def log_groups(self, region, names, retention=None):
        logs = self.c("logs", region)
        for n in names:
            logs.create_log_group(logGroupName=n)
            if retention:
                logs.put_retention_policy(logGroupName=n, retentionInDays=retention)
            self.add()

    def rds(self, region, ident, engine="postgres", cls="db.m6g.large", storage=100,
            max_storage=None, pi=False, max_connections=None):
        """max_connections: a custom parameter group `{ident}-pg` that sets it."""
        kwargs = dict(DBInstanceIdentifier=ident, Engine=engine, DBInstanceClass=cls,
                      AllocatedStorage=storage, MasterUsername="dbadmin",
                      MasterUserPassword="not-a-real-password-1", EnablePerformanceInsights=pi)
        if max_storage:
            kwargs["MaxAllocatedStorage"] = max_storage
        if max_connections:
            rds = self.c("rds", region)
            group = f"{ident}-pg"
            rds.create_db_parameter_group(DBParameterGroupName=group,
                                          DBParameterGroupFamily=f"{engine}16",
                                          Description=f"{ident} parameters")
            rds.modify_db_parameter_group(DBParameterGroupName=group, Parameters=[{
                "ParameterName": "max_connections", "ParameterValue": str(max_connections),
                "ApplyMethod": "pending-reboot"}])
            kwargs["DBParameterGroupName"] = group
            self.add(2)
        self.c("rds", region).create_db_instance(**kwargs)
        self.add()

    def ecs(self, region, cluster, services, insights="enabled"):
        """services: list of dicts name, image, logs (bool), sentry (bool)."""
        ecs = self.c("ecs", region)
        ecs.create_cluster(clusterName=cluster,
                           settings=[{"name": "containerInsights", "value": insights}])
        self.add()
        for svc in services:
            container = {
                "name": svc["name"], "image": f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/{svc['name']}:latest",
                "essential": True, "memory": 512,
                "environment": [{"name": "APP_ENV", "value": "production"}],
            }
            if svc.get("logs", True):
                container["logConfiguration"] = {"logDriver": "awslogs", "options": {
                    "awslogs-group": f"/ecs/{svc['name']}", "awslogs-region": region,
                    "awslogs-stream-prefix": "ecs"}}
            if svc.get("sentry"):
                container["secrets"] = [{"name": "SENTRY_DSN", "valueFrom":
                                         f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{svc['name']}/sentry"}]
            td = ecs.register_task_definition(
                family=svc["name"], containerDefinitions=[container], requiresCompatibilities=["FARGATE"],
                networkMode="awsvpc", cpu="256", memory="512")["taskDefinition"]["taskDefinitionArn"]
            ecs.create_service(cluster=cluster, serviceName=svc["name"], taskDefinition=td,
                               desiredCount=2, launchType="FARGATE")
            self.add(2)

    def alb(self, region, name):
        ec2 = self.c("ec2", region)
        subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
        if len(subnets) < 2:
            vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
            azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
            subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"172.31.{200 + i}.0/24",
                                         AvailabilityZone=az)["Subnet"] for i, az in enumerate(azs)]
        lb = self.c("elbv2", region).create_load_balancer(
            Name=name, Subnets=[s["SubnetId"] for s in subnets[:2]], Scheme="internet-facing",
            Type="application")["LoadBalancers"][0]
        self.add()
        arn = lb["LoadBalancerArn"]
        return arn.split(":loadbalancer/", 1)[1]  # app/name/id

    def canary(self, region, name, start=True):
        syn = self.c("synthetics", region)
        syn.create_canary(
            Name=name, Code={"Handler": "index.handler", "S3Bucket": f"canaries-{ACCOUNT}",
                             "S3Key": f"{name}.zip"},
            ArtifactS3Location=f"s3://canary-artifacts-{ACCOUNT}/{name}",
            ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/canary-role",
            Schedule={"Expression": "rate(5 minutes)"}, RuntimeVersion="syn-nodejs-puppeteer-9.1")
        self.add()
        if start:
            syn.start_canary(Name=name)

    def budget(self, name="monthly-cost", notify=True):
        kwargs = dict(AccountId=ACCOUNT, Budget={
            "BudgetName": name, "BudgetLimit": {"Amount": "500", "Unit": "USD"},
            "TimeUnit": "MONTHLY", "BudgetType": "COST"})
        if notify:
            kwargs["NotificationsWithSubscribers"] = [{
                "Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN",
                                 "Threshold": 80.0, "ThresholdType": "PERCENTAGE"},
                "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "finance@example.com"}]}]
        self.c("budgets", "us-east-1").create_budget(**kwargs)
        self.add()

    def anomaly(self):
        ce = self.c("ce", "us-east-1")
        arn = ce.create_anomaly_monitor(AnomalyMonitor={
            "MonitorName": "services", "MonitorType": "DIMENSIONAL",
            "MonitorDimension": "SERVICE"})["MonitorArn"]
        ce.create_anomaly_subscription(AnomalySubscription={
            "SubscriptionName": "daily-anomalies", "MonitorArnList": [arn],
            "Subscribers": [{"Address": "finance@example.com", "Type": "EMAIL"}],
            "Frequency": "DAILY",
            "ThresholdExpression": {"Dimensions": {"Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                                                   "Values": ["100"],
                                                   "MatchOptions": ["GREATER_THAN_OR_EQUAL"]}}})
        self.add(2)


# -------------------------------------------------------------- scenarios

def _workload_alarms(s: Seeder, region, topic, prefix, lb_dim, canary, db, cluster, services,
                     pattern="act-now"):
    s.alarm(region, f"{prefix}-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
            {"LoadBalancer": lb_dim}, topic, pattern, statistic="Sum", threshold=10.0)
    s.alarm(region, f"{prefix}-alb-latency", "AWS/ApplicationELB", "TargetResponseTime",
            {"LoadBalancer": lb_dim}, topic, "next-business-day", threshold=1.5)
    s.alarm(region, f"{prefix}-canary-success", "CloudWatchSynthetics", "SuccessPercent",
            {"CanaryName": canary}, topic, pattern, threshold=90.0,
            comparison="LessThanThreshold")
    s.alarm(region, f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
            topic, "next-business-day")
    s.alarm(region, f"{db}-free-storage", "AWS/RDS", "FreeStorageSpace",
            {"DBInstanceIdentifier": db}, topic, "next-business-day", threshold=10e9,
            comparison="LessThanThreshold")
    s.alarm(region, f"{db}-connections", "AWS/RDS", "DatabaseConnections",
            {"DBInstanceIdentifier": db}, topic, pattern, statistic="Maximum", threshold=150.0)
    for svc in services:
        for metric in ("CPUUtilization", "MemoryUtilization"):
            s.alarm(region, f"{svc}-{metric.lower()}", "AWS/ECS", metric,
                    {"ClusterName": cluster, "ServiceName": svc}, topic, "next-business-day")


def seed_healthy(s: Seeder, regions):
    primary = regions[0]
    s.trail(multi_region=True, validation=True, logging=True)
    s.budget(notify=True)
    s.anomaly()
    for region in regions:
        topic = s.topic(region, "ops-alerts", "lambda")
        s.topic(region, "ops-oncall", "email", confirm=True)
        detector = s.guardduty(region, True)
        # Expected SSH brute-force findings on the bastion, archived on purpose.
        s.suppression(region, detector, "bastion-ssh", {
            "type": {"Eq": ["UnauthorizedAccess:EC2/SSHBruteForce"]},
            "resource.instanceDetails.tags.value": {"Eq": ["bastion"]}})
        s.guardduty_rule(region, topic)
        s.config(region, recording=True, channel=True)
        s.log_groups(region, [f"/aws/lambda/housekeeping-{region}", "/app/audit"], retention=30)
    r = primary
    topic = f"arn:aws:sns:{r}:{ACCOUNT}:ops-alerts"
    s.encrypt(topic, ["cloudwatch.amazonaws.com", "events.amazonaws.com"])
    s.ecr(r, ["shop-api", "shop-web"], scan_on_push=True)
    s.rds(r, "shop-db", max_storage=200, pi=True, max_connections=200)
    s.ecs(r, "shop", [{"name": "shop-api", "sentry": True}], insights="enabled")
    s.log_groups(r, ["/ecs/shop-api"], retention=30)
    lb = s.alb(r, "shop-alb")
    s.canary(r, "shop-home")
    _workload_alarms(s, r, topic, "shop", lb, "shop-home", "shop-db", "shop", ["shop-api"])
    s.flap(r, "shop-alb-5xx", 4)  # a few state changes: fine


def seed_neglected(s: Seeder, regions):
    primary = regions[0]
    s.trail(multi_region=False, validation=False, logging=False)
    s.budget(notify=False)
    for i, region in enumerate(regions):
        s.topic(region, "alerts", "email", confirm=False)  # pending forever
        if i == 0:
            s.guardduty(region, False)  # detector exists but is disabled
        s.guardduty_rule(region, None, state="DISABLED") if i == 0 else None
        s.config(region, recording=False, channel=False)
        s.log_groups(region, [f"/aws/lambda/cron-{region}", "/app/debug"], retention=None)
    r = primary
    topic = f"arn:aws:sns:{r}:{ACCOUNT}:alerts"
    s.ecr(r, ["legacy-api", "legacy-web"], scan_on_push=False)
    s.rds(r, "legacy-db", storage=100, max_storage=None, pi=False)
    s.ecs(r, "legacy", [{"name": "legacy-api", "logs": False, "sentry": False}], insights="disabled")
    s.log_groups(r, ["/ecs/legacy-api"], retention=None)
    s.alb(r, "legacy-alb")  # internet-facing, no canary, no alarms
    # alarms: none routed (pending e-mail only), one without actions, none tagged
    s.alarm(r, "legacy-disk-full", "AWS/EC2", "CPUUtilization", {"InstanceId": "i-0abc"},
            None, pattern=None, actions_enabled=False)
    s.alarm(r, "legacy-queue-depth", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
            {"QueueName": "jobs"}, topic, pattern=None, threshold=1000.0)
    s.alarm(r, "legacy-api-errors", "AWS/Logs", "IncomingLogEvents",
            {"LogGroupName": "/ecs/legacy-api"}, topic, pattern=None)
    s.stuck(r, "legacy-queue-depth", days=12)
    s.flap(r, "legacy-api-errors", 30)


def seed_demo(s: Seeder, regions):
    r = regions[0]
    s.c("iam", r).create_account_alias(AccountAlias="acme-analytics")
    s.trail(multi_region=True, validation=True, logging=True, name="acme-trail")
    s.budget(name="acme-monthly", notify=True)
    for i, region in enumerate(regions):
        topic = s.topic(region, "acme-alerts", "lambda")
        if i < 2:
            s.guardduty(region, True)  # missing in the third region
        if i == 0:
            s.guardduty_rule(region, topic)  # only routed in the first region
            s.config(region, recording=True, channel=True)  # only recorded there
        s.log_groups(region, [f"/aws/lambda/acme-cron-{region}"], retention=14)
    topic = f"arn:aws:sns:{r}:{ACCOUNT}:acme-alerts"
    oncall = s.topic(r, "acme-oncall", "email", confirm=False)  # nobody clicked the link
    s.ecr(r, ["acme-api", "acme-web", "acme-worker"], scan_on_push=False, registry_rule=True)
    s.rds(r, "acme-prod", max_storage=500, pi=True, storage=100)
    s.rds(r, "acme-analytics", cls="db.r6g.large", storage=200, pi=False)
    s.ecs(r, "acme", [{"name": "acme-api", "sentry": True}, {"name": "acme-worker"}])
    s.log_groups(r, ["/ecs/acme-api", "/ecs/acme-worker"], retention=30)
    s.log_groups(r, ["/aws/rds/instance/acme-prod/postgresql", "/acme/debug"], retention=None)
    lb = s.alb(r, "acme-alb")
    s.canary(r, "acme-homepage")
    s.alarm(r, "acme-alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
            {"LoadBalancer": lb}, topic, "act-now", statistic="Sum", threshold=10.0)
    s.alarm(r, "acme-alb-latency", "AWS/ApplicationELB", "TargetResponseTime",
            {"LoadBalancer": lb}, topic, "next-business-day", threshold=2.0)
    s.alarm(r, "acme-homepage-success", "CloudWatchSynthetics", "SuccessPercent",
            {"CanaryName": "acme-homepage"}, topic, "act-now", threshold=90.0,
            comparison="LessThanThreshold")
    s.alarm(r, "acme-prod-cpu", "AWS/RDS", "CPUUtilization",
            {"DBInstanceIdentifier": "acme-prod"}, topic, "next-business-day")
    s.alarm(r, "acme-prod-connections", "AWS/RDS", "DatabaseConnections",
            {"DBInstanceIdentifier": "acme-prod"}, topic, "act-now", statistic="Maximum",
            threshold=400.0)
    s.alarm(r, "acme-analytics-free-storage", "AWS/RDS", "FreeStorageSpace",
            {"DBInstanceIdentifier": "acme-analytics"}, topic, "know", threshold=20e9,
            comparison="LessThanThreshold")
    s.alarm(r, "acme-api-cpu", "AWS/ECS", "CPUUtilization",
            {"ClusterName": "acme", "ServiceName": "acme-api"}, topic, "next-business-day")
    s.alarm(r, "acme-api-memory", "AWS/ECS", "MemoryUtilization",
            {"ClusterName": "acme", "ServiceName": "acme-api"}, topic, "next-business-day")
    s.alarm(r, "acme-worker-cpu", "AWS/ECS", "CPUUtilization",
            {"ClusterName": "acme", "ServiceName": "acme-worker"}, oncall, "act-now")
    s.alarm(r, "acme-worker-queue-depth", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
            {"QueueName": "acme-jobs"}, None, pattern=None, threshold=500.0)
    s.stuck(r, "acme-worker-cpu", days=9)
    s.flap(r, "acme-alb-latency", 6)


def seed_large(s: Seeder, regions):
    s.trail()
    s.budget()
    s.anomaly()

    def one_region(region):
        topics = [s.topic(region, f"team-{t}-alerts", "sqs") for t in range(3)]
        s.guardduty(region, True)
        s.guardduty_rule(region, topics[0])
        s.config(region, recording=True, channel=True)
        s.ecr(region, [f"svc-{i:02d}" for i in range(6)], scan_on_push=True)
        s.log_groups(region, [f"/aws/lambda/fn-{i:02d}" for i in range(15)], retention=30)
        for d in range(2):
            s.rds(region, f"db-{d}", max_storage=400, pi=True)
        for a in range(30):
            s.alarm(region, f"alarm-{a:02d}", "AWS/RDS" if a % 2 else "AWS/Lambda",
                    "CPUUtilization" if a % 2 else "Errors",
                    {"DBInstanceIdentifier": f"db-{a % 2}"} if a % 2 else {"FunctionName": f"fn-{a % 15:02d}"},
                    topics[a % 3], ["act-now", "next-business-day", "know", "record-only"][a % 4])

        # A small workload, so the benchmark reads ECS, ELBv2 and Synthetics too.
        s.ecs(region, "svc", [{"name": "svc-api", "sentry": True}, {"name": "svc-worker"}])
        s.alb(region, "svc-alb")
        s.canary(region, "svc-home")

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(one_region, regions))


def seed_paged(s: Seeder, regions):
    """Past the page size of every paginated list read in one region."""
    r = regions[0]
    topic = s.topic(r, "paged-alerts", "lambda")

    def topics(i):
        s.topic(r, f"paged-{i:03d}", "lambda")

    def alarms(i):
        s.alarm(r, f"paged-alarm-{i:03d}", "AWS/Lambda", "Errors",
                {"FunctionName": f"fn-{i:03d}"}, topic, "next-business-day")

    def repos(i):
        s.ecr(r, [f"paged-repo-{i:03d}"], scan_on_push=True)

    def groups(i):
        s.log_groups(r, [f"/paged/group-{i:03d}"], retention=30)

    def rules(i):
        ev = s.c("events", r)
        ev.put_rule(Name=f"paged-rule-{i:03d}", State="ENABLED",
                    EventPattern=json.dumps({"source": [f"app.{i}"]}))
        ev.put_targets(Rule=f"paged-rule-{i:03d}", Targets=[{"Id": "sns", "Arn": topic}])
        s.add()

    work = [(topics, PAGED["topics"] - 1), (alarms, PAGED["alarms"]),
            (repos, PAGED["repositories"]), (groups, PAGED["log_groups"]),
            (rules, PAGED["rules"])]
    # One thread per service: moto's backends are not safe for concurrent writes to
    # one service in one region (the large seed splits by region for the same reason).
    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        list(pool.map(lambda job: [job[0](i) for i in range(job[1])], work))
    s.flap(r, "paged-alarm-000", PAGED["history"])


def seed_scaled(s: Seeder, regions, n: int = SCALED_N):
    """N of each per-resource kind per region, for a call-budget test: a scan's
    calls per region should grow with the regions, not with N. Each kind is
    created by its own thread (one service per thread per region: moto's
    backends are not safe for concurrent writes to one service in one region)."""
    s.trail()
    s.budget()
    s.anomaly()
    patterns = ["act-now", "next-business-day", "know", "record-only"]

    def basics(region):
        topic = s.topic(region, "scaled-alerts", "lambda")
        s.topic(region, "scaled-queue", "sqs")
        s.guardduty(region, True)
        s.guardduty_rule(region, topic)
        s.config(region, recording=True, channel=True)

    def alarms(region):
        topic = f"arn:aws:sns:{region}:{ACCOUNT}:scaled-alerts"
        for i in range(n):
            # Vary the metric and its dimensions as a real account does: ECS
            # services, Lambda functions, queues.
            kind = i % 4
            if kind in (0, 1):
                metric = "CPUUtilization" if kind == 0 else "MemoryUtilization"
                s.alarm(region, f"scaled-svc-{i:03d}-{metric.lower()}", "AWS/ECS", metric,
                        {"ClusterName": "scaled", "ServiceName": f"svc-{i:03d}"},
                        topic, patterns[i % 4])
            elif kind == 2:
                s.alarm(region, f"scaled-fn-{i:03d}-errors", "AWS/Lambda", "Errors",
                        {"FunctionName": f"fn-{i:03d}"}, topic, patterns[i % 4],
                        statistic="Sum", threshold=5.0)
            else:
                s.alarm(region, f"scaled-q-{i:03d}-age", "AWS/SQS",
                        "ApproximateAgeOfOldestMessage", {"QueueName": f"q-{i:03d}"},
                        topic, patterns[i % 4], statistic="Maximum", threshold=600.0)

    def groups(region):
        s.log_groups(region, [f"/scaled/svc-{i:03d}" for i in range(n)], retention=30)

    def repos(region):
        s.ecr(region, [f"scaled-repo-{i:03d}" for i in range(n)], scan_on_push=True)

    def services(region):
        # One cluster, N services over 2 task definitions: a scanner that reads
        # each task definition once makes 2 reads, not N.
        ecs = s.c("ecs", region)
        ecs.create_cluster(clusterName="scaled",
                           settings=[{"name": "containerInsights", "value": "enabled"}])
        s.add()
        tds = []
        for family in ("scaled-api", "scaled-worker"):
            container = {
                "name": family, "essential": True, "memory": 512,
                "image": f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/{family}:latest",
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": f"/ecs/{family}", "awslogs-region": region,
                    "awslogs-stream-prefix": "ecs"}},
                "secrets": [{"name": "SENTRY_DSN", "valueFrom":
                             f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{family}/sentry"}],
            }
            tds.append(ecs.register_task_definition(
                family=family, containerDefinitions=[container],
                requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
                memory="512")["taskDefinition"]["taskDefinitionArn"])
            s.add()
        for i in range(n):
            ecs.create_service(cluster="scaled", serviceName=f"svc-{i:03d}",
                               taskDefinition=tds[i % 2], desiredCount=1, launchType="FARGATE")
            s.add()

    jobs = [(job, region) for region in regions
            for job in (basics, alarms, groups, repos, services)]
    with ThreadPoolExecutor(max_workers=min(len(jobs), 10)) as pool:
        list(pool.map(lambda job: job[0](job[1]), jobs))


class Direct:
    """Creates resources through moto's backends in this process (the calls
    its response handlers make, with the same arguments), for `xlarge`."""

    def __init__(self, s: Seeder, region: str):
        from moto.cloudwatch.models import cloudwatch_backends
        from moto.ecr.models import ecr_backends
        from moto.logs.models import logs_backends
        from moto.sns.models import sns_backends
        from moto.sqs.models import sqs_backends

        self.s = s
        self.region = region
        self.cw = cloudwatch_backends[ACCOUNT][region]
        self.ecr_b = ecr_backends[ACCOUNT][region]
        self.logs = logs_backends[ACCOUNT][region]
        self.sns = sns_backends[ACCOUNT][region]
        self.sqs = sqs_backends[ACCOUNT][region]

    def topic(self, name):
        """A topic with one sqs subscription (confirmed at once), as Seeder.topic."""
        arn = self.sns.create_topic(name=name).arn
        self.sqs.create_queue(name=f"{name}-queue")
        self.sns.subscribe(arn, f"arn:aws:sqs:{self.region}:{ACCOUNT}:{name}-queue", "sqs")
        self.s.add(3)
        return arn

    def alarm(self, name, namespace, metric, dims, topic, pattern, statistic="Average",
              threshold=80.0):
        # As CloudWatchResponse.put_metric_alarm passes them (moto 5.2.5).
        self.cw.put_metric_alarm(
            name=name, namespace=namespace, metric_name=metric, metric_data_queries=None,
            comparison_operator="GreaterThanThreshold", evaluation_periods=2,
            datapoints_to_alarm=None, period=300, threshold=threshold, statistic=statistic,
            extended_statistic=None, description=None,
            dimensions=[{"Name": k, "Value": v} for k, v in dims.items()],
            alarm_actions=[topic] if topic else [], ok_actions=[],
            insufficient_data_actions=[], unit=None, actions_enabled=True,
            treat_missing_data="notBreaching", evaluate_low_sample_count_percentile=None,
            threshold_metric_id=None, rule=None,
            tags=[{"Key": "response-pattern", "Value": pattern}] if pattern else [])
        self.s.add()

    def log_group(self, name, retention=None):
        self.logs.create_log_group(name, None, kmsKeyId=None)
        if retention:
            self.logs.put_retention_policy(name, retention)
        self.s.add()

    def repository(self, name, scan_on_push=True):
        self.ecr_b.create_repository(
            repository_name=name, registry_id=None, encryption_config=None,
            image_scan_config={"scanOnPush": scan_on_push}, image_tag_mutability=None,
            image_tag_mutability_exclusion_filters=None, tags=[])
        self.s.add()


def seed_xlarge(s: Seeder, regions):
    """`large` times ~10: the bulk in-process (Direct), the rest (RDS, ECS,
    ELBv2, Synthetics, baselines: fewer, and with more moto logic behind
    their create calls) through the API as the other scenarios."""
    s.trail()
    s.budget()
    s.anomaly()
    x = XLARGE
    patterns = ["act-now", "next-business-day", "know", "record-only"]

    def one_region(region):
        d = Direct(s, region)
        topics = [d.topic(f"team-{t:02d}-alerts") for t in range(x["topics"])]
        s.guardduty(region, True)
        s.guardduty_rule(region, topics[0])
        s.config(region, recording=True, channel=True)
        for i in range(x["repositories"]):
            d.repository(f"svc-{i:03d}")
        for i in range(x["log_groups"]):
            d.log_group(f"/aws/lambda/fn-{i:03d}", retention=30)
        for i in range(x["db_instances"]):
            s.rds(region, f"db-{i:02d}", max_storage=400, pi=True)
        for a in range(x["alarms"]):
            kind = a % 3
            if kind == 0:
                d.alarm(f"alarm-{a:03d}", "AWS/RDS", "CPUUtilization",
                        {"DBInstanceIdentifier": f"db-{a % x['db_instances']:02d}"},
                        topics[a % len(topics)], patterns[a % 4])
            elif kind == 1:
                d.alarm(f"alarm-{a:03d}", "AWS/Lambda", "Errors",
                        {"FunctionName": f"fn-{a % x['log_groups']:03d}"},
                        topics[a % len(topics)], patterns[a % 4], statistic="Sum",
                        threshold=5.0)
            else:
                d.alarm(f"alarm-{a:03d}", "AWS/ECS", "CPUUtilization",
                        {"ClusterName": "svc", "ServiceName": f"svc-{a % x['services']:02d}"},
                        topics[a % len(topics)], patterns[a % 4])
        s.ecs(region, "svc", [{"name": f"svc-{i:02d}", "sentry": i % 2 == 0}
                              for i in range(x["services"])])
        for i in range(x["load_balancers"]):
            s.alb(region, f"svc-alb-{i:02d}")
        for i in range(x["canaries"]):
            s.canary(region, f"svc-home-{i:02d}")

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(one_region, regions))


def seed_direct_probe(s: Seeder, regions):
    """For the harness's tests only: one of each kind `xlarge` creates in
    process, as tests/harness/test_scenarios.py also creates through the API,
    to compare the two."""
    for region in regions:
        d = Direct(s, region)
        topic = d.topic("t-alerts")
        d.alarm("a1", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "db"}, topic,
                "act-now")
        d.log_group("/g", retention=30)
        d.repository("repo", scan_on_push=True)


def seed_fixbench(s: Seeder, regions, n: int):
    """`neglected` in the first region plus n log groups without retention there:
    the window's fix benchmark (examples/frame_time.rs --while-fixing) runs the
    log-retention fix over all of them. The bulk is created in process (Direct)."""
    seed_neglected(s, regions[:1])
    d = Direct(s, regions[0])
    for i in range(n):
        d.log_group(f"/bench/svc-{i:05d}")


SEEDERS = {"healthy": seed_healthy, "neglected": seed_neglected, "demo": seed_demo,
           "large": seed_large, "xlarge": seed_xlarge, "paged": seed_paged,
           "scaled": seed_scaled, "fixbench": seed_fixbench, "direct-probe": seed_direct_probe}


def seed(base_url: str, scenario: str, regions=None, n=None) -> int:
    if scenario not in SEEDERS:
        raise ValueError(f"unknown scenario {scenario}; one of {sorted(SEEDERS)}")
    regions = list(regions or DEFAULT_REGIONS[scenario])
    s = Seeder(base_url)
    if scenario in SIZES:
        default, low, high = SIZES[scenario]
        n = default if n is None else int(n)
        if not low <= n <= high:
            raise ValueError(f"n must be {low}..{high} for {scenario}")
        SEEDERS[scenario](s, regions, n)
    elif n is not None:
        raise ValueError(f"n is not for the {scenario} scenario")
    else:
        SEEDERS[scenario](s, regions)
    return s.count
