"""Every handler imports under every application log level Lambda can set."""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

import pytest

from functions.api import handler as api
from functions.cleanup import handler as cleanup
from functions.worker import handler as worker

LAMBDA_LEVELS = {
    "TRACE": logging.DEBUG,
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARN": logging.WARNING,
    "ERROR": logging.ERROR,
    "FATAL": logging.CRITICAL,
}


@pytest.mark.parametrize("module", [api, cleanup, worker], ids=["api", "cleanup", "worker"])
@pytest.mark.parametrize("level", list(LAMBDA_LEVELS))
def test_handler_logs_at_lambdas_application_log_level(
    module: ModuleType, level: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # AWS_LAMBDA_LOG_LEVEL is the function's applicationLogLevel; TRACE used to crash the import.
    monkeypatch.setenv("AWS_LAMBDA_LOG_LEVEL", level)
    try:
        assert importlib.reload(module).logger.level == LAMBDA_LEVELS[level]
    finally:
        monkeypatch.delenv("AWS_LAMBDA_LOG_LEVEL")
        importlib.reload(module)
