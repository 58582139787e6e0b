"""CloudWatch gaps of moto 5.2.5 that onwatch's scanner depends on:
DescribeAlarmHistory, DescribeAlarms paging, StateTransitionedTimestamp, and
the harness-only backdating of state changes. Split from patches.py, which
applies them; each cites the AWS API reference page it follows."""

from __future__ import annotations

import datetime as dt
import json

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.core.utils import utcnow


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


def apply() -> None:
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
        raise _harness_error(f"no alarm {name} in {region}", 404)
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


def _harness_error(message: str, status: int):
    from .patches import HarnessError

    return HarnessError(message, status)
