"""Helpers of `components.autoscaling_group`: instance types, scaling, CloudWatch agent."""
