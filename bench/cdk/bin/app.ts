#!/usr/bin/env node
// aws-compute's prod stage written with the seed patterns in AWS CDK v2: a network stack and
// an applications stack reading it, about as many resources as network-prod and apps-prod
// plan. `make bench` times `cdk synth` of this app beside `python -m offline plan --stack
// apps-prod` (which plans network-prod for its stack reference), alternating the two.
import * as cdk from 'aws-cdk-lib';
import { NetworkStack } from '../lib/network';
import { AppsStack } from '../lib/apps';

const app = new cdk.App();
const env = { account: '123456789012', region: 'us-east-1' };
const network = new NetworkStack(app, 'network-prod', { env });
new AppsStack(app, 'apps-prod', { env, vpc: network.vpc });
