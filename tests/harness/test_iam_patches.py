"""IAM SimulatePrincipalPolicy, as AWS documents it (gap closed by
scripts/local_aws/iam_patches.py)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"


def policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def allow(actions, resource="*", **extra):
    return {"Effect": "Allow", "Action": actions, "Resource": resource, **extra}


def deny(actions, resource="*", **extra):
    return {"Effect": "Deny", "Action": actions, "Resource": resource, **extra}


def decisions(response) -> dict:
    return {r["EvalActionName"]: r["EvalDecision"] for r in response["EvaluationResults"]}


def test_user_inline_and_attached_policies(harness):
    iam = harness.client("iam")
    iam.create_user(UserName="ops")
    iam.put_user_policy(UserName="ops", PolicyName="logs-rw", PolicyDocument=policy(
        allow(["logs:PutRetentionPolicy", "logs:Describe*"])))
    arn = iam.create_policy(PolicyName="no-delete", PolicyDocument=policy(
        deny("logs:DeleteLogGroup")))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="ops", PolicyArn=arn)
    # the same action is also allowed by a wildcard: the Deny still wins
    iam.put_user_policy(UserName="ops", PolicyName="logs-all", PolicyDocument=policy(
        allow("logs:*")))

    out = iam.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/ops",
        ActionNames=["logs:PutRetentionPolicy", "logs:DescribeLogGroups",
                     "logs:DeleteLogGroup", "sns:Publish"])
    results = out["EvaluationResults"]
    assert [r["EvalDecision"] for r in results] == [
        "allowed", "allowed", "explicitDeny", "implicitDeny"]
    assert [r["EvalActionName"] for r in results] == [
        "logs:PutRetentionPolicy", "logs:DescribeLogGroups", "logs:DeleteLogGroup",
        "sns:Publish"]
    assert all(r["EvalResourceName"] == "*" for r in results)
    assert out["IsTruncated"] is False and "Marker" not in out
    # the deny statement is the only one reported for explicitDeny
    assert results[2]["MatchedStatements"] == [{
        "SourcePolicyId": "no-delete", "SourcePolicyType": "user-managed",
        "StartPosition": {"Line": 4, "Column": 5},
        "EndPosition": {"Line": 8, "Column": 6}}]
    assert {s["SourcePolicyId"] for s in results[0]["MatchedStatements"]} == {
        "logs-rw", "logs-all"}
    assert all(s["SourcePolicyType"] == "user" for s in results[0]["MatchedStatements"])
    assert results[3]["MatchedStatements"] == []


def test_action_matching_is_case_insensitive_with_wildcards_and_not_action(harness):
    iam = harness.client("iam")
    iam.create_user(UserName="ops")
    iam.put_user_policy(UserName="ops", PolicyName="p", PolicyDocument=policy(
        allow("LOGS:describe?ogGroups"),
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        deny("ec2:Terminate*")))
    out = iam.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/ops",
        ActionNames=["logs:DescribeLogGroups", "sns:Publish", "iam:CreateUser",
                     "EC2:TerminateInstances"])
    assert decisions(out) == {
        "logs:DescribeLogGroups": "allowed", "sns:Publish": "allowed",
        "iam:CreateUser": "implicitDeny", "EC2:TerminateInstances": "explicitDeny"}


def test_user_group_policies(harness):
    iam = harness.client("iam")
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="oncall")
    iam.add_user_to_group(GroupName="oncall", UserName="alice")
    iam.put_group_policy(GroupName="oncall", PolicyName="sns", PolicyDocument=policy(
        allow("sns:*")))
    iam.create_group(GroupName="readers")
    iam.add_user_to_group(GroupName="readers", UserName="alice")
    readonly = iam.create_policy(PolicyName="read-alarms", PolicyDocument=policy(
        allow(["cloudwatch:Describe*", "cloudwatch:Get*"])))["Policy"]["Arn"]
    iam.attach_group_policy(GroupName="readers", PolicyArn=readonly)
    out = iam.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/alice",
        ActionNames=["sns:Publish", "cloudwatch:DescribeAlarms", "logs:DeleteLogGroup"])
    assert decisions(out) == {"sns:Publish": "allowed",
                              "cloudwatch:DescribeAlarms": "allowed",
                              "logs:DeleteLogGroup": "implicitDeny"}
    sns, alarms, _ = out["EvaluationResults"]
    assert [(s["SourcePolicyId"], s["SourcePolicyType"]) for s in sns["MatchedStatements"]] == [
        ("sns", "group")]
    assert {(s["SourcePolicyId"], s["SourcePolicyType"])
            for s in alarms["MatchedStatements"]} == {("read-alarms", "user-managed")}
    # a group's own policies can be simulated too
    out = iam.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:group/oncall", ActionNames=["sns:Publish"])
    assert decisions(out) == {"sns:Publish": "allowed"}


def test_role_with_path(harness):
    iam = harness.client("iam")
    path = "/aws-reserved/sso.amazonaws.com/"
    role = iam.create_role(
        RoleName="AWSReservedSSO_Ops_0123456789abcdef", Path=path,
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:saml-provider/x"},
            "Action": "sts:AssumeRoleWithSAML"}]}))["Role"]
    assert role["Arn"] == (f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/"
                           "AWSReservedSSO_Ops_0123456789abcdef")
    arn = iam.create_policy(PolicyName="fixer", PolicyDocument=policy(
        allow(["logs:PutRetentionPolicy", "cloudwatch:PutMetricAlarm"])))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="AWSReservedSSO_Ops_0123456789abcdef", PolicyArn=arn)
    iam.put_role_policy(RoleName="AWSReservedSSO_Ops_0123456789abcdef", PolicyName="inline",
                        PolicyDocument=policy(allow("sns:Subscribe")))
    out = iam.simulate_principal_policy(
        PolicySourceArn=role["Arn"],
        ActionNames=["logs:PutRetentionPolicy", "cloudwatch:PutMetricAlarm",
                     "sns:Subscribe", "guardduty:CreateDetector"])
    assert decisions(out) == {"logs:PutRetentionPolicy": "allowed",
                              "cloudwatch:PutMetricAlarm": "allowed",
                              "sns:Subscribe": "allowed",
                              "guardduty:CreateDetector": "implicitDeny"}
    assert out["EvaluationResults"][2]["MatchedStatements"][0]["SourcePolicyType"] == "role"
    assert out["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyType"] == "user-managed"


def test_resources_and_conditions(harness):
    iam = harness.client("iam")
    iam.create_user(UserName="ops")
    group = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/*"
    iam.put_user_policy(UserName="ops", PolicyName="p", PolicyDocument=policy(
        allow("logs:PutRetentionPolicy", group),
        allow("sns:Publish", "*",
              Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}),
        deny("logs:DeleteLogGroup", f"arn:aws:logs:*:{ACCOUNT}:log-group:/prod/*")))
    source = f"arn:aws:iam::{ACCOUNT}:user/ops"
    # no ResourceArns: the simulated resource is "*", which a scoped statement does not match
    out = iam.simulate_principal_policy(
        PolicySourceArn=source, ActionNames=["logs:PutRetentionPolicy", "sns:Publish"])
    assert decisions(out) == {"logs:PutRetentionPolicy": "implicitDeny",
                              "sns:Publish": "implicitDeny"}
    assert "ResourceSpecificResults" not in out["EvaluationResults"][0]
    # a statement with a Condition never matches; its keys are reported missing
    assert out["EvaluationResults"][1]["MissingContextValues"] == ["aws:RequestedRegion"]

    app = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/api:*"
    prod = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/prod/db"
    out = iam.simulate_principal_policy(
        PolicySourceArn=source, ActionNames=["logs:PutRetentionPolicy", "logs:DeleteLogGroup"],
        ResourceArns=[app, prod])
    put, delete = out["EvaluationResults"]
    assert put["EvalDecision"] == "implicitDeny"  # the most restrictive over both
    assert [(r["EvalResourceName"], r["EvalResourceDecision"])
            for r in put["ResourceSpecificResults"]] == [(app, "allowed"), (prod, "implicitDeny")]
    assert put["MatchedStatements"] == []
    assert delete["EvalDecision"] == "explicitDeny"
    assert [r["EvalResourceDecision"] for r in delete["ResourceSpecificResults"]] == [
        "implicitDeny", "explicitDeny"]
    assert len(delete["MatchedStatements"]) == 1
    out = iam.simulate_principal_policy(
        PolicySourceArn=source, ActionNames=["logs:PutRetentionPolicy"], ResourceArns=[app])
    assert decisions(out) == {"logs:PutRetentionPolicy": "allowed"}


def test_policy_input_list_and_permissions_boundary(harness):
    iam = harness.client("iam")
    boundary = iam.create_policy(PolicyName="boundary", PolicyDocument=policy(
        allow(["logs:*", "sns:*"]), deny("sns:DeleteTopic")))["Policy"]["Arn"]
    iam.create_role(RoleName="fixer", AssumeRolePolicyDocument="{}",
                    PermissionsBoundary=boundary)
    iam.put_role_policy(RoleName="fixer", PolicyName="all", PolicyDocument=policy(allow("*")))
    source = f"arn:aws:iam::{ACCOUNT}:role/fixer"
    out = iam.simulate_principal_policy(
        PolicySourceArn=source,
        ActionNames=["logs:PutRetentionPolicy", "ec2:RunInstances", "sns:DeleteTopic"])
    assert decisions(out) == {"logs:PutRetentionPolicy": "allowed",
                              "ec2:RunInstances": "implicitDeny",
                              "sns:DeleteTopic": "explicitDeny"}
    assert [r["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"]
            for r in out["EvaluationResults"]] == [True, False, False]

    iam.create_user(UserName="bare")
    out = iam.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/bare", ActionNames=["ecr:ListImages"],
        PolicyInputList=[policy(allow("ecr:List*"))])
    result = out["EvaluationResults"][0]
    assert result["EvalDecision"] == "allowed"
    assert result["MatchedStatements"][0]["SourcePolicyId"] == "PolicyInputList.1"
    assert "PermissionsBoundaryDecisionDetail" not in result


def test_errors(harness):
    iam = harness.client("iam")
    with pytest.raises(ClientError) as err:
        iam.simulate_principal_policy(PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/nobody",
                                      ActionNames=["sns:Publish"])
    assert err.value.response["Error"]["Code"] == "NoSuchEntity"
    assert err.value.response["Error"]["Message"] == "The user with name nobody cannot be found."
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as err:
        iam.simulate_principal_policy(PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:role/nobody",
                                      ActionNames=["sns:Publish"])
    assert err.value.response["Error"]["Code"] == "NoSuchEntity"

    # an STS session ARN is not an IAM entity (AWS's message)
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/Ops/alice"
    with pytest.raises(ClientError) as err:
        iam.simulate_principal_policy(PolicySourceArn=session, ActionNames=["sns:Publish"])
    assert err.value.response["Error"]["Code"] == "InvalidInput"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert err.value.response["Error"]["Message"] == (
        f"Invalid Entity Arn: {session} does not clearly define entity type and name.")

    # boto3 checks required parameters itself; the Rust SDK does not
    raw = boto3.client("iam", endpoint_url=harness.url, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing",
                       config=Config(parameter_validation=False))
    iam.create_user(UserName="ops")
    with pytest.raises(ClientError) as err:
        raw.simulate_principal_policy(PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/ops")
    assert err.value.response["Error"]["Code"] == "ValidationError"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "actionNames" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        raw.simulate_principal_policy(PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/ops",
                                      ActionNames=["sns:Publish"], MaxItems=0)
    assert err.value.response["Error"]["Code"] == "ValidationError"


def test_paging(harness):
    iam = harness.client("iam")
    iam.create_user(UserName="ops")
    iam.put_user_policy(UserName="ops", PolicyName="p", PolicyDocument=policy(allow("logs:*")))
    source = f"arn:aws:iam::{ACCOUNT}:user/ops"
    actions = ["logs:PutRetentionPolicy", "sns:Publish", "logs:DescribeLogGroups"]
    first = iam.simulate_principal_policy(PolicySourceArn=source, ActionNames=actions,
                                          MaxItems=2)
    assert first["IsTruncated"] is True and first["Marker"]
    assert [r["EvalActionName"] for r in first["EvaluationResults"]] == actions[:2]
    second = iam.simulate_principal_policy(PolicySourceArn=source, ActionNames=actions,
                                           MaxItems=2, Marker=first["Marker"])
    assert second["IsTruncated"] is False and "Marker" not in second
    assert decisions(second) == {"logs:DescribeLogGroups": "allowed"}
    # the SDK paginator reads every page
    pages = iam.get_paginator("simulate_principal_policy").paginate(
        PolicySourceArn=source, ActionNames=actions, PaginationConfig={"PageSize": 1})
    assert [r["EvalActionName"] for p in pages for r in p["EvaluationResults"]] == actions
    # default page size: 100
    many = [f"logs:Action{n}" for n in range(101)]
    out = iam.simulate_principal_policy(PolicySourceArn=source, ActionNames=many)
    assert len(out["EvaluationResults"]) == 100 and out["IsTruncated"] is True
