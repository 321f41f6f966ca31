"""What exists at AWS, for rules that check values naming AWS things: the API models AWS
publishes in botocore (instance types, runtimes, API limits), and pinned data botocore does
not carry (Availability Zones per Region, interface endpoint services)."""
