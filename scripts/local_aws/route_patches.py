"""moto 5.2.5 gaps behind onwatch's topic, key and database reads: KMS
GetKeyPolicy without PolicyName and the AWS managed key `alias/aws/sns`, RDS
default parameter group families and DescribeDBParameters (engine defaults,
Source, paging), ECS DescribeClusters `include`. Applied by patches.apply().
Each patch cites the AWS page it follows; checked-and-fine behaviour (SNS
topic policy and KmsMasterKeyId, GuardDuty GetFilter) is asserted in
tests/harness/test_route_patches.py. State lives on moto's backends, so
`POST /moto-api/reset` clears it."""

from __future__ import annotations

import json
import re
import threading

from moto.core.responses import ActionResult


def apply() -> None:
    _patch_kms()
    _patch_rds_parameters()
    _patch_ecs_include()


# ------------------------------------------------------------------- KMS
# GetKeyPolicy PolicyName: "If no policy name is specified, the default value
# is default" (moto: NotFoundException "No such policy exists" without it);
# the response carries Policy and PolicyName (moto: Policy only):
#   https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
# DescribeKey on a predefined AWS alias: "Amazon Web Services services use
# DescribeKey to create Amazon Web Services managed keys from a predefined
# Amazon Web Services alias with no key ID" (moto 5.2.5 has no alias/aws/sns
# and answers NotFoundException). The key is created on first use of the
# alias (name or ARN): KeyManager AWS, the description AWS gives it, rotation
# on ("AWS managed keys are automatically rotated every year"), and the key
# policy of AWS managed keys: any principal of the account, only through the
# service (kms:CallerAccount + kms:ViaService), plus metadata reads for the
# account:
#   https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
#   https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
#   https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
SNS_ALIAS = "alias/aws/sns"
SNS_KEY_DESCRIPTION = "Default key that protects my SNS topics when no other key is defined"
_KMS_LOCK = threading.Lock()


def sns_managed_key_policy(account: str, region: str, partition: str = "aws") -> dict:
    return {
        "Version": "2012-10-17",
        "Id": "auto-sns-1",
        "Statement": [
            {
                "Sid": "Allow access through SNS for all principals in the account "
                       "that are authorized to use SNS",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                           "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {
                    "kms:CallerAccount": account,
                    "kms:ViaService": f"sns.{region}.amazonaws.com"}},
            },
            {
                "Sid": "Allow direct access to key metadata to the account",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
                "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
                "Resource": "*",
            },
        ],
    }


def _patch_kms() -> None:
    from moto.kms.exceptions import NotFoundException
    from moto.kms.models import KmsBackend
    from moto.kms.responses import KmsResponse
    from moto.utilities.utils import get_partition

    orig_from_alias = KmsBackend.get_key_id_from_alias

    def get_key_id_from_alias(self, alias_name):
        if alias_name != SNS_ALIAS:
            return orig_from_alias(self, alias_name)
        with _KMS_LOCK:
            found = orig_from_alias(self, alias_name)
            if found is not None:
                return found
            policy = sns_managed_key_policy(self.account_id, self.region_name,
                                            get_partition(self.region_name))
            key = self.create_key(json.dumps(policy), "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT",
                                  SNS_KEY_DESCRIPTION, None)
            key.key_manager = "AWS"
            key.key_rotation_status = True
            self.create_alias(key.id, alias_name)
            return key.id

    KmsBackend.get_key_id_from_alias = get_key_id_from_alias

    def get_key_policy(self):
        key_id = self._get_param("KeyId")
        name = self._get_param("PolicyName") or "default"
        if name != "default":  # AWS_RAM: only for keys shared through RAM
            raise NotFoundException("No such policy exists")
        self._validate_cmk_id(key_id)
        policy = self.kms_backend.get_key_policy(key_id) or "{}"
        return json.dumps({"Policy": policy, "PolicyName": "default"})

    KmsResponse.get_key_policy = get_key_policy


# ------------------------------------------------------- RDS parameters
# Default DB parameter groups: "If you create a DB instance without
# specifying a DB parameter group, the DB instance uses a default DB
# parameter group", named default.<family>:
#   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/parameter-groups-overview.html
# moto derives the family by dropping the version's last component, right
# for 16.3 / 8.0.35 / 10.11.6 but not for a major-only PostgreSQL version
# ("16" -> default.postgres) nor Aurora MySQL ("8.0.mysql_aurora.3.05.2" ->
# default.aurora-mysql8.0.mysql_aurora.3.05). Families: postgres<major> (10
# on; 9.x: postgres9.6), aurora-postgresql<major>, mysql<major.minor>,
# mariadb<major.minor>, aurora-mysql<major.minor> (aurora-mysql8.0).
#
# DescribeDBParameters (moto: the user-set values only, no Source, nothing
# for a default group, no paging): "Returns the detailed parameter list for a
# particular DB parameter group"; Source user | system | engine-default
# filters ("Default: All parameter types returned"); MaxRecords "Default:
# 100 Constraints: Minimum 20, maximum 100" with a Marker when more exist:
#   https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameters.html
#   https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_Parameter.html
# A group's list is its family's engine defaults (Source engine-default)
# with the values ModifyDBParameterGroup set (Source user) in their place.
# The harness knows one engine default, max_connections, with AWS's default
# formulas:
#   PostgreSQL, Aurora PostgreSQL: LEAST({DBInstanceClassMemory/9531392},5000)
#   MySQL, MariaDB: {DBInstanceClassMemory/12582880}
#     https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections
#     https://docs.aws.amazon.com/prescriptive-guidance/latest/tuning-postgresql-parameters/max-connections.html
#   Aurora MySQL (log base 2):
#     GREATEST({log(DBInstanceClassMemory/805306368)*45},{log(DBInstanceClassMemory/8187281408)*1000})
#     https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Performance.html
# Default groups of these families answer even before an instance uses them
# (moto creates them on an instance's first describe); other names are
# DBParameterGroupNotFound.
_PG_MAX_CONNECTIONS = {
    "ParameterName": "max_connections",
    "ParameterValue": "LEAST({DBInstanceClassMemory/9531392},5000)",
    "Description": "Sets the maximum number of concurrent connections.",
    "ApplyType": "static", "DataType": "integer",
}
_MYSQL_MAX_CONNECTIONS = {
    "ParameterName": "max_connections",
    "ParameterValue": "{DBInstanceClassMemory/12582880}",
    "Description": "The number of simultaneous client connections allowed.",
    "ApplyType": "dynamic", "DataType": "integer",
}
_AURORA_MYSQL_MAX_CONNECTIONS = dict(
    _MYSQL_MAX_CONNECTIONS,
    ParameterValue="GREATEST({log(DBInstanceClassMemory/805306368)*45},"
                   "{log(DBInstanceClassMemory/8187281408)*1000})")
ENGINE_DEFAULTS = {  # family prefix -> engine-default parameters
    "aurora-postgresql": [_PG_MAX_CONNECTIONS],
    "aurora-mysql": [_AURORA_MYSQL_MAX_CONNECTIONS],
    "postgres": [_PG_MAX_CONNECTIONS],
    "mysql": [_MYSQL_MAX_CONNECTIONS],
    "mariadb": [_MYSQL_MAX_CONNECTIONS],
}
_FAMILY = re.compile(r"^(aurora-postgresql|postgres)\d+(\.\d+)?$"
                     r"|^(aurora-mysql|mysql|mariadb)\d+\.\d+$")
DESCRIBE_DB_PARAMETERS_PAGE = 100


def db_family(engine: str, version: str) -> str | None:
    engine, parts = engine.lower(), str(version).split(".")
    if engine in ("postgres", "aurora-postgresql") and parts[0].isdigit():
        major = ".".join(parts[:2]) if int(parts[0]) < 10 else parts[0]
        return f"{engine}{major}"
    if engine in ("mysql", "mariadb", "aurora-mysql") and len(parts) >= 2:
        return f"{engine}{parts[0]}.{parts[1]}"
    return None


def engine_defaults(family: str | None) -> list[dict]:
    for prefix, params in ENGINE_DEFAULTS.items():
        if family and family.startswith(prefix):
            return [dict(p, Source="engine-default", IsModifiable=True,
                         ApplyMethod="pending-reboot") for p in params]
    return []


def _patch_rds_parameters() -> None:
    from moto.rds import models as rdsm
    from moto.rds.exceptions import DBParameterGroupNotFoundError, InvalidParameterValue
    from moto.rds.responses import RDSResponse

    orig_details = rdsm.DBInstance.default_db_parameter_group_details

    def default_db_parameter_group_details(self):
        family = db_family(self.engine or "", self.engine_version or "")
        if family is None:
            return orig_details(self)
        return family, f"default.{family}"

    rdsm.DBInstance.default_db_parameter_group_details = default_db_parameter_group_details

    def describe_db_parameters(self):
        given = self.params.get("DBParameterGroupName") or ""
        name = given.lower()
        group = self.backend.db_parameter_groups.get(name)
        if group is not None:
            family = group.family
        elif name.startswith("default.") and _FAMILY.match(name[len("default."):]):
            family = name[len("default."):]
        else:
            raise DBParameterGroupNotFoundError(given)
        params = {p["ParameterName"]: p for p in engine_defaults(family)}
        for pname, user in (group.parameters.items() if group is not None else ()):
            params[pname] = dict(params.get(pname, {"ParameterName": pname}),
                                 **{k: v for k, v in user.items()
                                    if k in ("ParameterValue", "ApplyMethod") and v is not None},
                                 Source="user")
        source = self.params.get("Source")
        items = [params[k] for k in sorted(params)
                 if not source or params[k].get("Source") == source]
        max_records = int(self.params.get("MaxRecords") or DESCRIBE_DB_PARAMETERS_PAGE)
        if not 20 <= max_records <= 100:
            raise InvalidParameterValue(
                f"Invalid value {max_records} for MaxRecords. Must be between 20 and 100")
        marker = self.params.get("Marker")
        if marker and not str(marker).isdigit():
            raise InvalidParameterValue(f"Invalid marker: {marker}")
        offset = int(marker) if marker else 0
        out = {"Parameters": items[offset: offset + max_records]}
        if offset + max_records < len(items):
            out["Marker"] = str(offset + max_records)
        return ActionResult(out)

    RDSResponse.describe_db_parameters = describe_db_parameters


# ------------------------------------------------------------------- ECS
# DescribeClusters include: "If this field is omitted, this information
# isn't included ... If SETTINGS is specified, the settings for the cluster
# are included" (moto returned settings always). The choice is made per
# request: moto's own TAGS switch mutates a class-wide table, which threads
# of the server could race on.
#   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeClusters.html
# CreateCluster settings / UpdateClusterSettings (patches.py) already round-trip.


def _patch_ecs_include() -> None:
    from moto.core.serialize import never_return
    from moto.ecs.responses import EC2ContainerServiceResponse as ECSResponse

    orig = ECSResponse.describe_clusters
    path = "DescribeClustersResponse.clusters.Cluster."

    def describe_clusters(self):
        result = orig(self)
        include = self._get_param("include", []) or []
        table = dict(type(self).RESPONSE_KEY_PATH_TO_TRANSFORMER)
        for field, key in (("TAGS", "tags"), ("SETTINGS", "settings")):
            table[path + key] = (lambda x: x) if field in include else never_return
        self.RESPONSE_KEY_PATH_TO_TRANSFORMER = table  # this request only
        return result

    ECSResponse.describe_clusters = describe_clusters
