"""moto 5.2.5 gaps behind onwatch's fixes (the executor's writes). Applied by
patches.apply(); tests in tests/harness/test_fix_patches.py."""

from __future__ import annotations


def apply() -> None:
    _patch_ecr_scan_on_push_off()


# ------------------------------------------------------------------- ECR
# PutImageScanningConfiguration with imageScanningConfiguration {} (scanOnPush
# left out, as SDKs that skip default values send it) turns scan on push off:
# scanOnPush is optional and "If set to true, images will be scanned after
# being pushed"; absent, it is false:
#   https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageScanningConfiguration.html
# moto ignored an empty dict and kept scanOnPush true.
def _patch_ecr_scan_on_push_off() -> None:
    from moto.ecr.models import Repository

    def update(self, image_scanning_configuration):
        if image_scanning_configuration is not None:
            self.image_scanning_configuration = {
                "scanOnPush": bool(image_scanning_configuration.get("scanOnPush", False))}

    Repository._update_image_scanning_configuration = update
