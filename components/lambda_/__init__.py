"""Helpers of `components.lambda_function`: args and rules, runtimes, environment, execution policy."""
