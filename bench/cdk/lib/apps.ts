import * as cdk from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { Construct } from 'constructs';
import * as path from 'path';

export interface AppsStackProps extends cdk.StackProps {
  vpc: ec2.IVpc;
}

const SERVICES = ['web', 'api', 'worker'];
const FUNCTIONS = ['ingest', 'report', 'cleanup'];
const FLEETS = ['ecs-general', 'ecs-gpu', 'batch'];

/** apps-prod: ECS (Fargate and EC2 capacity) behind an ALB with WAF, EKS, Lambda with queues,
 * an HTTP API, EventBridge, schedules, Auto Scaling Groups and their alarms. */
export class AppsStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: AppsStackProps) {
    super(scope, id, props);
    const vpc = props.vpc;
    const key = new kms.Key(this, 'DataKey', { enableKeyRotation: true, alias: 'alias/apps-prod' });
    const logsKey = new kms.Key(this, 'LogsKey', { enableKeyRotation: true });
    const alarms = new sns.Topic(this, 'Alarms', { masterKey: key });
    for (const address of ['oncall@example.com', 'platform@example.com']) {
      alarms.addSubscription(new subscriptions.EmailSubscription(address));
    }
    alarms.addSubscription(new subscriptions.UrlSubscription('https://hooks.example.com/alarms'));
    const alarm = (scopeId: string, metric: cloudwatch.IMetric, threshold: number) =>
      new cloudwatch.Alarm(this, scopeId, {
        metric,
        threshold,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new cwActions.SnsAction(alarms));

    // ECS: Fargate services behind an ALB with WAF, EC2 capacity from two fleets.
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      defaultCloudMapNamespace: { name: 'apps.internal', type: servicediscovery.NamespaceType.HTTP },
      executeCommandConfiguration: { logging: ecs.ExecuteCommandLogging.DEFAULT },
    });
    const fleets: Record<string, autoscaling.AutoScalingGroup> = {};
    for (const fleet of FLEETS) {
      const role = new iam.Role(this, `${fleet}-role`, { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'));
      const template = new ec2.LaunchTemplate(this, `${fleet}-template`, {
        machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
        instanceType: new ec2.InstanceType('m7g.large'),
        requireImdsv2: true,
        userData: ec2.UserData.forLinux(),
        role,
        blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true }) }],
      });
      const group = new autoscaling.AutoScalingGroup(this, `${fleet}-asg`, {
        vpc,
        launchTemplate: template,
        minCapacity: 2,
        maxCapacity: 12,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      });
      group.scaleOnCpuUtilization(`${fleet}-cpu`, { targetUtilizationPercent: 60 });
      group.scaleOnSchedule(`${fleet}-night`, { schedule: autoscaling.Schedule.cron({ hour: '20', minute: '0' }), minCapacity: 1 });
      alarm(`${fleet}-cpu-high`, new cloudwatch.Metric({
        namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensionsMap: { AutoScalingGroupName: group.autoScalingGroupName },
      }), 90);
      fleets[fleet] = group;
    }
    for (const fleet of FLEETS.slice(0, 2)) {
      cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(this, `${fleet}-provider`, { autoScalingGroup: fleets[fleet] }));
    }

    const lb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: true, dropInvalidHeaderFields: true });
    const certificate = acm.Certificate.fromCertificateArn(this, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    const https = lb.addListener('Https', { port: 443, certificates: [certificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS });
    lb.addRedirect();
    https.addAction('Default', { action: elbv2.ListenerAction.fixedResponse(404) });
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'apps-prod', sampledRequestsEnabled: true },
      rules: [
        ...['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'].map((name, i) => ({
          name, priority: i, overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
        })),
        {
          name: 'rate', priority: 10, action: { block: {} },
          statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: 'IP' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'rate', sampledRequestsEnabled: true },
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: lb.loadBalancerArn, webAclArn: acl.attrArn });
    const wafLogs = new logs.LogGroup(this, 'WafLogs', { logGroupName: 'aws-waf-logs-apps-prod', encryptionKey: logsKey });
    new wafv2.CfnLoggingConfiguration(this, 'WafLogging', { resourceArn: acl.attrArn, logDestinationConfigs: [wafLogs.logGroupArn] });
    alarm('alb-5xx', lb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT), 10);

    SERVICES.forEach((name, i) => {
      const task = new ecs.FargateTaskDefinition(this, `${name}-task`, {
        cpu: 512, memoryLimitMiB: 1024, runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 },
      });
      task.addContainer(name, {
        image: ecs.ContainerImage.fromRegistry(`public.ecr.aws/example/${name}@sha256:${'a'.repeat(64)}`),
        portMappings: [{ containerPort: 8080, name: 'http' }],
        readonlyRootFilesystem: true,
        logging: ecs.LogDrivers.awsLogs({
          streamPrefix: name, logGroup: new logs.LogGroup(this, `${name}-logs`, { retention: logs.RetentionDays.THREE_MONTHS }),
        }),
        healthCheck: { command: ['CMD-SHELL', 'wget -qO- localhost:8080/health || exit 1'] },
      });
      const service = new ecs.FargateService(this, `${name}-service`, {
        cluster, taskDefinition: task, desiredCount: 3, minHealthyPercent: 100, circuitBreaker: { rollback: true },
        enableExecuteCommand: true, serviceConnectConfiguration: { services: [{ portMappingName: 'http' }] },
      });
      if (name !== 'worker') {
        https.addTargets(`${name}-targets`, {
          priority: i + 1, conditions: [elbv2.ListenerCondition.pathPatterns([`/${name}/*`])],
          port: 8080, targets: [service], healthCheck: { path: '/health' },
        });
      }
      const scaling = service.autoScaleTaskCount({ minCapacity: 3, maxCapacity: 30 });
      scaling.scaleOnCpuUtilization(`${name}-cpu`, { targetUtilizationPercent: 60 });
      scaling.scaleOnMemoryUtilization(`${name}-memory`, { targetUtilizationPercent: 70 });
      scaling.scaleOnSchedule(`${name}-night`, { schedule: appscaling.Schedule.cron({ hour: '22', minute: '0' }), minCapacity: 2 });
      alarm(`${name}-cpu-high`, service.metricCpuUtilization(), 90);
      alarm(`${name}-memory-high`, service.metricMemoryUtilization(), 90);
    });

    // EKS: the control plane, three managed node groups, a Fargate profile, add-ons and access.
    const eksCluster = new eks.Cluster(this, 'Eks', {
      vpc, version: eks.KubernetesVersion.V1_33, kubectlLayer: new KubectlV33Layer(this, 'Kubectl'),
      defaultCapacity: 0, endpointAccess: eks.EndpointAccess.PRIVATE, secretsEncryptionKey: key,
      clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR],
      authenticationMode: eks.AuthenticationMode.API,
    });
    for (const group of ['system', 'general', 'spot']) {
      eksCluster.addNodegroupCapacity(group, {
        instanceTypes: [new ec2.InstanceType('m7g.large'), new ec2.InstanceType('m6g.large')],
        amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
        capacityType: group === 'spot' ? eks.CapacityType.SPOT : eks.CapacityType.ON_DEMAND,
        minSize: 2, maxSize: 10,
      });
    }
    eksCluster.addFargateProfile('jobs', { selectors: [{ namespace: 'jobs' }] });
    for (const addon of ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent', 'aws-ebs-csi-driver']) {
      new eks.CfnAddon(this, `addon-${addon}`, { clusterName: eksCluster.clusterName, addonName: addon, resolveConflicts: 'OVERWRITE' });
    }
    for (const [name, arn] of [['admins', 'arn:aws:iam::123456789012:role/admins'], ['viewers', 'arn:aws:iam::123456789012:role/viewers']]) {
      new eks.AccessEntry(this, `access-${name}`, {
        cluster: eksCluster, principal: arn,
        accessPolicies: [eks.AccessPolicy.fromAccessPolicyName(name === 'admins' ? 'AmazonEKSClusterAdminPolicy' : 'AmazonEKSViewPolicy', {
          accessScopeType: eks.AccessScopeType.CLUSTER,
        })],
      });
    }
    const podRole = new iam.Role(this, 'PodRole', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
    new eks.CfnPodIdentityAssociation(this, 'PodIdentity', {
      clusterName: eksCluster.clusterName, namespace: 'apps', serviceAccount: 'api', roleArn: podRole.roleArn,
    });

    // Lambda: functions with dead-letter queues, aliases, a layer, a queue source and a URL.
    const layer = new lambda.LayerVersion(this, 'Shared', {
      code: lambda.Code.fromAsset(path.resolve('layer')), compatibleRuntimes: [lambda.Runtime.PYTHON_3_12],
    });
    const bus = new events.EventBus(this, 'Bus', { eventBusName: 'apps-prod' });
    bus.grantPutEventsTo(new iam.AccountPrincipal('123456789012'), 'AccountPutEvents');
    const aliases: lambda.Alias[] = [];
    FUNCTIONS.forEach((name, i) => {
      const dlq = new sqs.Queue(this, `${name}-dlq`, { encryptionMasterKey: key, enforceSSL: true, retentionPeriod: cdk.Duration.days(14) });
      const failures = new sqs.Queue(this, `${name}-failures`, { encryptionMasterKey: key, enforceSSL: true });
      const fn = new lambda.Function(this, `${name}-fn`, {
        runtime: lambda.Runtime.PYTHON_3_12, architecture: lambda.Architecture.ARM_64, handler: 'index.handler',
        code: lambda.Code.fromInline('def handler(event, context):\n    return event\n'), layers: [layer],
        vpc, deadLetterQueue: dlq, tracing: lambda.Tracing.ACTIVE, timeout: cdk.Duration.seconds(30),
        logGroup: new logs.LogGroup(this, `${name}-fn-logs`, { retention: logs.RetentionDays.THREE_MONTHS }),
        onFailure: new lambdaDestinations.SqsDestination(failures), retryAttempts: 2,
      });
      const alias = new lambda.Alias(this, `${name}-live`, {
        aliasName: 'live', version: fn.currentVersion, provisionedConcurrentExecutions: i === 0 ? 2 : undefined,
      });
      aliases.push(alias);
      alarm(`${name}-errors`, fn.metricErrors(), 1);
      alarm(`${name}-throttles`, fn.metricThrottles(), 1);
      alarm(`${name}-dlq-depth`, dlq.metricApproximateNumberOfMessagesVisible(), 1);
    });
    const work = new sqs.Queue(this, 'work', {
      encryptionMasterKey: key, enforceSSL: true,
      deadLetterQueue: { queue: new sqs.Queue(this, 'work-dlq', { encryptionMasterKey: key, enforceSSL: true }), maxReceiveCount: 5 },
    });
    aliases[0].addEventSource(new SqsEventSource(work, { batchSize: 10, reportBatchItemFailures: true }));
    aliases[1].addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    alarm('work-age', work.metricApproximateAgeOfOldestMessage(), 300);
    new events.Rule(this, 'on-order', { eventBus: bus, eventPattern: { source: ['apps.orders'] }, targets: [new targets.LambdaFunction(aliases[0])] });
    new events.Rule(this, 'on-refund', { eventBus: bus, eventPattern: { source: ['apps.refunds'] }, targets: [new targets.SqsQueue(work)] });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    aliases.forEach((alias) => alias.grantInvoke(schedulerRole));
    for (const [name, expression] of [['nightly-report', 'cron(0 3 * * ? *)'], ['hourly-cleanup', 'rate(1 hour)']]) {
      new scheduler.CfnSchedule(this, name, {
        scheduleExpression: expression, flexibleTimeWindow: { mode: 'OFF' },
        target: { arn: aliases[name.startsWith('nightly') ? 1 : 2].functionArn, roleArn: schedulerRole.roleArn },
      });
    }

    // An HTTP API with a JWT authorizer and a custom domain.
    const domain = new apigwv2.DomainName(this, 'ApiDomain', {
      domainName: 'api.example.com', certificate: acm.Certificate.fromCertificateArn(this, 'ApiCert', 'arn:aws:acm:us-east-1:123456789012:certificate/def'),
    });
    const api = new apigwv2.HttpApi(this, 'Api', {
      defaultDomainMapping: { domainName: domain },
      defaultAuthorizer: new HttpJwtAuthorizer('jwt', 'https://auth.example.com', { jwtAudience: ['apps'] }),
      corsPreflight: { allowOrigins: ['https://example.com'], allowMethods: [apigwv2.CorsHttpMethod.GET] },
    });
    for (const [route, i] of [['/orders', 0], ['/reports', 1]] as const) {
      api.addRoutes({ path: route, methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration(`${route}-integration`, aliases[i]) });
    }
    alarm('api-5xx', api.metricServerError(), 5);
  }
}
