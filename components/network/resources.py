"""Network: a VPC with public, private and isolated subnet tiers across 2-4 AZs.

Built from pulumi_aws resources (not awsx) so that every child is visible offline and so
that NAT strategy, flow logs and endpoints are ours to choose. Subnet CIDRs come from
`components.subnet_plan`, which never renumbers an existing subnet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.account_scope import account_scope
from components.iam import Statement, service_trust_policy
from components.network.args import (
    FlowLogsArgs,
    NatStrategy,
    NetworkArgs,
    NetworkRef,
)
from components.roles import role_with_grants
from components.subnet_plan import (
    SubnetTier,
    plan_subnets,
)


class Network(pulumi.ComponentResource):
    """VPC, subnets per tier and AZ, IGW, NAT, route tables, flow logs and endpoints."""

    vpc_id: pulumi.Output[str]
    vpc_cidr: pulumi.Output[str]
    availability_zones: pulumi.Output[list[str]]
    public_subnet_ids: pulumi.Output[list[str]]
    private_subnet_ids: pulumi.Output[list[str]]
    isolated_subnet_ids: pulumi.Output[list[str]]
    private_route_table_ids: pulumi.Output[list[str]]
    nat_public_ips: pulumi.Output[list[str]]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:network:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        az_count = args.resolved_az_count
        azs = self._availability_zones(args, child)
        scope = account_scope(self)

        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr_block,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags={"Name": name},
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg",
            vpc_id=vpc.id,
            tags={"Name": f"{name}-default-do-not-use"},
            opts=child,
        )

        cidrs = plan_subnets(args.cidr_block, az_count, args.tiers, args.resolved_prefix_lengths)
        # Subnets, NAT gateways and private route tables are named by AZ slot: the slot is
        # their identity (it fixes their CIDR), and the plan is append-only, so only the last
        # slot can ever go (README, "Stable child names").
        subnets = {
            tier: [self._subnet(name, tier, i, cidr, vpc, azs[i], child) for i, cidr in enumerate(tier_cidrs)]
            for tier, tier_cidrs in cidrs.items()
        }
        public = subnets.get("public", [])
        private = subnets.get("private", [])
        isolated = subnets.get("isolated", [])

        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags={"Name": name}, opts=child) if public else None
        if igw is not None:
            self._route_table(
                f"{name}-public", "public", vpc, dict(enumerate(public)), child, default_route={"gateway_id": igw.id}
            )

        nats = self._nat_gateways(name, args.nat_gateways, public, az_count, igw, child)
        # With a single NAT every private table routes to it; with one per AZ, to its own AZ's.
        private_route_tables = [
            self._route_table(
                f"{name}-private-{i}",
                "private",
                vpc,
                {i: subnet},
                child,
                default_route={"nat_gateway_id": nats[i if len(nats) > 1 else 0][1].id},
            )
            for i, subnet in enumerate(private)
        ]
        isolated_route_tables = (
            [self._route_table(f"{name}-isolated", "isolated", vpc, dict(enumerate(isolated)), child)]
            if isolated
            else []
        )

        if args.flow_logs is not None:
            flow_log_arns = scope.arn("ec2", "vpc-flow-log/*")
            self._flow_logs(name, args.flow_logs, vpc, scope.account, flow_log_arns, child, protect=args.protect)
        for service in args.gateway_endpoints:
            aws.ec2.VpcEndpoint(
                f"{name}-{service}-endpoint",
                vpc_id=vpc.id,
                service_name=self._endpoint_service_name(service, "Gateway"),
                vpc_endpoint_type="Gateway",
                route_table_ids=[rt.id for rt in private_route_tables + isolated_route_tables],
                tags={"Name": f"{name}-{service}"},
                opts=child,
            )
        if args.interface_endpoints:
            self._interface_endpoints(name, args.interface_endpoints, vpc, private or isolated, child)

        self.vpc_id = vpc.id
        self.vpc_cidr = vpc.cidr_block
        self.availability_zones = pulumi.Output.all(*azs)
        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in public])
        self.private_subnet_ids = pulumi.Output.all(*[s.id for s in private])
        self.isolated_subnet_ids = pulumi.Output.all(*[s.id for s in isolated])
        self.private_route_table_ids = pulumi.Output.all(*[rt.id for rt in private_route_tables])
        self.nat_public_ips = pulumi.Output.all(*[eip.public_ip for eip, _ in nats])
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "vpcCidr": self.vpc_cidr,
                "availabilityZones": self.availability_zones,
                "publicSubnetIds": self.public_subnet_ids,
                "privateSubnetIds": self.private_subnet_ids,
                "isolatedSubnetIds": self.isolated_subnet_ids,
                "privateRouteTableIds": self.private_route_table_ids,
                "natPublicIps": self.nat_public_ips,
            }
        )

    def ref(self) -> NetworkRef:
        """What compute needs of this network, as any other network source gives it."""
        return NetworkRef(
            vpc_id=self.vpc_id,
            vpc_cidr=self.vpc_cidr,
            availability_zones=self.availability_zones,
            public_subnet_ids=self.public_subnet_ids,
            private_subnet_ids=self.private_subnet_ids,
            isolated_subnet_ids=self.isolated_subnet_ids,
            private_route_table_ids=self.private_route_table_ids,
        )

    def _availability_zones(self, args: NetworkArgs, child: pulumi.ResourceOptions) -> list[pulumi.Output[str]]:
        if args.availability_zones:
            return [pulumi.Output.from_input(az) for az in args.availability_zones]
        names = aws.get_availability_zones_output(
            state="available",
            filters=[{"name": "opt-in-status", "values": ["opt-in-not-required"]}],
            opts=pulumi.InvokeOutputOptions(parent=self),
        ).names
        return [names[i] for i in range(args.az_count)]

    @staticmethod
    def _subnet(
        name: str,
        tier: SubnetTier,
        index: int,
        cidr: str,
        vpc: aws.ec2.Vpc,
        az: pulumi.Output[str],
        child: pulumi.ResourceOptions,
    ) -> aws.ec2.Subnet:
        # Load balancer discovery tags let the AWS Load Balancer Controller (EKS) place ALBs.
        role_tags = {
            "public": {"kubernetes.io/role/elb": "1"},
            "private": {"kubernetes.io/role/internal-elb": "1"},
            "isolated": {},
        }[tier]
        return aws.ec2.Subnet(
            f"{name}-{tier}-{index}",
            vpc_id=vpc.id,
            cidr_block=cidr,
            availability_zone=az,
            map_public_ip_on_launch=False,
            tags={"Name": f"{name}-{tier}-{index}", "Tier": tier, **role_tags},
            opts=child,
        )

    @staticmethod
    def _route_table(
        rt_name: str,
        tier: SubnetTier,
        vpc: aws.ec2.Vpc,
        subnets: Mapping[int, aws.ec2.Subnet],
        child: pulumi.ResourceOptions,
        *,
        default_route: Mapping[str, pulumi.Input[str]] | None = None,
    ) -> aws.ec2.RouteTable:
        """A route table associated with `subnets` (keyed by AZ index), with a 0.0.0.0/0 route
        to `default_route`'s target (`gateway_id=` or `nat_gateway_id=`) when given. Routes are
        separate resources, so adding one never replaces the table."""
        rt = aws.ec2.RouteTable(f"{rt_name}-rt", vpc_id=vpc.id, tags={"Name": rt_name, "Tier": tier}, opts=child)
        if default_route:
            aws.ec2.Route(
                f"{rt_name}-default",
                route_table_id=rt.id,
                destination_cidr_block="0.0.0.0/0",
                opts=child,
                **default_route,
            )
        for az_index, subnet in subnets.items():
            aws.ec2.RouteTableAssociation(
                f"{rt_name}-rta-{az_index}", route_table_id=rt.id, subnet_id=subnet.id, opts=child
            )
        return rt

    @staticmethod
    def _nat_gateways(
        name: str,
        strategy: NatStrategy,
        public: Sequence[aws.ec2.Subnet],
        az_count: int,
        igw: aws.ec2.InternetGateway | None,
        child: pulumi.ResourceOptions,
    ) -> list[tuple[aws.ec2.Eip, aws.ec2.NatGateway]]:
        """NAT gateways with their Elastic IPs, one per AZ index from the first.

        A public NAT gateway created before its VPC has an internet gateway attached ends in
        the `failed` state ("Network vpc-... has no Internet gateway attached"), and nothing
        in its inputs orders it after the IGW: hence the explicit dependency."""
        count = {"none": 0, "single": 1, "onePerAz": az_count}[strategy]
        after_igw = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[igw] if igw else []))
        nats = []
        for i in range(count):
            eip = aws.ec2.Eip(f"{name}-nat-eip-{i}", domain="vpc", tags={"Name": f"{name}-nat-{i}"}, opts=child)
            nat = aws.ec2.NatGateway(
                f"{name}-nat-{i}",
                allocation_id=eip.id,
                subnet_id=public[i].id,
                connectivity_type="public",
                tags={"Name": f"{name}-nat-{i}"},
                opts=after_igw,
            )
            nats.append((eip, nat))
        return nats

    @staticmethod
    def _flow_logs(
        name: str,
        args: FlowLogsArgs,
        vpc: aws.ec2.Vpc,
        account: pulumi.Output[str],
        flow_log_arns: pulumi.Output[str],
        child: pulumi.ResourceOptions,
        *,
        protect: bool,
    ) -> None:
        """Flow logs to a log group, through a role that may write to that group only."""
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-flow-logs",
            retention_in_days=args.retention_days,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(protect=protect)),
        )
        role = role_with_grants(
            f"{name}-flow-logs",
            description=f"VPC flow logs of {name} write to their log group",
            trust=service_trust_policy(
                "vpc-flow-logs.amazonaws.com",
                conditions={
                    "StringEquals": {"aws:SourceAccount": account},
                    "ArnLike": {"aws:SourceArn": flow_log_arns},
                },
            ),
            statements=[
                Statement(
                    sid="WriteFlowLogs",
                    actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    resources=[log_group.arn, pulumi.Output.concat(log_group.arn, ":*")],
                )
            ],
            opts=child,
        ).role
        aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=vpc.id,
            traffic_type=args.traffic_type,
            log_destination_type="cloud-watch-logs",
            log_destination=log_group.arn,
            iam_role_arn=role.arn,
            max_aggregation_interval=args.max_aggregation_interval,
            tags={"Name": name},
            opts=child,
        )

    def _endpoint_service_name(self, service: str, kind: Literal["Gateway", "Interface"]) -> pulumi.Output[str]:
        """The region's own name for an AWS endpoint service, from its service catalogue.

        Not `com.amazonaws.<region>.<service>` spelled out: China regions name many interface
        services `cn.com.amazonaws.<region>.<service>`, and a service the region does not
        offer fails here, at preview, instead of halfway through an update."""
        return aws.ec2.get_vpc_endpoint_service_output(
            service=service, service_type=kind, opts=pulumi.InvokeOutputOptions(parent=self)
        ).service_name

    def _interface_endpoints(
        self,
        name: str,
        services: Sequence[str],
        vpc: aws.ec2.Vpc,
        subnets: Sequence[aws.ec2.Subnet],
        child: pulumi.ResourceOptions,
    ) -> None:
        sg = aws.ec2.SecurityGroup(
            f"{name}-endpoints-sg",
            vpc_id=vpc.id,
            description=f"Interface endpoints of {name}: HTTPS from inside the VPC only",
            tags={"Name": f"{name}-endpoints"},
            opts=child,
        )
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-endpoints-https",
            security_group_id=sg.id,
            description="HTTPS from the VPC",
            ip_protocol="tcp",
            from_port=443,
            to_port=443,
            cidr_ipv4=vpc.cidr_block,
            opts=child,
        )
        for service in services:
            aws.ec2.VpcEndpoint(
                f"{name}-{service.replace('.', '-')}-endpoint",
                vpc_id=vpc.id,
                service_name=self._endpoint_service_name(service, "Interface"),
                vpc_endpoint_type="Interface",
                private_dns_enabled=True,
                subnet_ids=[s.id for s in subnets],
                security_group_ids=[sg.id],
                tags={"Name": f"{name}-{service}"},
                opts=child,
            )
