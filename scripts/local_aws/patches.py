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

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

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
        _patch_cloudwatch()
        _patch_rds()
        _patch_ecs()
        _patch_ecr()
        _patch_budgets()
        _patch_sns()
        _patch_ce()
        _patch_ec2_regions()
        _APPLIED = True


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


# --------------------------------------------------------------- CloudWatch
# DescribeAlarmHistory:
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_AlarmHistoryItem.html
# Items are returned newest first; HistoryItemType is one of
# ConfigurationUpdate | StateUpdate | Action; ScanBy TimestampDescending
# (default) | TimestampAscending; MaxRecords 1..100 (default 100).
# PutMetricAlarm on an existing alarm keeps its state ("When this operation
# updates an existing alarm, its state is left unchanged"):
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
# DescribeAlarms pages (moto 5.2.5 returns every alarm at once): MaxRecords
# 1..100 and NextToken; the reference gives no default page size, the harness
# uses 50 so that tests cross page boundaries with fewer alarms:
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
# MetricAlarm / CompositeAlarm StateTransitionedTimestamp: "The timestamp of
# the last change to the alarm's StateValue", while StateUpdatedTimestamp
# also changes when only the state reason or the evaluation state does
# (moto has no StateTransitionedTimestamp):
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html
DESCRIBE_ALARMS_PAGE = 50


def _history(alarm) -> list:
    if not hasattr(alarm, "onwatch_history"):
        alarm.onwatch_history = []
    return alarm.onwatch_history


def _state_item(alarm, old: str, new: str, when: dt.datetime, reason: str) -> dict:
    when = _utc(when)
    data = {
        "version": "1.0",
        "oldState": {"stateValue": old},
        "newState": {"stateValue": new, "stateReason": reason},
    }
    return {
        "AlarmName": alarm.name,
        "AlarmType": "CompositeAlarm" if getattr(alarm, "rule", None) else "MetricAlarm",
        "Timestamp": when,
        "HistoryItemType": "StateUpdate",
        "HistorySummary": f"Alarm updated from {old} to {new}",
        "HistoryData": json.dumps(data),
    }


def _patch_cloudwatch() -> None:
    from moto.cloudwatch import models as cwm
    from moto.cloudwatch.responses import CloudWatchResponse

    orig_update_state = cwm.Alarm.update_state
    orig_init = cwm.Alarm.__init__

    def init(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        self.state_transitioned_timestamp = self.state_updated_timestamp

    def update_state(self, reason, reason_data, state_value):
        old = self.state_value
        orig_update_state(self, reason, reason_data, state_value)
        if old != state_value:
            self.state_transitioned_timestamp = self.state_updated_timestamp
            _history(self).append(
                _state_item(self, old, state_value, self.state_updated_timestamp, reason)
            )

    cwm.Alarm.__init__ = init
    cwm.Alarm.update_state = update_state

    orig_describe_alarms = CloudWatchResponse.describe_alarms

    def describe_alarms(self):
        result = orig_describe_alarms(self)
        max_records = int(self._get_param("MaxRecords") or DESCRIBE_ALARMS_PAGE)
        token = self._get_param("NextToken")
        if max_records < 1 or max_records > 100:
            from moto.cloudwatch.exceptions import ValidationError

            raise ValidationError(
                "1 validation error detected: Value at 'maxRecords' failed to satisfy "
                "constraint: Member must have value between 1 and 100")
        # One sequence of metric then composite alarms, paged together.
        alarms = [("MetricAlarms", a) for a in result.result["MetricAlarms"]]
        alarms += [("CompositeAlarms", a) for a in result.result["CompositeAlarms"]]
        alarms.sort(key=lambda kv: kv[1].name)
        offset = int(token) if token and str(token).isdigit() else 0
        page = alarms[offset: offset + max_records]
        out = {"MetricAlarms": [a for k, a in page if k == "MetricAlarms"],
               "CompositeAlarms": [a for k, a in page if k == "CompositeAlarms"]}
        if offset + max_records < len(alarms):
            out["NextToken"] = str(offset + max_records)
        return ActionResult(out)

    CloudWatchResponse.describe_alarms = describe_alarms

    orig_put = cwm.CloudWatchBackend.put_metric_alarm

    def put_metric_alarm(self, name, *args, **kwargs):
        previous = self.alarms.get(name)
        alarm = orig_put(self, name, *args, **kwargs)
        now = _utc(utcnow())
        if previous is not None:
            alarm.onwatch_history = _history(previous)
            alarm.state_value = previous.state_value
            alarm.state_reason = previous.state_reason
            alarm.state_reason_data = previous.state_reason_data
            alarm.state_updated_timestamp = previous.state_updated_timestamp
            alarm.state_transitioned_timestamp = getattr(
                previous, "state_transitioned_timestamp", previous.state_updated_timestamp)
            summary = f'Alarm "{name}" updated'
        else:
            summary = f'Alarm "{name}" created'
        _history(alarm).append({
            "AlarmName": name,
            "AlarmType": "CompositeAlarm" if getattr(alarm, "rule", None) else "MetricAlarm",
            "Timestamp": now,
            "HistoryItemType": "ConfigurationUpdate",
            "HistorySummary": summary,
            "HistoryData": json.dumps({"version": "1.0", "type": "Create" if previous is None else "Update"}),
        })
        return alarm

    cwm.CloudWatchBackend.put_metric_alarm = put_metric_alarm

    def describe_alarm_history(self):
        backend = self.cloudwatch_backend
        name = self._get_param("AlarmName")
        item_type = self._get_param("HistoryItemType")
        start = self._get_param("StartDate")
        end = self._get_param("EndDate")
        max_records = int(self._get_param("MaxRecords") or 100)
        token = self._get_param("NextToken")
        scan_by = self._get_param("ScanBy") or "TimestampDescending"
        alarm_types = self._get_param("AlarmTypes") or []
        if max_records < 1 or max_records > 100:
            from moto.cloudwatch.exceptions import ValidationError

            raise ValidationError(
                "1 validation error detected: Value at 'maxRecords' failed to satisfy "
                "constraint: Member must have value between 1 and 100"
            )
        items = []
        for alarm in list(backend.alarms.values()):
            if name and alarm.name != name:
                continue
            items.extend(_history(alarm))
        if item_type:
            items = [i for i in items if i["HistoryItemType"] == item_type]
        if alarm_types:
            items = [i for i in items if i["AlarmType"] in alarm_types]

        def as_dt(value):
            if value is None:
                return None
            if isinstance(value, (int, float)):
                return dt.datetime.fromtimestamp(value, dt.timezone.utc)
            if isinstance(value, str):
                return _utc(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
            return _utc(value)

        start, end = as_dt(start), as_dt(end)
        if start:
            items = [i for i in items if i["Timestamp"] >= start]
        if end:
            items = [i for i in items if i["Timestamp"] <= end]
        items.sort(key=lambda i: i["Timestamp"], reverse=scan_by != "TimestampAscending")
        offset = int(token) if token and token.isdigit() else 0
        page = items[offset: offset + max_records]
        result = {"AlarmHistoryItems": page}
        if offset + max_records < len(items):
            result["NextToken"] = str(offset + max_records)
        return ActionResult(result)

    CloudWatchResponse.describe_alarm_history = describe_alarm_history


def cloudwatch_backdate(payload: dict) -> int:
    """Harness-only: append state changes with given timestamps to an alarm's
    history, apply the last one as the alarm's state and set its
    StateUpdatedTimestamp and StateTransitionedTimestamp to the last change's
    timestamp. `updated_at` (optional) then moves StateUpdatedTimestamp alone,
    as AWS does when only the state reason changes."""
    from moto.cloudwatch.models import cloudwatch_backends

    name = payload.get("alarm_name")
    region = payload.get("region", "us-east-1")
    account = payload.get("account_id", DEFAULT_ACCOUNT_ID)
    backend = cloudwatch_backends[account][region]
    alarm = backend.alarms.get(name)
    if alarm is None:
        raise HarnessError(f"no alarm {name} in {region}", 404)
    changes = payload.get("changes") or []
    parsed = []
    for change in changes:
        when = change["timestamp"]
        if isinstance(when, (int, float)):
            when = dt.datetime.fromtimestamp(when, dt.timezone.utc)
        else:
            when = _utc(dt.datetime.fromisoformat(str(when).replace("Z", "+00:00")))
        parsed.append((when, change.get("old", alarm.state_value), change["new"],
                       change.get("reason", "Threshold Crossed (harness backdated)")))
    parsed.sort(key=lambda c: c[0])
    for when, old, new, reason in parsed:
        _history(alarm).append(_state_item(alarm, old, new, when, reason))
    if parsed:
        when, _old, new, reason = parsed[-1]
        alarm.state_value = new
        alarm.state_reason = reason
        alarm.state_reason_data = "{}"
        alarm.state_updated_timestamp = when.replace(tzinfo=None)
        alarm.state_transitioned_timestamp = alarm.state_updated_timestamp
    if payload.get("updated_at"):
        updated = _utc(dt.datetime.fromisoformat(str(payload["updated_at"]).replace("Z", "+00:00")))
        alarm.state_updated_timestamp = updated.replace(tzinfo=None)
    return len(parsed)


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


# ---------------------------------------------------------------------- SNS
# Subscribe: email, email-json, http and https subscriptions need the owner
# to confirm; until then ListSubscriptions / ListSubscriptionsByTopic show
# SubscriptionArn "PendingConfirmation", GetSubscriptionAttributes has
# PendingConfirmation "true", and Subscribe returns "pending confirmation"
# unless ReturnSubscriptionArn is true:
#   https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
#   https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptions.html
#   https://docs.aws.amazon.com/sns/latest/api/API_GetSubscriptionAttributes.html
PENDING_PROTOCOLS = {"email", "email-json", "http", "https"}


def _patch_sns() -> None:
    from moto.sns import models as snsm
    from moto.sns.responses import SNSResponse

    orig_subscribe = snsm.SNSBackend.subscribe

    def subscribe(self, topic_arn, endpoint, protocol):
        existing = self._find_subscription(topic_arn, endpoint, protocol)
        sub = orig_subscribe(self, topic_arn, endpoint, protocol)
        if existing is None:
            pending = protocol in PENDING_PROTOCOLS
            sub.onwatch_pending = pending
            sub.confirmed = not pending
            sub.attributes["PendingConfirmation"] = "true" if pending else "false"
            sub.attributes["ConfirmationWasAuthenticated"] = "false" if pending else "true"
        return sub

    snsm.SNSBackend.subscribe = subscribe

    orig_resp_subscribe = SNSResponse.subscribe

    def resp_subscribe(self):
        result = orig_resp_subscribe(self)
        topic_arn = self._get_param("TopicArn")
        sub = self.backend._find_subscription(
            topic_arn, self._get_param("Endpoint"), self._get_param("Protocol"))
        return_arn = str(self._get_param("ReturnSubscriptionArn") or "").lower() == "true"
        if sub is not None and getattr(sub, "onwatch_pending", False) and not return_arn:
            return ActionResult({"SubscriptionArn": "pending confirmation"})
        return result

    SNSResponse.subscribe = resp_subscribe

    def _view(sub):
        return {
            "SubscriptionArn": "PendingConfirmation" if getattr(sub, "onwatch_pending", False) else sub.arn,
            "Owner": sub.owner,
            "Protocol": sub.protocol,
            "Endpoint": sub.endpoint,
            "TopicArn": sub.topic.arn,
        }

    def list_subscriptions(self):
        next_token = self._get_param("NextToken")
        subs, next_token = self.backend.list_subscriptions(next_token=next_token)
        return ActionResult({"Subscriptions": [_view(s) for s in subs], "NextToken": next_token})

    def list_subscriptions_by_topic(self):
        topic_arn = self._get_param("TopicArn")
        next_token = self._get_param("NextToken")
        subs, next_token = self.backend.list_subscriptions_by_topic(topic_arn, next_token=next_token)
        return ActionResult({"Subscriptions": [_view(s) for s in subs], "NextToken": next_token})

    SNSResponse.list_subscriptions = list_subscriptions
    SNSResponse.list_subscriptions_by_topic = list_subscriptions_by_topic

    # GetTopicAttributes counts: SubscriptionsConfirmed / SubscriptionsPending
    # https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html
    orig_get_topic_attributes = SNSResponse.get_topic_attributes

    def get_topic_attributes(self):
        result = orig_get_topic_attributes(self)
        try:
            topic_arn = self._get_param("TopicArn")
            subs = [s for s in self.backend.subscriptions.values() if s.topic.arn == topic_arn]
            pending = sum(1 for s in subs if getattr(s, "onwatch_pending", False))
            attrs = result.result["Attributes"] if hasattr(result, "result") else None
            if isinstance(attrs, dict):
                attrs["SubscriptionsPending"] = str(pending)
                attrs["SubscriptionsConfirmed"] = str(len(subs) - pending)
        except Exception:
            pass
        return result

    SNSResponse.get_topic_attributes = get_topic_attributes


def sns_confirm(subscription_arn: str | None, topic_arn: str | None) -> list[str]:
    """Harness-only confirmation of pending subscriptions."""
    from moto.sns.models import sns_backends

    if not subscription_arn and not topic_arn:
        raise HarnessError("subscription_arn or topic_arn required")
    confirmed = []
    found = False
    for account, by_region in sns_backends.items():
        for region, backend in by_region.items():
            for sub in list(backend.subscriptions.values()):
                if subscription_arn and sub.arn != subscription_arn:
                    continue
                if topic_arn and sub.topic.arn != topic_arn:
                    continue
                found = True
                if getattr(sub, "onwatch_pending", False):
                    sub.onwatch_pending = False
                    sub.confirmed = True
                    sub.attributes["PendingConfirmation"] = "false"
                    sub.attributes["ConfirmationWasAuthenticated"] = "true"
                    confirmed.append(sub.arn)
    if not found:
        raise HarnessError("no matching subscription", 404)
    return confirmed


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
# DescribeCanariesLastRun (no runs recorded: empty lists):
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_StartCanary.html
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_StopCanary.html
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_GetCanaryRuns.html
#   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_DescribeCanariesLastRun.html


def _synthetics_extra(environ, region, op, path):
    from moto.synthetics.models import synthetics_backends

    backend = synthetics_backends[DEFAULT_ACCOUNT_ID][region]
    parts = path.strip("/").split("/")
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
