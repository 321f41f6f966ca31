"""The offline engine: runs a Pulumi Python program under a recording mock engine."""

from . import lazy_sdk

lazy_sdk.install()
