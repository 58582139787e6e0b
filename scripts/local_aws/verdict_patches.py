"""moto 5.2.5 gaps behind onwatch's "verdicts an AWS expert would sign":
CloudWatch composite alarms, GuardDuty ListFilters (suppression rules),
CloudTrail delivery errors and default event selectors, CloudWatch Logs log
group classes, AWS Config recording mode. Applied by patches.apply() (before
cloudwatch_patches, so that DescribeAlarms' AlarmTypes filter runs before its
paging). Each patch cites the AWS API reference page it follows. Harness state
lives on moto's model objects, so `POST /moto-api/reset` clears it."""

from __future__ import annotations

import json

from moto.core.responses import EmptyResult


def apply() -> None:
    _patch_composite_alarms()
    _patch_guardduty_filters()
    _patch_cloudtrail()
    _patch_log_group_class()
    _patch_config_recording_mode()


# ------------------------------------------------- CloudWatch composite alarms
# PutCompositeAlarm (moto 5.2.5: "not implemented"): AlarmName, AlarmRule,
# ActionsEnabled (default true), AlarmActions, OKActions,
# InsufficientDataActions, AlarmDescription, Tags, ActionsSuppressor,
# ActionsSuppressorWaitPeriod, ActionsSuppressorExtensionPeriod; "If you
# update an existing alarm, its state is left unchanged, but the update
# completely overwrites the previous configuration of the alarm"; tags are
# applied only on creation ("Tags ... on an existing alarm ... are ignored;
# use TagResource"):
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_CompositeAlarm.html
# DescribeAlarms AlarmTypes: "If you omit this parameter, only metric alarms
# are returned, even if composite alarms ... exist in the account"; with
# CompositeAlarm only composite alarms (moto returned both, always):
#   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
# The alarm is a moto Alarm with `rule` set, so state, history,
# StateTransitionedTimestamp (cloudwatch_patches), tags (ListTagsForResource,
# Resource Groups Tagging GetResources cloudwatch:alarm), DeleteAlarms and
# the CBOR front treat it as they treat metric alarms.


def _patch_composite_alarms() -> None:
    from moto.cloudwatch.exceptions import ValidationError
    from moto.cloudwatch.responses import CloudWatchResponse

    def put_composite_alarm(self):
        name = self._get_param("AlarmName")
        rule = self._get_param("AlarmRule")
        if not name or not rule:
            raise ValidationError("AlarmName and AlarmRule are required")
        backend = self.cloudwatch_backend
        existed = name in backend.alarms
        if existed and backend.alarms[name].rule is None:
            raise ValidationError(
                f"Alarm {name} is a metric alarm; a composite alarm cannot replace it")
        actions_enabled = self._get_param("ActionsEnabled")
        if isinstance(actions_enabled, str):
            actions_enabled = actions_enabled.lower() == "true"
        alarm = backend.put_metric_alarm(
            name=name, namespace=None, metric_name=None, comparison_operator=None,
            evaluation_periods=None, period=None, threshold=None, statistic=None,
            description=self._get_param("AlarmDescription"), dimensions=[],
            alarm_actions=self._get_param("AlarmActions", []) or [],
            ok_actions=self._get_param("OKActions", []) or [],
            insufficient_data_actions=self._get_param("InsufficientDataActions", []) or [],
            actions_enabled=True if actions_enabled is None else bool(actions_enabled),
            rule=rule,
            tags=None if existed else (self._get_param("Tags", []) or None),
        )
        alarm.actions_suppressor = self._get_param("ActionsSuppressor")
        alarm.actions_suppressor_wait_period = self._get_param("ActionsSuppressorWaitPeriod")
        alarm.actions_suppressor_extension_period = self._get_param(
            "ActionsSuppressorExtensionPeriod")
        return EmptyResult()

    CloudWatchResponse.put_composite_alarm = put_composite_alarm

    orig_describe = CloudWatchResponse.describe_alarms

    def describe_alarms(self):
        result = orig_describe(self)
        types = self._get_param("AlarmTypes") or ["MetricAlarm"]
        if "MetricAlarm" not in types:
            result.result["MetricAlarms"] = []
        if "CompositeAlarm" not in types:
            result.result["CompositeAlarms"] = []
        return result

    CloudWatchResponse.describe_alarms = describe_alarms


# ------------------------------------------------------ GuardDuty filters
# ListFilters (moto 5.2.5: "not implemented"): GET
# /detector/{detectorId}/filter?maxResults&nextToken -> {"filterNames",
# "nextToken"}; MaxResults 1..50, "The default value is 50":
#   https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListFilters.html
# CreateFilter Action "Default: NOOP" (moto left it null) and Tags, which
# GetFilter returns (moto dropped them):
#   https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateFilter.html
#   https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetFilter.html
# A suppression rule is a filter with Action ARCHIVE.
LIST_FILTERS_PAGE = 50


def _patch_guardduty_filters() -> None:
    from moto.guardduty.exceptions import GuardDutyException
    from moto.guardduty.responses import GuardDutyResponse

    class BadRequest(GuardDutyException):
        code = 400

        def __init__(self, message):
            super().__init__("BadRequestException", message)

        def get_headers(self, *args, **kwargs):
            return [("X-Amzn-ErrorType", "BadRequestException")]

    def list_filters(self):
        detector_id = self.path.split("?")[0].rstrip("/").split("/")[-2]
        detector = self.guardduty_backend.get_detector(detector_id)
        max_results = self._get_param("maxResults")
        max_results = int(max_results) if max_results not in (None, "") else LIST_FILTERS_PAGE
        if not 1 <= max_results <= 50:
            raise BadRequest("The request is rejected because the input maxResults is "
                             "not valid: it must be between 1 and 50.")
        token = self._get_param("nextToken")
        if token and not str(token).isdigit():
            raise BadRequest("The request is rejected because the input nextToken is not valid.")
        names = list(detector.filters)
        offset = int(token) if token else 0
        out = {"filterNames": names[offset: offset + max_results]}
        if offset + max_results < len(names):
            out["nextToken"] = str(offset + max_results)
        return json.dumps(out)

    GuardDutyResponse.list_filters = list_filters

    orig_create = GuardDutyResponse.create_filter

    def create_filter(self):
        detector_id = self.path.rstrip("/").split("/")[-2]
        name = self._get_param("name")
        detector = self.guardduty_backend.get_detector(detector_id)
        if name in detector.filters:
            raise BadRequest("The request is rejected because a filter with the same "
                             "name already exists.")
        out = orig_create(self)
        flt = detector.filters[name]
        flt.action = flt.action or "NOOP"
        flt.onwatch_tags = self._get_param("tags") or {}
        return out

    GuardDutyResponse.create_filter = create_filter

    orig_get = GuardDutyResponse.get_filter

    def get_filter(self):
        body = json.loads(orig_get(self))
        detector_id = self.path.rstrip("/").split("/")[-3]
        from urllib.parse import unquote

        name = unquote(self.path.rstrip("/").split("/")[-1])
        flt = self.guardduty_backend.get_filter(detector_id, name)
        body = {k: v for k, v in body.items() if v is not None}
        body["action"] = body.get("action") or "NOOP"
        if getattr(flt, "onwatch_tags", None):
            body["tags"] = flt.onwatch_tags
        return json.dumps(body)

    GuardDutyResponse.get_filter = get_filter


# ----------------------------------------------------------- CloudTrail
# GetTrailStatus LatestDeliveryError: "Displays any Amazon S3 error that
# CloudTrail encountered when attempting to deliver log files to the
# designated bucket ... This error occurs only when there is a problem with
# the destination S3 bucket" (S3 error codes, e.g. NoSuchBucket,
# AccessDenied); LatestDeliveryTime: "the date and time that CloudTrail last
# delivered log files":
#   https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
# What the harness simulates (moto reports no delivery error at all): while
# the trail is logging, each GetTrailStatus is a delivery attempt to its
# bucket in moto's S3 backend. The attempt fails with
#   * "NoSuchBucket" when the bucket does not exist (deleted after
#     CreateTrail, which itself rejects a missing bucket),
#   * "AccessDenied" when the bucket has a bucket policy that denies
#     cloudtrail.amazonaws.com s3:PutObject or grants it to no one (a bucket
#     with no policy at all is treated as writable, as moto's CreateTrail
#     accepts it),
# A statement's Condition is evaluated against the delivery request's context
# (CloudTrail's PutObject: over TLS, aws:SourceArn the trail's ARN,
# aws:SourceAccount its account, s3:x-amz-acl bucket-owner-full-control, as the
# documented bucket policy expects:
#   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
# Operators StringEquals/StringLike/ArnEquals/ArnLike/Bool; a key not in that
# context makes the condition false, as IAM does for a missing key
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html);
# so a Deny of non-TLS access no longer denies CloudTrail, and an Allow scoped
# to another trail does not allow this one.
# and then LatestDeliveryError is that code and LatestDeliveryTime stops
# advancing (it keeps the last successful delivery). A successful attempt
# clears the error. The last error stays reported after StopLogging.
#
# Event selectors: "By default, trails created without specific event
# selectors are configured to log all read and write management events, and
# no data events" (moto: []); EventSelector ReadWriteType "By default, the
# value is All", IncludeManagementEvents "By default, the value is true";
# "You can use either AdvancedEventSelectors or EventSelectors, but not both.
# If you apply AdvancedEventSelectors to a trail, any existing EventSelectors
# are overwritten" (and the reverse: moto kept advanced selectors after basic
# ones were put):
#   https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html
#   https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_EventSelector.html
#   https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html


def _default_selector(sel: dict | None = None) -> dict:
    sel = dict(sel or {})
    return {
        "ReadWriteType": sel.get("ReadWriteType") or "All",
        "IncludeManagementEvents": True if sel.get("IncludeManagementEvents") is None
        else bool(sel["IncludeManagementEvents"]),
        "DataResources": sel.get("DataResources") or [],
        "ExcludeManagementEventSources": sel.get("ExcludeManagementEventSources") or [],
    }


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _condition_holds(condition, context: dict) -> bool:
    import fnmatch

    for operator, pairs in (condition or {}).items():
        op = operator.lower()
        for key, wanted in (pairs or {}).items():
            have = context.get(key.lower())
            if have is None:
                return False
            values = [str(v) for v in _as_list(wanted)]
            if op in ("stringequals", "arnequals"):
                ok = have in values
            elif op in ("stringlike", "arnlike"):
                ok = any(fnmatch.fnmatchcase(have, v) for v in values)
            elif op == "bool":
                ok = have.lower() in [v.lower() for v in values]
            else:
                return False
            if not ok:
                return False
    return True


def _policy_allows_cloudtrail(policy, context: dict | None = None) -> bool:
    context = context or {}
    if isinstance(policy, bytes):
        policy = policy.decode()
    try:
        doc = json.loads(policy) if isinstance(policy, str) else policy
    except ValueError:
        return False
    allowed = False
    for st in _as_list((doc or {}).get("Statement")):
        principal = st.get("Principal")
        if principal == "*":
            matches_principal = True
        elif isinstance(principal, dict):
            matches_principal = ("cloudtrail.amazonaws.com" in _as_list(principal.get("Service"))
                                 or "*" in _as_list(principal.get("AWS")))
        else:
            matches_principal = False
        actions = [a.lower() for a in _as_list(st.get("Action"))]
        matches_action = any(a in ("*", "s3:*", "s3:put*", "s3:putobject") for a in actions)
        if matches_principal and matches_action and _condition_holds(st.get("Condition"), context):
            if st.get("Effect") == "Deny":
                return False
            if st.get("Effect") == "Allow":
                allowed = True
    return allowed


def _delivery_error(trail) -> str | None:
    from moto.s3.models import s3_backends

    backend = s3_backends[trail.account_id][trail.partition]
    bucket = backend.buckets.get(trail.bucket_name)
    if bucket is None:
        return "NoSuchBucket"
    policy = getattr(bucket, "policy", None)
    context = {"aws:securetransport": "true", "aws:sourcearn": trail.arn,
               "aws:sourceaccount": trail.account_id,
               "s3:x-amz-acl": "bucket-owner-full-control"}
    if policy and not _policy_allows_cloudtrail(policy, context):
        return "AccessDenied"
    return None


def _patch_cloudtrail() -> None:
    from moto.cloudtrail import models as ctm
    from moto.cloudtrail.responses import CloudTrailResponse

    orig_init = ctm.Trail.__init__

    def init(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        self.event_selectors = [_default_selector()]
        self.advanced_event_selectors = []

    ctm.Trail.__init__ = init

    def put_event_selectors(self, event_selectors, advanced_event_selectors):
        if event_selectors:
            self.event_selectors = [_default_selector(s) for s in event_selectors]
            self.advanced_event_selectors = []
        elif advanced_event_selectors:
            self.event_selectors = []
            self.advanced_event_selectors = advanced_event_selectors

    ctm.Trail.put_event_selectors = put_event_selectors

    orig_put_resp = CloudTrailResponse.put_event_selectors

    def put_event_selectors_resp(self):
        body = json.loads(orig_put_resp(self))
        trail = self.cloudtrail_backend.get_trail(self._get_param("TrailName"))
        if trail.event_selectors:
            body["EventSelectors"] = trail.event_selectors
            body.pop("AdvancedEventSelectors", None)
        return json.dumps(body)

    CloudTrailResponse.put_event_selectors = put_event_selectors_resp

    def get_trail_status(self):
        name = self._get_param("Name")
        backend = self.cloudtrail_backend
        status = backend.get_trail_status(name)  # moto's lookup and errors
        trail = next(t for t in backend.describe_trails(include_shadow_trails=True)
                     if t.trail_name == name or t.arn == name)
        error = _delivery_error(trail) if status.is_logging else None
        if status.is_logging:
            before = status.latest_delivery_time
            desc = status.description()
            if error is not None:
                status.latest_delivery_time = before
                desc["LatestDeliveryTime"] = before
                status.onwatch_delivery_error = error
            else:
                status.onwatch_delivery_error = None
        else:
            desc = status.description()
        error = getattr(status, "onwatch_delivery_error", None)
        if error:
            desc["LatestDeliveryError"] = error
        if desc.get("LatestDeliveryTime") is None:
            desc.pop("LatestDeliveryTime", None)
        return json.dumps(desc)

    CloudTrailResponse.get_trail_status = get_trail_status


# ------------------------------------------------- CloudWatch Logs classes
# CreateLogGroup logGroupClass STANDARD | INFREQUENT_ACCESS | DELIVERY |
# ESSENTIALS, "If you omit this parameter, the default of STANDARD is used";
# LogGroup.logGroupClass in DescribeLogGroups (moto ignored the parameter
# and returned no class); DescribeLogGroups logGroupClass filter ("If you
# specify either INFREQUENT_ACCESS or ESSENTIALS, the results include log
# groups in both"):
#   https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
#   https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html
#   https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html
# DELIVERY: "Log events in log groups in the Delivery class are kept in
# CloudWatch Logs for only one day" (same pages; log classes:
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch_Logs_Log_Classes.html).
# The harness reports retentionInDays 1 for them and, the retention being
# fixed, rejects PutRetentionPolicy / DeleteRetentionPolicy on them with
# InvalidParameterException (the reference names no dedicated error; this is
# the error PutRetentionPolicy lists for "A parameter is specified
# incorrectly").
LOG_GROUP_CLASSES = ("STANDARD", "INFREQUENT_ACCESS", "DELIVERY", "ESSENTIALS")
DELIVERY_RETENTION_DAYS = 1


def _patch_log_group_class() -> None:
    from moto.logs import models as lm
    from moto.logs.exceptions import InvalidParameterException
    from moto.logs.responses import LogsResponse

    orig_init = lm.LogGroup.__init__

    def init(self, account_id, region, name, **kwargs):
        orig_init(self, account_id, region, name, **kwargs)
        self.log_group_class = kwargs.get("logGroupClass") or "STANDARD"
        if self.log_group_class == "DELIVERY":
            self.retention_in_days = DELIVERY_RETENTION_DAYS

    lm.LogGroup.__init__ = init

    orig_describe_dict = lm.LogGroup.to_describe_dict

    def to_describe_dict(self):
        out = orig_describe_dict(self)
        out["logGroupClass"] = getattr(self, "log_group_class", "STANDARD")
        return out

    lm.LogGroup.to_describe_dict = to_describe_dict

    def create_log_group(self):
        name = self._get_param("logGroupName")
        cls = self._get_param("logGroupClass") or "STANDARD"
        if cls not in LOG_GROUP_CLASSES:
            raise InvalidParameterException(
                constraint="Member must satisfy enum value set: [" + ", ".join(LOG_GROUP_CLASSES) + "]",
                parameter="logGroupClass", value=cls)
        self.logs_backend.create_log_group(name, self._get_param("tags"),
                                           kmsKeyId=self._get_param("kmsKeyId"),
                                           logGroupClass=cls)
        return ""

    LogsResponse.create_log_group = create_log_group

    def _fixed(backend, name):
        group = backend.groups.get(name)
        if group is not None and getattr(group, "log_group_class", None) == "DELIVERY":
            raise InvalidParameterException(
                msg=f"Log group {name} is in the DELIVERY log class, whose retention is "
                    f"fixed at {DELIVERY_RETENTION_DAYS} day and cannot be changed.")

    orig_put = lm.LogsBackend.put_retention_policy
    orig_delete = lm.LogsBackend.delete_retention_policy

    def put_retention_policy(self, log_group_name, retention_in_days):
        _fixed(self, log_group_name)
        return orig_put(self, log_group_name, retention_in_days)

    def delete_retention_policy(self, log_group_name):
        _fixed(self, log_group_name)
        return orig_delete(self, log_group_name)

    lm.LogsBackend.put_retention_policy = put_retention_policy
    lm.LogsBackend.delete_retention_policy = delete_retention_policy

    orig_describe = LogsResponse.describe_log_groups

    def describe_log_groups(self):
        cls = self._get_param("logGroupClass")
        if not cls:
            return orig_describe(self)
        wanted = {"INFREQUENT_ACCESS", "ESSENTIALS"} if cls in (
            "INFREQUENT_ACCESS", "ESSENTIALS") else {cls}
        limit = int(self._get_param("limit", 50))
        if limit > 50:
            raise InvalidParameterException(
                constraint="Member must have value less than or equal to 50",
                parameter="limit", value=limit)
        prefix = self._get_param("logGroupNamePrefix") or ""
        groups = sorted((g for n, g in self.logs_backend.groups.items()
                         if n.startswith(prefix)
                         and getattr(g, "log_group_class", "STANDARD") in wanted),
                        key=lambda g: g.name)
        token = self._get_param("nextToken")
        offset = int(token) if token and str(token).isdigit() else 0
        out = {"logGroups": [g.to_describe_dict() for g in groups[offset: offset + limit]]}
        if offset + limit < len(groups):
            out["nextToken"] = str(offset + limit)
        return json.dumps(out)

    LogsResponse.describe_log_groups = describe_log_groups


# --------------------------------------------------------- AWS Config
# ConfigurationRecorder.recordingMode {recordingFrequency CONTINUOUS | DAILY,
# recordingModeOverrides [{description, resourceTypes, recordingFrequency}]}
# (moto 5.2.5 dropped it). PutConfigurationRecorder replaces the whole
# recorder, so a recorder put without recordingMode records continuously,
# which DescribeConfigurationRecorders reports as recordingFrequency
# CONTINUOUS with no overrides:
#   https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationRecorder.html
#   https://docs.aws.amazon.com/config/latest/APIReference/API_RecordingMode.html
#   https://docs.aws.amazon.com/config/latest/APIReference/API_PutConfigurationRecorder.html
# recordingGroup (allSupported false + resourceTypes, exclusionByResourceTypes
# + recordingStrategy EXCLUSION_BY_RESOURCE_TYPES) already round-trips in moto.


def _patch_config_recording_mode() -> None:
    from moto.config import models as cm

    orig_put = cm.ConfigBackend.put_configuration_recorder

    def put_configuration_recorder(self, config_recorder):
        mode = config_recorder.get("recordingMode")
        if mode is not None and mode.get("recordingFrequency") not in ("CONTINUOUS", "DAILY"):
            raise cm.ValidationException(
                "1 validation error detected: Value at "
                "'configurationRecorder.recordingMode.recordingFrequency' failed to satisfy "
                "constraint: Member must satisfy enum value set: [CONTINUOUS, DAILY]")
        orig_put(self, config_recorder)
        recorder = self.recorders[config_recorder["name"]]
        mode = mode or {}
        recorder.recording_mode = {
            "recordingFrequency": mode.get("recordingFrequency") or "CONTINUOUS",
            "recordingModeOverrides": [dict(o) for o in mode.get("recordingModeOverrides") or []],
        }

    cm.ConfigBackend.put_configuration_recorder = put_configuration_recorder

