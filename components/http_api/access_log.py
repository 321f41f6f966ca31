"""The JSON access-log line of every HTTP API: one object per request.

Fields are `$context` variables API Gateway documents for HTTP APIs ("Customize HTTP API
access logs"): who called (source IP, user agent), what was matched (route key, method,
path, domain), what happened (status, response length, latency), and why it failed
(the integration's status, latency and error, an authorizer's error). The format is at most
1024 characters (AccessLogSettings.Format).
"""

from __future__ import annotations

import json

FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTime",
    "sourceIp": "$context.identity.sourceIp",
    "userAgent": "$context.identity.userAgent",
    "domainName": "$context.domainName",
    "routeKey": "$context.routeKey",
    "httpMethod": "$context.httpMethod",
    "path": "$context.path",
    "protocol": "$context.protocol",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationStatus": "$context.integrationStatus",
    "integrationLatency": "$context.integrationLatency",
    "integrationError": "$context.integrationErrorMessage",
    "authorizerError": "$context.authorizer.error",
}

FORMAT = json.dumps(FIELDS, separators=(",", ":"))
