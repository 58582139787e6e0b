"""SNS topic attributes, KMS keys, RDS parameter groups, GuardDuty filters and
ECS cluster settings as AWS documents them; the gaps are closed by
scripts/local_aws/route_patches.py (AWS reference links there), the rest is
moto's own behaviour, asserted so that a moto upgrade cannot regress it."""

from __future__ import annotations

import json

import botocore.exceptions
import pytest

ACCOUNT = "123456789012"
REGION = "us-east-1"
DB_PASSWORD = "not-a-real-password-1"


def _err(excinfo):
    return excinfo.value.response["Error"]["Code"]


def _status(excinfo):
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


# ------------------------------------------------------------------- SNS
# https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html
# (default policy statement and KMS alias / key ARN also in
# test_verdict_gaps.py::test_sns_default_topic_policy_and_kms_key)

def test_sns_default_policy_version_and_set_policy_round_trip(harness):
    sns = harness.client("sns")
    arn = sns.create_topic(Name="alerts")["TopicArn"]
    policy = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
    assert policy["Version"] == "2008-10-17" and policy["Id"] == "__default_policy_ID"
    (st,) = policy["Statement"]
    assert st["Action"] == [
        "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
        "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
        "SNS:ListSubscriptionsByTopic", "SNS:Publish"]
    assert st["Resource"] == arn
    assert st["Condition"] == {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}
    mine = {"Version": "2012-10-17", "Id": "alarms-only", "Statement": [{
        "Sid": "cw", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": "sns:Publish", "Resource": arn,
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:*"}},
    }]}
    sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(mine))
    got = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert json.loads(got["Policy"]) == mine
    assert "KmsMasterKeyId" not in got


@pytest.mark.parametrize("key", [
    "alias/aws/sns",
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/team-key",
])
def test_sns_kms_master_key_id_is_returned_as_given(harness, key):
    sns = harness.client("sns")
    created = sns.create_topic(Name="at-create", Attributes={"KmsMasterKeyId": key})["TopicArn"]
    assert sns.get_topic_attributes(TopicArn=created)["Attributes"]["KmsMasterKeyId"] == key
    later = sns.create_topic(Name="set-later")["TopicArn"]
    assert "KmsMasterKeyId" not in sns.get_topic_attributes(TopicArn=later)["Attributes"]
    sns.set_topic_attributes(TopicArn=later, AttributeName="KmsMasterKeyId", AttributeValue=key)
    assert sns.get_topic_attributes(TopicArn=later)["Attributes"]["KmsMasterKeyId"] == key


def test_sns_get_topic_attributes_unknown_topic_is_not_found(harness):
    sns = harness.client("sns")
    with pytest.raises(botocore.exceptions.ClientError) as err:
        sns.get_topic_attributes(TopicArn=f"arn:aws:sns:{REGION}:{ACCOUNT}:missing")
    assert _err(err) == "NotFound" and _status(err) == 404


# ------------------------------------------------------------------- KMS
# https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
# https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html

def test_kms_describe_key_by_every_identifier_and_key_policy(harness):
    kms = harness.client("kms")
    given = {"Version": "2012-10-17", "Id": "topic-key", "Statement": [{
        "Sid": "root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "kms:*", "Resource": "*"}]}
    meta = kms.create_key(Policy=json.dumps(given), Description="alerts")["KeyMetadata"]
    kms.create_alias(AliasName="alias/alerts", TargetKeyId=meta["KeyId"])
    for key_id in (meta["KeyId"], meta["Arn"], "alias/alerts",
                   f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/alerts"):
        got = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        assert (got["KeyId"], got["Arn"], got["KeyManager"]) == (
            meta["KeyId"], meta["Arn"], "CUSTOMER"), key_id
    for key_id in (meta["KeyId"], meta["Arn"]):
        out = kms.get_key_policy(KeyId=key_id, PolicyName="default")
        assert json.loads(out["Policy"]) == given
    # PolicyName is optional: "If no policy name is specified, the default value is default"
    out = kms.get_key_policy(KeyId=meta["KeyId"])
    assert json.loads(out["Policy"]) == given and out["PolicyName"] == "default"
    with pytest.raises(botocore.exceptions.ClientError) as err:
        kms.get_key_policy(KeyId=meta["KeyId"], PolicyName="AWS_RAM")  # not shared via RAM
    assert _err(err) == "NotFoundException"


def test_kms_default_key_policy(harness):
    kms = harness.client("kms")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    policy = json.loads(kms.get_key_policy(KeyId=key_id)["Policy"])
    assert {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*", "Resource": "*"} in policy["Statement"]


def test_kms_aws_managed_sns_key_created_on_first_use(harness):
    kms = harness.client("kms")
    first = kms.describe_key(KeyId="alias/aws/sns")["KeyMetadata"]
    assert first["KeyManager"] == "AWS"
    assert first["Description"] == (
        "Default key that protects my SNS topics when no other key is defined")
    assert first["Arn"] == f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{first['KeyId']}"
    # the same key afterwards, by alias ARN, key id and key ARN
    for key_id in (f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/aws/sns", first["KeyId"], first["Arn"]):
        assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyId"] == first["KeyId"]
    assert kms.get_key_rotation_status(KeyId=first["KeyId"])["KeyRotationEnabled"] is True
    aliases = kms.list_aliases(KeyId=first["KeyId"])["Aliases"]
    assert [a["AliasName"] for a in aliases] == ["alias/aws/sns"]
    policy = json.loads(kms.get_key_policy(KeyId=first["KeyId"])["Policy"])
    wildcard = [s for s in policy["Statement"] if s["Principal"] == {"AWS": "*"}]
    assert wildcard and all(s["Condition"]["StringEquals"] == {
        "kms:CallerAccount": ACCOUNT, "kms:ViaService": f"sns.{REGION}.amazonaws.com"}
        for s in wildcard)
    for st in policy["Statement"]:  # nothing outside the account, nothing unconditioned for "*"
        assert st["Effect"] == "Allow"
        assert st["Principal"] in ({"AWS": "*"}, {"AWS": f"arn:aws:iam::{ACCOUNT}:root"})
    # one key per region
    other = harness.client("kms", "eu-west-1").describe_key(KeyId="alias/aws/sns")["KeyMetadata"]
    assert other["KeyId"] != first["KeyId"] and ":eu-west-1:" in other["Arn"]


def test_kms_unknown_key_is_not_found(harness):
    kms = harness.client("kms")
    for key_id in ("0b7fd7dd-4c4e-4a4e-9f5c-3f8c2a1b0c9d",
                   f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b7fd7dd-4c4e-4a4e-9f5c-3f8c2a1b0c9d",
                   "alias/missing"):
        with pytest.raises(botocore.exceptions.ClientError) as err:
            kms.describe_key(KeyId=key_id)
        assert _err(err) == "NotFoundException", key_id
    with pytest.raises(botocore.exceptions.ClientError) as err:
        kms.get_key_policy(KeyId="0b7fd7dd-4c4e-4a4e-9f5c-3f8c2a1b0c9d")
    assert _err(err) == "NotFoundException"


# ------------------------------------------------------------------- RDS
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/parameter-groups-overview.html
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameters.html

def _instance(rds, ident, engine, version, **kwargs):
    return rds.create_db_instance(
        DBInstanceIdentifier=ident, Engine=engine, EngineVersion=version,
        DBInstanceClass="db.t4g.medium", AllocatedStorage=20, MasterUsername="dbadmin",
        MasterUserPassword=DB_PASSWORD, **kwargs)["DBInstance"]


def _groups(rds):
    return {d["DBInstanceIdentifier"]: d["DBParameterGroups"]
            for d in rds.describe_db_instances()["DBInstances"]}


def test_rds_instances_list_their_parameter_groups(harness):
    rds = harness.client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="pg16-tuned",
                                  DBParameterGroupFamily="postgres16", Description="tuned")
    _instance(rds, "pg-default", "postgres", "16.3")
    _instance(rds, "pg-major", "postgres", "16")
    _instance(rds, "pg-custom", "postgres", "16.3", DBParameterGroupName="pg16-tuned")
    _instance(rds, "my-default", "mysql", "8.0.35")
    _instance(rds, "maria-default", "mariadb", "10.11.6")
    rds.create_db_cluster(DBClusterIdentifier="aurora-my", Engine="aurora-mysql",
                          EngineVersion="8.0.mysql_aurora.3.05.2", MasterUsername="dbadmin",
                          MasterUserPassword=DB_PASSWORD)
    rds.create_db_instance(DBInstanceIdentifier="aurora-my-1", DBClusterIdentifier="aurora-my",
                           Engine="aurora-mysql", DBInstanceClass="db.r6g.large")
    rds.create_db_cluster(DBClusterIdentifier="aurora-pg", Engine="aurora-postgresql",
                          EngineVersion="16.1", MasterUsername="dbadmin",
                          MasterUserPassword=DB_PASSWORD)
    rds.create_db_instance(DBInstanceIdentifier="aurora-pg-1", DBClusterIdentifier="aurora-pg",
                           Engine="aurora-postgresql", DBInstanceClass="db.r6g.large")
    expected = {
        "pg-default": "default.postgres16", "pg-major": "default.postgres16",
        "pg-custom": "pg16-tuned", "my-default": "default.mysql8.0",
        "maria-default": "default.mariadb10.11", "aurora-my-1": "default.aurora-mysql8.0",
        "aurora-pg-1": "default.aurora-postgresql16",
    }
    assert _groups(rds) == {
        ident: [{"DBParameterGroupName": name, "ParameterApplyStatus": "in-sync"}]
        for ident, name in expected.items()}


def _params(rds, group, **kwargs):
    out = rds.describe_db_parameters(DBParameterGroupName=group, **kwargs)
    assert "Marker" not in out
    return {p["ParameterName"]: p for p in out["Parameters"]}


def test_rds_custom_group_user_value(harness):
    rds = harness.client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="pg16-tuned",
                                  DBParameterGroupFamily="postgres16", Description="tuned")
    before = _params(rds, "pg16-tuned")["max_connections"]
    assert before["Source"] == "engine-default"
    assert before["ParameterValue"] == "LEAST({DBInstanceClassMemory/9531392},5000)"
    rds.modify_db_parameter_group(DBParameterGroupName="pg16-tuned", Parameters=[{
        "ParameterName": "max_connections", "ParameterValue": "200",
        "ApplyMethod": "pending-reboot"}])
    got = _params(rds, "pg16-tuned")["max_connections"]
    assert (got["ParameterValue"], got["Source"]) == ("200", "user")
    assert _params(rds, "pg16-tuned", Source="user")["max_connections"]["ParameterValue"] == "200"
    assert _params(rds, "pg16-tuned", Source="engine-default") == {}


@pytest.mark.parametrize("group,formula", [
    ("default.postgres16", "LEAST({DBInstanceClassMemory/9531392},5000)"),
    ("default.postgres9.6", "LEAST({DBInstanceClassMemory/9531392},5000)"),
    ("default.aurora-postgresql16", "LEAST({DBInstanceClassMemory/9531392},5000)"),
    ("default.mysql8.0", "{DBInstanceClassMemory/12582880}"),
    ("default.mariadb10.11", "{DBInstanceClassMemory/12582880}"),
    ("default.aurora-mysql8.0",
     "GREATEST({log(DBInstanceClassMemory/805306368)*45},"
     "{log(DBInstanceClassMemory/8187281408)*1000})"),
])
def test_rds_default_group_engine_default_max_connections(harness, group, formula):
    rds = harness.client("rds")
    got = _params(rds, group)["max_connections"]
    assert (got["ParameterValue"], got["Source"]) == (formula, "engine-default")
    assert _params(rds, group, Source="engine-default", MaxRecords=100)["max_connections"] == got
    assert _params(rds, group, Source="user") == {}


def test_rds_default_group_of_a_created_instance(harness):
    rds = harness.client("rds")
    _instance(rds, "shop-db", "postgres", "16.3")
    (group,) = _groups(rds)["shop-db"]
    got = _params(rds, group["DBParameterGroupName"])["max_connections"]
    assert got["ParameterValue"] == "LEAST({DBInstanceClassMemory/9531392},5000)"


def test_rds_describe_db_parameters_pages(harness):
    rds = harness.client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="many", DBParameterGroupFamily="mysql8.0",
                                  Description="many")
    names = [f"custom_{i:02d}" for i in range(30)]
    for chunk in (names[:20], names[20:]):  # ModifyDBParameterGroup takes 20 at most
        rds.modify_db_parameter_group(DBParameterGroupName="many", Parameters=[
            {"ParameterName": n, "ParameterValue": "1", "ApplyMethod": "immediate"}
            for n in chunk])
    everything = sorted(names + ["max_connections"])
    assert list(_params(rds, "many")) == everything  # default MaxRecords 100: one page
    first = rds.describe_db_parameters(DBParameterGroupName="many", MaxRecords=20)
    assert len(first["Parameters"]) == 20 and first["Marker"]
    second = rds.describe_db_parameters(DBParameterGroupName="many", MaxRecords=20,
                                        Marker=first["Marker"])
    assert "Marker" not in second
    assert [p["ParameterName"] for p in first["Parameters"] + second["Parameters"]] == everything
    paged = [p["ParameterName"]
             for page in rds.get_paginator("describe_db_parameters").paginate(
                 DBParameterGroupName="many", PaginationConfig={"PageSize": 20})
             for p in page["Parameters"]]
    assert paged == everything
    with pytest.raises(botocore.exceptions.ClientError) as err:
        rds.describe_db_parameters(DBParameterGroupName="many", MaxRecords=10)
    assert _err(err) == "InvalidParameterValue"


def test_rds_unknown_parameter_group_is_not_found(harness):
    rds = harness.client("rds")
    for name in ("missing", "default.nosuchengine1"):
        with pytest.raises(botocore.exceptions.ClientError) as err:
            rds.describe_db_parameters(DBParameterGroupName=name)
        assert _err(err) == "DBParameterGroupNotFound", name


# ------------------------------------------------------------- GuardDuty
# https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetFilter.html
# https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Condition.html

@pytest.mark.parametrize("condition", [{"Gte": 7}, {"GreaterThanOrEqual": 7}])
def test_guardduty_archive_filter_round_trips(harness, condition):
    gd = harness.client("guardduty")
    det = gd.create_detector(Enable=True)["DetectorId"]
    criteria = {"Criterion": {"severity": condition}}
    gd.create_filter(DetectorId=det, Name="archive-high", Action="ARCHIVE", Rank=1,
                     FindingCriteria=criteria)
    got = gd.get_filter(DetectorId=det, FilterName="archive-high")
    assert got["Action"] == "ARCHIVE" and got["Name"] == "archive-high"
    assert got["FindingCriteria"] == criteria


# ------------------------------------------------------------------- ECS
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeClusters.html
# (UpdateClusterSettings also in test_gaps.py::test_ecs_update_cluster_settings)

def test_ecs_describe_clusters_settings_only_when_included(harness):
    ecs = harness.client("ecs")
    for value in ("enabled", "disabled", "enhanced"):
        ecs.create_cluster(clusterName=f"c-{value}",
                           settings=[{"name": "containerInsights", "value": value}])
    ecs.create_cluster(clusterName="c-plain")
    names = ["c-enabled", "c-disabled", "c-enhanced", "c-plain"]
    got = ecs.describe_clusters(clusters=names, include=["SETTINGS"])["clusters"]
    assert {c["clusterName"]: c["settings"] for c in got} == {
        "c-enabled": [{"name": "containerInsights", "value": "enabled"}],
        "c-disabled": [{"name": "containerInsights", "value": "disabled"}],
        "c-enhanced": [{"name": "containerInsights", "value": "enhanced"}],
        "c-plain": [{"name": "containerInsights", "value": "disabled"}],
    }
    ecs.update_cluster_settings(cluster="c-plain",
                                settings=[{"name": "containerInsights", "value": "enhanced"}])
    (plain,) = ecs.describe_clusters(clusters=["c-plain"], include=["SETTINGS"])["clusters"]
    assert plain["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    # "If this field is omitted, this information isn't included"
    for c in ecs.describe_clusters(clusters=names)["clusters"]:
        assert "settings" not in c, c["clusterName"]
    (tagged,) = ecs.describe_clusters(clusters=["c-plain"], include=["TAGS"])["clusters"]
    assert "settings" not in tagged
