"""Customer-managed KMS keys: what a key policy grants the account that owns the key.

Shared by the keys components create (EKS secrets, the alarm topic's): the account
administers a key but never uses it; each key's policy adds who may use it.
"""

from __future__ import annotations

#: Key administration for the account (no kms:*): manage the key, never use it. The alias
#: actions are needed on the key itself too: without them in the key policy, creating
#: an alias is denied (AccessDenied on kms:CreateAlias), and so is deleting it.
KEY_ADMIN_ACTIONS = (
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
)
