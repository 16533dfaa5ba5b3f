#!/usr/bin/env node
// Entry point run by the CDK CLI (see cdk.json). Optional context:
//   -c instanceId=<Amazon Connect instance ID>  fixes the target instance at synth time;
//   without it the template takes a ConnectInstanceId parameter.
import { createApp } from '../lib/create-app';

createApp();
