"""SNS gap of moto 5.2.5: e-mail and HTTP(S) subscriptions that stay pending
until confirmed, and the harness-only confirmation. Split from patches.py,
which applies it."""

from __future__ import annotations

from moto.core.responses import ActionResult


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


def apply() -> None:
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
        raise _harness_error("subscription_arn or topic_arn required")
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
        raise _harness_error("no matching subscription", 404)
    return confirmed


def _harness_error(message: str, status: int = 400):
    from .patches import HarnessError

    return HarnessError(message, status)
