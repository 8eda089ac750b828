/**
 * In-process synthesis of amplify/backend.ts, as ampx does it: a fresh CDK App whose context holds
 * the three amplify-backend-* keys (no AWS credentials, no network). Lambda bundling is skipped;
 * the bundles are checked by `npm run synth`.
 *
 * defineData is a process-wide singleton, so import this once per test file (vitest runs each file
 * in its own process: pool "forks").
 */
import { App, Stack } from 'aws-cdk-lib';

export interface SynthContext {
  backendType?: 'sandbox' | 'branch' | 'standalone';
  backendName?: string;
  env?: Record<string, string>;
  /** Extra CDK context (e.g. validation settings). */
  context?: Record<string, unknown>;
}

export async function synthBackend({
  backendType = 'branch',
  backendName = 'main',
  env = {},
  context = {},
}: SynthContext = {}) {
  Object.assign(process.env, env);
  process.env['CDK_CONTEXT_JSON'] = JSON.stringify({
    'amplify-backend-namespace': 'realtimechat',
    'amplify-backend-name': backendName,
    'amplify-backend-type': backendType,
    'aws:cdk:bundling-stacks': [],
    ...context,
  });
  const module = await import('../../amplify/backend');
  const app = module.backend.stack.node.root as App;
  return { ...module, app };
}

/** Every stack of the app, nested ones included. */
export function allStacks(app: App): Stack[] {
  return app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}
