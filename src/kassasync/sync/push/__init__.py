"""The push: one poster per target (voucher, daily summary, paid invoice) behind one protocol."""

from kassasync.sync.push.pusher import Pusher
from kassasync.sync.push.result import PushResult, TooManyUnknownOutcomes
from kassasync.sync.push.summaries import awaits_summary, posts_daily_summaries

__all__ = ["PushResult", "Pusher", "TooManyUnknownOutcomes", "awaits_summary", "posts_daily_summaries"]
