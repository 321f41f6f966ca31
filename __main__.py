"""aws-compute: one stage of production AWS compute, read top to bottom.

Stage config is validated first (nothing is registered from a bad stack file), governance
transforms are registered before any resource, then the network, then the compute the
stage enables, then the stack outputs.
"""

import pulumi

import governance
import stage
from components.eks_cluster import EksCluster
from components.network import Network

current = stage.load()
config = current.config

pulumi.runtime.register_resource_transform(governance.standard_tags(current.standard_tags))

network = Network("network", config.network.to_args())

pulumi.export("vpcId", network.vpc_id)
pulumi.export("vpcCidr", network.vpc_cidr)
pulumi.export("availabilityZones", network.availability_zones)
pulumi.export("publicSubnetIds", network.public_subnet_ids)
pulumi.export("privateSubnetIds", network.private_subnet_ids)
pulumi.export("isolatedSubnetIds", network.isolated_subnet_ids)
pulumi.export("privateRouteTableIds", network.private_route_table_ids)
pulumi.export("natPublicIps", network.nat_public_ips)

if config.eks is not None:
    eks = EksCluster(
        "eks",
        config.eks.to_args(
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            default_cluster_name=f"{current.project}-{current.stack}",
        ),
    )
    pulumi.export("eksClusterName", eks.cluster_name)
    pulumi.export("eksEndpoint", eks.endpoint)
    pulumi.export("eksCertificateAuthority", eks.certificate_authority)
    pulumi.export("eksOidcIssuer", eks.oidc_issuer)
    pulumi.export("eksClusterSecurityGroupId", eks.cluster_security_group_id)
    pulumi.export("eksNodeRoleArns", eks.node_role_arns)
    pulumi.export("eksPodIdentityRoleArns", eks.pod_identity_role_arns)
    pulumi.export("eksKubeconfig", eks.kubeconfig)
