"""The offline engine: runs a Pulumi Python program under a recording mock engine."""

from . import compiled_texts, deferred_annotations, lazy_sdk

lazy_sdk.install()
deferred_annotations.install()
compiled_texts.install()
