"""Every handler imports under every application log level Lambda can set."""

from __future__ import annotations

import importlib
import logging
import sys

import pytest

HANDLERS = ("functions.api.handler", "functions.cleanup.handler", "functions.worker.handler")
LAMBDA_LEVELS = {
    "TRACE": logging.DEBUG,
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARN": logging.WARNING,
    "ERROR": logging.ERROR,
    "FATAL": logging.CRITICAL,
}


@pytest.mark.parametrize("handler", HANDLERS, ids=["api", "cleanup", "worker"])
@pytest.mark.parametrize("level", list(LAMBDA_LEVELS))
def test_handler_logs_at_lambdas_application_log_level(
    handler: str, level: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each import is a fresh one (a plan in the same process may have dropped the module)."""
    # AWS_LAMBDA_LOG_LEVEL is the function's applicationLogLevel; TRACE used to crash the import.
    monkeypatch.setenv("AWS_LAMBDA_LOG_LEVEL", level)
    monkeypatch.delitem(sys.modules, handler, raising=False)  # restored afterwards, as it was
    assert importlib.import_module(handler).logger.level == LAMBDA_LEVELS[level]
