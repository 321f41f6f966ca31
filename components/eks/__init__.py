"""Helpers of `components.eks_cluster`: versions, compute, identity, access, secrets, kubeconfig."""
