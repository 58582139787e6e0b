"""The calls onwatch's fixes write, as AWS documents them (gaps closed by
scripts/local_aws/fix_patches.py)."""

from __future__ import annotations


def test_ecr_scan_on_push_turned_off_with_an_empty_configuration(harness):
    ecr = harness.client("ecr")
    ecr.create_repository(repositoryName="api",
                          imageScanningConfiguration={"scanOnPush": True})
    # botocore sends {"scanOnPush": false}; the Rust SDK leaves a false default out.
    ecr.put_image_scanning_configuration(repositoryName="api",
                                         imageScanningConfiguration={})
    repo = ecr.describe_repositories(repositoryNames=["api"])["repositories"][0]
    assert repo["imageScanningConfiguration"]["scanOnPush"] is False
    ecr.put_image_scanning_configuration(repositoryName="api",
                                         imageScanningConfiguration={"scanOnPush": True})
    repo = ecr.describe_repositories(repositoryNames=["api"])["repositories"][0]
    assert repo["imageScanningConfiguration"]["scanOnPush"] is True
