#!/usr/bin/env node
// Entry point run by the CDK CLI (see cdk.json). Settings come as context
// (`-c key=value`, passed by `make deploy KEY=value`); cdk/lib/config.ts lists
// and checks them. Without `-c instanceId=…` the template takes a
// ConnectInstanceId parameter.
import { createApp } from '../lib/create-app';

createApp();
