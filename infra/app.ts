// `npx cdk synth|deploy` entry point (cdk.json). Settings: cdk.json context or `-c key=value`.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { buildLogbook } from './build.ts';

const app = new App();
buildLogbook(app, { projectRoot: resolve(dirname(fileURLToPath(import.meta.url)), '..') });
app.synth();
