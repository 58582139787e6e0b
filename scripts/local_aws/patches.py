"""Patches closing moto 5.2.5 gaps that onwatch's scanner depends on.

Each patch cites the AWS API reference page whose documented behaviour it
follows. All harness-only state lives on moto's own model objects, so
`POST /moto-api/reset` clears it together with moto's state.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import time
import urllib.parse

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

from . import cloudwatch_patches, sns_patches, verdict_patches
from .cloudwatch_patches import cloudwatch_backdate  # noqa: F401  (control endpoint, seeds)
from .sns_patches import sns_confirm  # noqa: F401  (control endpoint, seeds)
from .protocol import model_for, operation_name, parse_auth, request_kind

_APPLIED = False
_LOCK = threading.Lock()


class HarnessError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def apply() -> None:
    global _APPLIED
    with _LOCK:
        if _APPLIED:
            return
        verdict_patches.apply()  # first: DescribeAlarms AlarmTypes before paging
        cloudwatch_patches.apply()
        _patch_rds()
        _patch_ecs()
        _patch_ecr()
        _patch_budgets()
        sns_patches.apply()
        _patch_ce()
        _patch_ec2_regions()
        _patch_tagging()
        from . import route_patches; route_patches.apply()  # KMS, RDS parameters, ECS include
        from . import fix_patches; fix_patches.apply()  # ECR scanOnPush off
        from . import iam_patches; iam_patches.apply()  # SimulatePrincipalPolicy
        _APPLIED = True


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------------- RDS
# CreateDBInstance / ModifyDBInstance accept EnablePerformanceInsights,
# PerformanceInsightsKMSKeyId, PerformanceInsightsRetentionPeriod (default 7
# when enabled), DatabaseInsightsMode (standard | advanced, default standard),
# MaxAllocatedStorage; DescribeDBInstances returns PerformanceInsightsEnabled,
# PerformanceInsightsRetentionPeriod, PerformanceInsightsKMSKeyId,
# DatabaseInsightsMode and MaxAllocatedStorage:
#   https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
#   https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html
#   https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html


def _apply_pi(db, kwargs: dict, creating: bool) -> None:
    if creating:
        db.performance_insights_enabled = False
        db.database_insights_mode = "standard"
    if "enable_performance_insights" in kwargs and kwargs["enable_performance_insights"] is not None:
        enabled = kwargs["enable_performance_insights"]
        if isinstance(enabled, str):
            enabled = enabled.lower() == "true"
        db.performance_insights_enabled = bool(enabled)
        if enabled:
            db.performance_insights_retention_period = int(
                kwargs.get("performance_insights_retention_period") or
                getattr(db, "performance_insights_retention_period", None) or 7)
            db.performance_insights_kms_key_id = kwargs.get(
                "performance_insights_kms_key_id") or getattr(
                db, "performance_insights_kms_key_id", None) or (
                f"arn:aws:kms:{db.region}:{db.account_id}:key/"
                "00000000-0000-0000-0000-000000000000"
                if hasattr(db, "region") and hasattr(db, "account_id") else None)
        else:
            db.performance_insights_retention_period = None
            db.performance_insights_kms_key_id = None
    elif kwargs.get("performance_insights_retention_period"):
        db.performance_insights_retention_period = int(
            kwargs["performance_insights_retention_period"])
    if kwargs.get("database_insights_mode"):
        db.database_insights_mode = kwargs["database_insights_mode"]


def _patch_rds() -> None:
    from moto.rds import models as rdsm

    orig_create = rdsm.RDSBackend.create_db_instance
    orig_modify = rdsm.RDSBackend.modify_db_instance

    def create_db_instance(self, db_kwargs):
        db = orig_create(self, db_kwargs)
        _apply_pi(db, db_kwargs, creating=True)
        return db

    def modify_db_instance(self, db_instance_identifier, db_kwargs):
        pi_keys = {k: db_kwargs.get(k) for k in (
            "enable_performance_insights", "performance_insights_retention_period",
            "performance_insights_kms_key_id", "database_insights_mode") if k in db_kwargs}
        db = orig_modify(self, db_instance_identifier, db_kwargs)
        if not hasattr(db, "performance_insights_enabled"):
            _apply_pi(db, {}, creating=True)
        _apply_pi(db, pi_keys, creating=False)
        return db

    rdsm.RDSBackend.create_db_instance = create_db_instance
    rdsm.RDSBackend.modify_db_instance = modify_db_instance


# ---------------------------------------------------------------------- ECS
# UpdateClusterSettings: "Modifies the settings to use for a cluster";
# setting name containerInsights, value enabled | disabled | enhanced;
# response {"cluster": Cluster} (settings included):
#   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateClusterSettings.html
#   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html


def _patch_ecs() -> None:
    from moto.ecs.exceptions import InvalidParameterException
    from moto.ecs.responses import EC2ContainerServiceResponse as ECSResponse

    def update_cluster_settings(self):
        cluster_name = self._get_param("cluster")
        settings = self._get_param("settings") or []
        backend = self.ecs_backend
        cluster = backend._get_cluster(cluster_name)
        current = list(cluster.settings or [])
        for setting in settings:
            if setting.get("name") != "containerInsights":
                raise InvalidParameterException(
                    f"Invalid setting name {setting.get('name')}")
            if setting.get("value") not in ("enabled", "disabled", "enhanced"):
                raise InvalidParameterException(
                    "containerInsights must be one of enabled, disabled, enhanced")
            current = [s for s in current if s.get("name") != setting["name"]]
            current.append({"name": setting["name"], "value": setting["value"]})
        cluster.settings = current
        return ActionResult({"cluster": cluster})

    ECSResponse.update_cluster_settings = update_cluster_settings


# ---------------------------------------------------------------------- ECR
# DescribeRepositories pages (moto 5.2.5 returns every repository at once):
# "If this parameter is not used, then DescribeRepositories returns up to 100
# results and a nextToken value, if applicable"; maxResults 1..1000, not
# together with repositoryNames:
#   https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html
DESCRIBE_REPOSITORIES_PAGE = 100


def _patch_ecr() -> None:
    from moto.ecr.responses import ECRResponse

    orig = ECRResponse.describe_repositories

    def describe_repositories(self):
        result = orig(self)
        if self._get_param("repositoryNames"):
            return result
        max_results = int(self._get_param("maxResults") or DESCRIBE_REPOSITORIES_PAGE)
        token = self._get_param("nextToken")
        repos = sorted(result.result["repositories"], key=lambda r: r.name)
        offset = int(token) if token and str(token).isdigit() else 0
        out = {"repositories": repos[offset: offset + max_results], "failures": []}
        if offset + max_results < len(repos):
            out["nextToken"] = str(offset + max_results)
        return ActionResult(out)

    ECRResponse.describe_repositories = describe_repositories


# ------------------------------------------------------------------ Budgets
# DescribeSubscribersForNotification / CreateSubscriber:
#   https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DescribeSubscribersForNotification.html
#   https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CreateSubscriber.html


def _same_notification(a: dict, b: dict) -> bool:
    def key(n):
        return (n.get("NotificationType"), n.get("ComparisonOperator"),
                float(n.get("Threshold", 0)), n.get("ThresholdType", "PERCENTAGE"))

    return key(a) == key(b)


def _patch_budgets() -> None:
    from moto.budgets.exceptions import NotFoundException
    from moto.budgets.responses import BudgetsResponse

    def _find(self):
        account_id = self._get_param("AccountId")
        budget_name = self._get_param("BudgetName")
        notification = self._get_param("Notification") or {}
        budget = self.backend.budgets[account_id].get(budget_name)
        if budget is None:
            raise NotFoundException(
                f"Unable to get budget: {budget_name} - the budget doesn't exist.")
        for n in budget.notifications:
            if _same_notification(n.details, notification):
                return n
        raise NotFoundException("Unable to find notification for budget")

    def describe_subscribers_for_notification(self):
        n = _find(self)
        subs = list(n.subscribers or [])
        max_results = int(self._get_param("MaxResults") or 100)
        token = self._get_param("NextToken")
        offset = int(token) if token and str(token).isdigit() else 0
        out = {"Subscribers": subs[offset: offset + max_results]}
        if offset + max_results < len(subs):
            out["NextToken"] = str(offset + max_results)
        return json.dumps(out)

    def create_subscriber(self):
        n = _find(self)
        sub = self._get_param("Subscriber")
        n.subscribers = list(n.subscribers or [])
        if sub not in n.subscribers:
            n.subscribers.append(sub)
        return json.dumps({})

    def delete_subscriber(self):
        n = _find(self)
        sub = self._get_param("Subscriber")
        n.subscribers = [s for s in (n.subscribers or []) if s != sub]
        return json.dumps({})

    BudgetsResponse.describe_subscribers_for_notification = describe_subscribers_for_notification
    BudgetsResponse.create_subscriber = create_subscriber
    BudgetsResponse.delete_subscriber = delete_subscriber


# ----------------------------------------------------------- Cost Explorer
# Anomaly detection (moto 5.2.5 has none of it):
#   https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_CreateAnomalyMonitor.html
#   https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetAnomalyMonitors.html
#   https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_CreateAnomalySubscription.html
#   https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetAnomalySubscriptions.html


def _patch_ce() -> None:
    import uuid

    from moto.ce.responses import CostExplorerResponse
    from moto.core.exceptions import JsonRESTError

    def store(self):
        backend = self.ce_backend
        if not hasattr(backend, "onwatch_monitors"):
            backend.onwatch_monitors = {}
            backend.onwatch_subscriptions = {}
        return backend

    def today():
        return utcnow().strftime("%Y-%m-%d")

    def create_anomaly_monitor(self):
        backend = store(self)
        monitor = dict(self._get_param("AnomalyMonitor") or {})
        arn = f"arn:aws:ce::{self.current_account}:anomalymonitor/{uuid.uuid4()}"
        monitor.update({"MonitorArn": arn, "CreationDate": today(),
                        "LastUpdatedDate": today(), "DimensionalValueCount": 0})
        backend.onwatch_monitors[arn] = monitor
        return json.dumps({"MonitorArn": arn})

    def _page(self, items, key):
        max_results = int(self._get_param("MaxResults") or 100)
        token = self._get_param("NextPageToken")
        offset = int(token) if token and str(token).isdigit() else 0
        out = {key: items[offset: offset + max_results]}
        if offset + max_results < len(items):
            out["NextPageToken"] = str(offset + max_results)
        return json.dumps(out)

    def get_anomaly_monitors(self):
        backend = store(self)
        arns = self._get_param("MonitorArnList") or []
        items = [m for a, m in backend.onwatch_monitors.items() if not arns or a in arns]
        if arns and not items:
            raise JsonRESTError("UnknownMonitorException", "No anomaly monitor found")
        return _page(self, items, "AnomalyMonitors")

    def delete_anomaly_monitor(self):
        store(self).onwatch_monitors.pop(self._get_param("MonitorArn"), None)
        return json.dumps({})

    def create_anomaly_subscription(self):
        backend = store(self)
        sub = dict(self._get_param("AnomalySubscription") or {})
        for arn in sub.get("MonitorArnList", []):
            if arn not in backend.onwatch_monitors:
                raise JsonRESTError("UnknownMonitorException",
                                    f"Monitor {arn} does not exist")
        arn = f"arn:aws:ce::{self.current_account}:anomalysubscription/{uuid.uuid4()}"
        sub.update({"SubscriptionArn": arn, "AccountId": self.current_account})
        backend.onwatch_subscriptions[arn] = sub
        return json.dumps({"SubscriptionArn": arn})

    def get_anomaly_subscriptions(self):
        backend = store(self)
        arns = self._get_param("SubscriptionArnList") or []
        monitor = self._get_param("MonitorArn")
        items = [s for a, s in backend.onwatch_subscriptions.items()
                 if (not arns or a in arns)
                 and (not monitor or monitor in s.get("MonitorArnList", []))]
        return _page(self, items, "AnomalySubscriptions")

    def delete_anomaly_subscription(self):
        store(self).onwatch_subscriptions.pop(self._get_param("SubscriptionArn"), None)
        return json.dumps({})

    for fn in (create_anomaly_monitor, get_anomaly_monitors, delete_anomaly_monitor,
               create_anomaly_subscription, get_anomaly_subscriptions,
               delete_anomaly_subscription):
        setattr(CostExplorerResponse, fn.__name__, fn)


# --------------------------------------------------------------- Synthetics
# moto 5.2.5 routes only CreateCanary/GetCanary/DescribeCanaries/tags; add
# StartCanary / StopCanary (state RUNNING / STOPPED), GetCanaryRuns and
# DescribeCanariesLastRun (no runs recorded: empty lists), and:
#   * GetCanary of an unknown name: 404 ResourceNotFoundException (moto: 500);
#   * DeleteCanary (DeleteLambda accepted): a RUNNING canary is refused with
#     ConflictException ("Before you can delete a canary, you must stop it"),
#     otherwise it is gone;
#   * DescribeRuntimeVersions: the runtimes in SYNTHETICS_RUNTIMES (a few
#     current and one deprecated, with their documented dates);
#   * CreateCanary checks what AWS rejects: a name outside ^[0-9a-z_\-]{1,255}$,
#     an unknown or deprecated RuntimeVersion (ValidationException), and a
#     Code.ZipFile that is not a zip holding the handler's file where the
#     runtime loads it (nodejs/node_modules/<module>.js for Node.js runtimes,
#     python/<module>.py for Python ones);
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_DeleteCanary.html
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_DescribeRuntimeVersions.html
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CreateCanary.html
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_WritingCanary_Nodejs.html
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Library_nodejs_puppeteer.html
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_StartCanary.html
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_StopCanary.html
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_GetCanaryRuns.html
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_DescribeCanariesLastRun.html


SYNTHETICS_RUNTIMES = [
    {"VersionName": "syn-nodejs-puppeteer-6.2", "Description": "Puppeteer 19.7, Node.js 18",
     "ReleaseDate": 1683849600, "DeprecationDate": 1741392000},
    {"VersionName": "syn-nodejs-puppeteer-9.1", "Description": "Puppeteer 22.12, Node.js 20",
     "ReleaseDate": 1727827200},
    {"VersionName": "syn-nodejs-puppeteer-10.0", "Description": "Puppeteer 24.2, Node.js 20",
     "ReleaseDate": 1741737600},
    {"VersionName": "syn-nodejs-playwright-2.0", "Description": "Playwright 1.49, Node.js 20",
     "ReleaseDate": 1738540800},
    {"VersionName": "syn-python-selenium-5.1", "Description": "Selenium 4.21, Python 3.11",
     "ReleaseDate": 1727740800},
]


def _check_new_canary(environ):
    import base64
    import re
    import zipfile

    raw = environ["wsgi.input"].read()
    environ["wsgi.input"] = io.BytesIO(raw)
    try:
        params = json.loads(raw or b"{}")
    except ValueError:
        return None

    def invalid(message):
        return 400, {"__type": "ValidationException", "message": message}
    if not re.fullmatch(r"[0-9a-z_\-]{1,255}", params.get("Name", "")):
        return invalid("Name must match ^[0-9a-z_\\-]+$")
    runtime = params.get("RuntimeVersion", "")
    known = {r["VersionName"]: r for r in SYNTHETICS_RUNTIMES}
    if runtime not in known or known[runtime].get("DeprecationDate", float("inf")) <= time.time():
        return invalid(f"Runtime version {runtime} is not supported")
    code = params.get("Code") or {}
    if "ZipFile" in code:
        module = (code.get("Handler") or "").rsplit(".", 1)[0]
        where = (f"python/{module}.py" if runtime.startswith("syn-python-")
                 else f"nodejs/node_modules/{module}.js")
        try:
            with zipfile.ZipFile(io.BytesIO(base64.b64decode(code["ZipFile"]))) as z:
                if z.testzip() is not None or where not in z.namelist():
                    return invalid(f"The zip file must contain {where}")
        except (ValueError, zipfile.BadZipFile):
            return invalid("Code.ZipFile is not a valid zip file")
    return None


def _synthetics_extra(environ, region, op, path):
    from moto.synthetics.models import synthetics_backends

    backend = synthetics_backends[DEFAULT_ACCOUNT_ID][region]
    parts = path.strip("/").split("/")
    if op == "DescribeRuntimeVersions":
        return 200, {"RuntimeVersions": SYNTHETICS_RUNTIMES}
    if op == "CreateCanary":
        return _check_new_canary(environ)
    if op in ("GetCanary", "DeleteCanary"):
        name = urllib.parse.unquote(parts[1]) if len(parts) > 1 else ""
        canary = backend.canaries.get(name)
        if canary is None:
            return 404, {"__type": "ResourceNotFoundException",
                         "message": f"Canary {name} not found"}
        if op == "GetCanary":
            return None
        if canary.state == "RUNNING":
            return 409, {"__type": "ConflictException",
                         "message": "Before you can delete a canary, you must stop it"}
        del backend.canaries[name]
        return 200, {}
    if op in ("StartCanary", "StopCanary", "GetCanaryRuns"):
        name = parts[1] if len(parts) > 1 else ""
        canary = backend.canaries.get(name) if hasattr(backend, "canaries") else None
        if canary is None:
            return 404, {"__type": "ResourceNotFoundException",
                         "message": f"Canary {name} not found"}
        if op == "StartCanary":
            canary.state = "RUNNING"
            canary.timeline["LastStarted"] = utcnow()
            return 200, {}
        if op == "StopCanary":
            canary.state = "STOPPED"
            canary.timeline["LastStopped"] = utcnow()
            return 200, {}
        return 200, {"CanaryRuns": []}
    if op == "DescribeCanariesLastRun":
        return 200, {"CanariesLastRun": []}
    return None


# ---------------------------------------------------------------- GuardDuty
# CreateSampleFindings (POST /detector/{detectorId}/findings/create, body
# {"findingTypes": [...]}): moto 5.2.5 does not route it. "Generates sample
# findings of types specified by the list of finding types. If 'NULL' is
# specified for findingTypes, the API generates sample findings of all
# supported finding types"; an unknown detector is a BadRequestException:
#   https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateSampleFindings.html
# The harness records each call in SAMPLE_FINDINGS (region, detector, types);
# delivering the sample through EventBridge is not simulated.
SAMPLE_FINDINGS: list[dict] = []


def _guardduty_extra(environ, region):
    path = environ.get("PATH_INFO", "")
    parts = path.strip("/").split("/")
    if not (environ.get("REQUEST_METHOD") == "POST" and len(parts) == 4
            and parts[0] == "detector" and parts[2:] == ["findings", "create"]):
        return None
    from moto.guardduty.models import guardduty_backends

    raw = environ["wsgi.input"].read()
    environ["wsgi.input"] = io.BytesIO(raw)
    backend = guardduty_backends[DEFAULT_ACCOUNT_ID][region]
    detector_id = urllib.parse.unquote(parts[1])
    if detector_id not in getattr(backend, "detectors", {}):
        return 400, {"__type": "BadRequestException",
                     "message": "The request is rejected because the input detectorId is not owned by the current account."}
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        body = {}
    types = body.get("findingTypes")
    if types is not None and not isinstance(types, list):
        return 400, {"__type": "BadRequestException", "message": "findingTypes must be a list"}
    SAMPLE_FINDINGS.append({"region": region, "detector_id": detector_id,
                            "finding_types": types or ["ALL"]})
    return 200, {}


# ---------------------------------------------------------------------- EC2
# DescribeRegions: "Describes the Regions that are enabled for your account,
# or all Regions" (AllRegions=true). A commercial account sees only its own
# partition; the 17 regions below are enabled by default, all others are
# opt-in ("not-opted-in" until enabled):
#   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
#   https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
DEFAULT_REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-south-1",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "eu-north-1", "sa-east-1",
]


def _patch_ec2_regions() -> None:
    from moto.ec2.responses.availability_zones_and_regions import (
        AvailabilityZonesAndRegions,
    )

    def describe_regions(self):
        self.error_on_dryrun()
        names = self._get_param("RegionNames", []) or []
        all_regions = str(self._get_param("AllRegions") or "").lower() == "true"
        out = []
        for region in self.ec2_backend.describe_regions([]):
            if region.name.startswith(("us-gov-", "cn-", "us-iso", "eu-isoe")):
                continue
            enabled = region.name in DEFAULT_REGIONS
            if names and region.name not in names:
                continue
            if not enabled and not all_regions and not names:
                continue
            out.append({
                "RegionName": region.name,
                "Endpoint": region.endpoint,
                "OptInStatus": "opt-in-not-required" if enabled else "not-opted-in",
            })
        return ActionResult({"Regions": out})

    AvailabilityZonesAndRegions.describe_regions = describe_regions


# ------------------------------------------- Resource Groups Tagging API
# GetResources paging (moto 5.2.5 counts tags against a TagsPerPage of 100
# even when the request has none, and stops one short of it, so
# ResourcesPerPage 100 over one-tag alarms gave pages of 99; its tokens were
# single-use generators). Per the API reference: ResourcesPerPage 1..100;
# TagsPerPage 100..500 limits a page only when given ("GetResources does not
# split a resource and its associated tags across pages"; 22 resources of 10
# tags at TagsPerPage 100 make pages of 10, 10, 2; "a resource with no tags is
# counted as having one tag"); a PaginationToken "is valid for a maximum of 15
# minutes", so a retried page request may send it again. The reference states
# no default page size; the harness keeps moto's 50. Resources are returned
# in ARN order so that pages stay consistent while resources are created.
#   https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html
# Still as moto: resources whose tags were all removed are absent (AWS
# returns "tagged or previously tagged" resources).
GET_RESOURCES_PAGE = 50


def _patch_tagging() -> None:
    from moto.resourcegroupstaggingapi.exceptions import ResourceGroupsTaggingAPIError as Err
    from moto.resourcegroupstaggingapi.responses import ResourceGroupsTaggingAPIResponse

    def get_resources(self):
        token = self._get_param("PaginationToken")
        per_page = self._get_int_param("ResourcesPerPage", GET_RESOURCES_PAGE)
        tags_per_page = self._get_int_param("TagsPerPage")
        if tags_per_page is not None and tags_per_page not in range(100, 501):
            raise Err("InvalidParameterException", "TagsPerPage must be between 100 and 500")
        if per_page not in range(1, 101):
            raise Err("InvalidParameterException", "ResourcesPerPage must be between 1 and 100")
        if token and not str(token).isdigit():
            raise Err("PaginationTokenExpiredException", "Token does not exist")
        resources = sorted(self.backend._get_resources_generator(
            tag_filters=self._get_param("TagFilters", []),
            resource_type_filters=self._get_param("ResourceTypeFilters", []),
            resource_arn_list=self._get_param("ResourceARNList", []),
        ), key=lambda r: r.arn)
        offset = int(token) if token else 0
        page, tags = [], 0
        for resource in resources[offset:]:
            if len(page) >= per_page:
                break
            weight = max(1, len(resource.tags))
            if tags_per_page is not None and page and tags + weight > tags_per_page:
                break
            page.append(resource)
            tags += weight
        end = offset + len(page)
        return ActionResult({
            "ResourceTagMappingList": [
                {"ResourceARN": r.arn,
                 "Tags": [{"Key": k, "Value": v} for k, v in r.tags.items()]}
                for r in page],
            "PaginationToken": str(end) if end < len(resources) else "",
        })

    ResourceGroupsTaggingAPIResponse.get_resources = get_resources


# ------------------------------------------------------ response fix-ups
# Synthetics is restJson1: timestamps are epoch-seconds numbers
# ("timestampFormat" defaults to epoch-seconds for restJson1 bodies,
#  https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html), but moto
# answers ISO-8601 strings, which the Rust SDK rejects. Convert generically
# from the operation's output shape.
TIMESTAMP_FIX_SERVICES = {"synthetics"}


def _fix_timestamps(shape, value):
    if value is None or shape is None:
        return value
    t = shape.type_name
    if t == "structure" and isinstance(value, dict):
        for k, v in list(value.items()):
            member = shape.members.get(k)
            if member is not None:
                value[k] = _fix_timestamps(member, v)
        return value
    if t == "list" and isinstance(value, list):
        return [_fix_timestamps(shape.member, v) for v in value]
    if t == "map" and isinstance(value, dict):
        return {k: _fix_timestamps(shape.value, v) for k, v in value.items()}
    if t == "timestamp" and isinstance(value, str):
        fmt = shape.serialization.get("timestampFormat")
        if fmt in ("iso8601", "rfc822"):
            return value
        try:
            return float(value)
        except ValueError:
            pass
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return _utc(when).timestamp()
    return value


class ResponseFixups:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        service, _region = parse_auth(environ)
        if service == "guardduty":
            handled = _guardduty_extra(environ, _region)
            if handled is not None:
                status, payload = handled
                data = json.dumps(payload).encode()
                headers = [("Content-Type", "application/json"),
                           ("Content-Length", str(len(data)))]
                if status >= 300:
                    headers.append(("X-Amzn-ErrorType", payload["__type"]))
                start_response(f"{status} {'OK' if status < 300 else 'Error'}", headers)
                return [data]
        if service not in TIMESTAMP_FIX_SERVICES:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read()
        environ["wsgi.input"] = io.BytesIO(body)
        kind = request_kind(environ, service)
        op = operation_name(environ, service, kind, body)
        if service == "synthetics":
            handled = _synthetics_extra(environ, _region, op, environ.get("PATH_INFO", ""))
            if handled is not None:
                status, payload = handled
                data = json.dumps(payload).encode()
                headers = [("Content-Type", "application/json"),
                           ("Content-Length", str(len(data)))]
                if status >= 300:
                    headers.append(("x-amzn-ErrorType", payload["__type"]))
                start_response(f"{status} {'OK' if status < 300 else 'Not Found'}", headers)
                return [data]
        captured = {}

        def _sr(status, headers, exc_info=None):
            captured["status"] = status
            captured["headers"] = headers
            return lambda data: None

        chunks = self.app(environ, _sr)
        try:
            out = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        if captured["status"].startswith("2") and out.strip():
            try:
                model = model_for(service)
                shape = model.operation_model(op).output_shape
                payload = json.loads(out)
                out = json.dumps(_fix_timestamps(shape, payload)).encode()
            except Exception:
                pass
        headers.append(("Content-Length", str(len(out))))
        start_response(captured["status"], headers)
        return [out]
