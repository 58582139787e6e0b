"""moto 5.2.5 gaps behind onwatch's IAM reads: SimulatePrincipalPolicy (the
pre-flight check of a fix plan's actions). Applied by patches.apply(); tests
in tests/harness/test_iam_patches.py. Reads moto's IAM backend, keeps no
state of its own."""

from __future__ import annotations

import json
import re
import urllib.parse
from json.decoder import scanstring

from moto.core.responses import ActionResult


def apply() -> None:
    _patch_simulate_principal_policy()


# -------------------------------------------------- SimulatePrincipalPolicy
# "Simulate how a set of IAM policies attached to an IAM entity works with a
# list of API operations and Amazon Web Services resources to determine the
# policies' effective permissions. The entity can be an IAM user, group, or
# role. If you specify a user, then the simulation also includes all of the
# policies that are attached to groups that the user belongs to":
#   https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
#   https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html
#   https://docs.aws.amazon.com/IAM/latest/APIReference/API_ResourceSpecificResult.html
#   https://docs.aws.amazon.com/IAM/latest/APIReference/API_Statement.html
# moto 5.2.5 has no such action ("The simulate_principal_policy action has
# not been implemented").
#
# Request: PolicySourceArn (a user, group or role ARN, any path; the entity is
# looked up by name as IAM names are unique in an account), ActionNames
# (required), ResourceArns (default "*"), PolicyInputList (extra identity
# policies), PermissionsBoundaryPolicyInputList (replaces the entity's
# boundary), MaxItems (1..1000, default 100 "If you do not include this
# parameter, the number of items defaults to 100") and Marker. Accepted and
# ignored: ContextEntries, ResourcePolicy, ResourceOwner, CallerArn,
# ResourceHandlingOption, PolicyExclusionList.
#
# Evaluation (identity-based policies only: no SCPs, no resource policies,
# no session policies): a user's inline and attached policies and those of
# its groups, a group's, a role's; plus PolicyInputList. Per the evaluation
# logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
# an explicit Deny wins, else an Allow gives allowed, else implicitDeny; with
# a permissions boundary (moto keeps them on roles) the boundary must allow
# too. Action / NotAction match case-insensitively with * and ?; Resource /
# NotResource match the simulated resource case-sensitively with * and ?
# (a * may span colons: "If the * wildcard is the last character of a
# resource ARN segment, it can expand to match beyond the colon boundaries",
# reference_policies_elements_resource.html). With no ResourceArns the
# simulated resource is the literal "*", so a statement scoped to specific
# ARNs does not match it (as AWS's simulator: resource-scoped Allows show as
# implicitDeny unless the ARN is simulated). A statement with a Condition
# never matches (the harness takes no ContextEntries; AWS evaluates a
# condition on a missing key as false, except ...IfExists / Null, which are
# not simulated); its condition keys are reported in MissingContextValues.
#
# Response: "The simulator now returns a single EvaluationResult per action,
# regardless of how many resource ARNs are provided ... The top-level
# EvalDecision reflects the most restrictive decision across all resources"
# (explicitDeny > implicitDeny > allowed), MatchedStatements the union of the
# statements behind that decision, ResourceSpecificResults one per given
# ResourceArn. EvalResourceName is "*": AWS now puts the action's ARN
# template there, which the harness does not know. MatchedStatements:
# SourcePolicyId = the policy's name (PolicyInputList.N /
# PermissionsBoundaryPolicyInputList.1 for request policies), SourcePolicyType
# user | group | role | user-managed | aws-managed | none, Start/EndPosition
# the 1-based line and column of the statement's { and of the character after
# its }. Paging is over the actions; Marker is the next action's index.
# Errors: an ARN that is not a user/group/role ARN (e.g. an STS assumed-role
# ARN) is InvalidInput "Invalid Entity Arn: ... does not clearly define entity
# type and name." (AWS's own message); an unknown entity NoSuchEntity (404)
# "The user with name X cannot be found."; a missing PolicySourceArn or
# ActionNames ValidationError "... Member must not be null"; MaxItems out of
# range ValidationError; a bad Marker or a PolicyInputList entry that is not a
# JSON policy InvalidInput.
SIMULATE_PAGE = 100

_ENTITY_ARN = re.compile(
    r"arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):(user|group|role)((?:/[^/]+)*)/([^/]+)")


def _iam_errors():
    from moto.iam.exceptions import IAMException

    class InvalidInput(IAMException):
        code = "InvalidInput"

    class ValidationError(IAMException):
        code = "ValidationError"

    class NoSuchEntity(IAMException):
        code = "NoSuchEntity"

    return InvalidInput, ValidationError, NoSuchEntity


def _glob(pattern: str, flags: int = 0) -> re.Pattern:
    parts = []
    for ch in pattern:
        parts.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return re.compile("".join(parts), flags | re.DOTALL)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _matches(patterns, value: str, ignore_case: bool) -> bool:
    flags = re.IGNORECASE if ignore_case else 0
    return any(isinstance(p, str) and _glob(p, flags).fullmatch(value)
               for p in _as_list(patterns))


_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


def _statement_spans(text: str) -> list[tuple[int, int]]:
    """Offsets (start of "{", one past "}") of each Statement object, in order."""
    spans: dict[tuple, tuple[int, int]] = {}

    def skip(i):
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        return i

    def value(i, path):
        i = skip(i)
        c = text[i]
        if c in "{[":
            start, close, n = i, "}" if c == "{" else "]", 0
            i = skip(i + 1)
            if text[i] == close:
                i += 1
            else:
                while True:
                    i = skip(i)
                    if c == "{":
                        key, i = scanstring(text, i + 1)
                        i = skip(i)
                        if text[i] != ":":
                            raise ValueError("expected :")
                        i = value(i + 1, path + (key,))
                    else:
                        i = value(i, path + (n,))
                        n += 1
                    i = skip(i)
                    if text[i] == ",":
                        i += 1
                        continue
                    if text[i] != close:
                        raise ValueError("expected " + close)
                    i += 1
                    break
            spans[path] = (start, i)
            return i
        if c == '"':
            return scanstring(text, i + 1)[1]
        m = _SCALAR.match(text, i)
        if not m:
            raise ValueError("bad JSON")
        return m.end()

    try:
        value(0, ())
    except (ValueError, IndexError):
        return []
    if ("Statement",) not in spans:
        return []
    if text[spans[("Statement",)][0]] == "{":
        return [spans[("Statement",)]]
    out, n = [], 0
    while ("Statement", n) in spans:
        out.append(spans[("Statement", n)])
        n += 1
    return out


def _position(text: str, offset: int) -> dict:
    line_start = text.rfind("\n", 0, offset) + 1
    return {"Line": text.count("\n", 0, offset) + 1, "Column": offset - line_start + 1}


class _Policy:
    """One policy document: its statements, each with its Statement reference."""

    def __init__(self, source_id: str, source_type: str, text: str):
        text = text.strip()
        if not text.startswith("{"):
            text = urllib.parse.unquote(text)
        doc = json.loads(text)
        if not isinstance(doc, dict) or "Statement" not in doc:
            raise ValueError("no Statement")
        statements = _as_list(doc["Statement"])
        spans = _statement_spans(text)
        self.statements = []
        for n, statement in enumerate(statements):
            ref = {"SourcePolicyId": source_id, "SourcePolicyType": source_type}
            if len(spans) == len(statements):
                ref["StartPosition"] = _position(text, spans[n][0])
                ref["EndPosition"] = _position(text, spans[n][1])
            self.statements.append((statement, ref))


def _managed_text(policy) -> str:
    for version in policy.versions:
        if version.is_default:
            return version.document
    return policy.versions[-1].document


def _managed(policy) -> _Policy:
    kind = "aws-managed" if ":iam::aws:policy/" in policy.arn else "user-managed"
    return _Policy(policy.name, kind, _managed_text(policy))


def _evaluate(policies: list[_Policy], action: str, resource: str):
    """(denies, allows, missing condition keys) among the statements that match."""
    denies, allows, missing = [], [], set()
    for policy in policies:
        for statement, ref in policy.statements:
            if not isinstance(statement, dict):
                continue
            if "NotAction" in statement:
                hit = not _matches(statement["NotAction"], action, True)
            else:
                hit = _matches(statement.get("Action"), action, True)
            if not hit:
                continue
            if "NotResource" in statement:
                hit = not _matches(statement["NotResource"], resource, False)
            else:
                hit = _matches(statement.get("Resource"), resource, False)
            if not hit:
                continue
            condition = statement.get("Condition")
            if condition:
                if isinstance(condition, dict):
                    for block in condition.values():
                        if isinstance(block, dict):
                            missing.update(block.keys())
                continue
            effect = statement.get("Effect")
            if effect == "Deny":
                denies.append(ref)
            elif effect == "Allow":
                allows.append(ref)
    return denies, allows, missing


_RANK = {"allowed": 0, "implicitDeny": 1, "explicitDeny": 2}


def _decide(identity, boundary, action, resource):
    denies, allows, missing = _evaluate(identity, action, resource)
    detail = None
    if boundary is not None:
        b_denies, b_allows, b_missing = _evaluate(boundary, action, resource)
        missing |= b_missing
        denies = denies + b_denies
        detail = {"AllowedByPermissionsBoundary": bool(b_allows) and not b_denies}
    if denies:
        decision, matched = "explicitDeny", denies
    elif allows and (detail is None or detail["AllowedByPermissionsBoundary"]):
        decision, matched = "allowed", allows
    else:
        decision, matched = "implicitDeny", []
    return decision, matched, sorted(missing), detail


def _union(refs):
    seen, out = set(), []
    for ref in refs:
        key = json.dumps(ref, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


def _principal_policies(backend, kind: str, name: str, NoSuchEntity):
    """(identity policies, boundary policies or None) of the entity."""
    def find(table):
        if name in table:
            return table[name]
        for key, entity in table.items():
            if key.lower() == name.lower():
                return entity
        return None

    def own(entity, source_type):
        out = [_Policy(policy_name, source_type, text)
               for policy_name, text in entity.policies.items()]
        out += [_managed(p) for p in entity.managed_policies.values()]
        return out

    if kind == "user":
        entity = find(backend.users)
    elif kind == "group":
        entity = find(backend.groups)
    else:
        entity = find({r.name: r for r in backend.roles.values()})
    if entity is None:
        raise NoSuchEntity(f"The {kind} with name {name} cannot be found.")
    policies = own(entity, kind)
    if kind == "user":
        for group in backend.groups.values():
            if entity in group.users:
                policies += own(group, "group")
    boundary = None
    boundary_arn = getattr(entity, "permissions_boundary_arn", None)
    if boundary_arn:
        policy = backend.managed_policies.get(boundary_arn)  # AWS managed ones included
        if policy is not None:
            boundary = [_managed(policy)]
    return policies, boundary


def _patch_simulate_principal_policy() -> None:
    from moto.iam.models import IAMBackend
    from moto.iam.responses import IamResponse

    InvalidInput, ValidationError, NoSuchEntity = _iam_errors()

    def simulate(self, policy_source_arn, action_names, resource_arns=None,
                 policy_input_list=None, boundary_input_list=None,
                 max_items=None, marker=None):
        if not policy_source_arn:
            raise ValidationError("1 validation error detected: Value null at "
                                  "'policySourceArn' failed to satisfy constraint: "
                                  "Member must not be null")
        if not action_names:
            raise ValidationError("1 validation error detected: Value null at "
                                  "'actionNames' failed to satisfy constraint: "
                                  "Member must not be null")
        if max_items is None:
            max_items = SIMULATE_PAGE
        if not 1 <= max_items <= 1000:
            raise ValidationError(
                f"1 validation error detected: Value '{max_items}' at 'maxItems' failed "
                "to satisfy constraint: Member must have value "
                + ("greater than or equal to 1" if max_items < 1
                   else "less than or equal to 1000"))
        start = 0
        if marker is not None:
            if not str(marker).isdigit() or int(marker) >= len(action_names):
                raise InvalidInput("Invalid Marker.")
            start = int(marker)
        m = _ENTITY_ARN.fullmatch(policy_source_arn)
        if not m:
            raise InvalidInput(f"Invalid Entity Arn: {policy_source_arn} does not "
                               "clearly define entity type and name.")
        _partition, account, kind, _path, name = m.groups()
        if account != self.account_id:
            raise NoSuchEntity(f"The {kind} with name {name} cannot be found.")
        identity, boundary = _principal_policies(self, kind, name, NoSuchEntity)

        def extra(documents, label):
            out = []
            for n, text in enumerate(documents or [], start=1):
                try:
                    out.append(_Policy(f"{label}.{n}", "none", text))
                except (ValueError, TypeError):
                    raise InvalidInput(f"{label}.{n} is not a valid policy document.")
            return out

        identity = identity + extra(policy_input_list, "PolicyInputList")
        if boundary_input_list:
            boundary = extra(boundary_input_list, "PermissionsBoundaryPolicyInputList")

        resources = list(resource_arns or []) or ["*"]
        results = []
        for action in action_names[start:start + max_items]:
            per_resource = [(resource, *_decide(identity, boundary, action, resource))
                            for resource in resources]
            top = max((r[1] for r in per_resource), key=_RANK.__getitem__)
            result = {
                "EvalActionName": action,
                "EvalResourceName": "*",
                "EvalDecision": top,
                "MatchedStatements": _union(
                    ref for r in per_resource if r[1] == top for ref in r[2]),
                "MissingContextValues": sorted({k for r in per_resource for k in r[3]}),
            }
            details = [r[4] for r in per_resource if r[4] is not None]
            if details:
                result["PermissionsBoundaryDecisionDetail"] = {
                    "AllowedByPermissionsBoundary": all(
                        d["AllowedByPermissionsBoundary"] for d in details)}
            if resource_arns:
                result["ResourceSpecificResults"] = []
                for resource, decision, matched, missing, detail in per_resource:
                    item = {"EvalResourceName": resource,
                            "EvalResourceDecision": decision,
                            "MatchedStatements": matched,
                            "MissingContextValues": missing}
                    if detail is not None:
                        item["PermissionsBoundaryDecisionDetail"] = detail
                    result["ResourceSpecificResults"].append(item)
            results.append(result)
        end = start + len(results)
        return results, (str(end) if end < len(action_names) else None)

    def simulate_principal_policy(self):
        max_items = self._get_param("MaxItems")
        results, next_marker = self.backend.simulate_principal_policy(
            policy_source_arn=self._get_param("PolicySourceArn"),
            action_names=self._get_param("ActionNames", []),
            resource_arns=self._get_param("ResourceArns", []),
            policy_input_list=self._get_param("PolicyInputList", []),
            boundary_input_list=self._get_param("PermissionsBoundaryPolicyInputList", []),
            max_items=int(max_items) if max_items is not None else None,
            marker=self._get_param("Marker"),
        )
        out = {"EvaluationResults": results, "IsTruncated": next_marker is not None}
        if next_marker is not None:
            out["Marker"] = next_marker
        return ActionResult(out)

    IAMBackend.simulate_principal_policy = simulate
    IamResponse.simulate_principal_policy = simulate_principal_policy
