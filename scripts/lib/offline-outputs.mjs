/**
 * amplify_outputs.json for machines without a deployed backend.
 *
 * The client imports amplify_outputs.json at build time. `ampx` writes it from a deployed stack
 * (`ampx sandbox`, `ampx pipeline-deploy`, `ampx generate outputs`); offline we write one whose
 * model introspection comes from the synthesized cdk.out, marked `custom.offline`, so that the
 * client builds and type-checks. This is the placeholder for when the sandbox is not running
 * (`npm run synth`): the running sandbox (amplify-gen2-offline start → offline/sandbox/outputs.ts) writes the
 * real one, with the synthesized pool/client ids, its URLs and `custom.userPoolEndpoint`.
 *
 * A file written by ampx (no `custom.offline` marker) is never overwritten. A file the sandbox
 * wrote keeps its ids and URLs; only its model introspection and password policy are refreshed,
 * so a synthesis while the sandbox runs does not break the running app.
 */
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CDK_OUT, OUTPUTS_FILE } from './paths.mjs';

export const OFFLINE_DEFAULTS = {
  region: 'us-east-1',
  graphqlUrl: 'https://127.0.0.1:20002/graphql',
  /** The sandbox's default Cognito port (offline/sandbox/start-sandbox.ts DEFAULT_PORTS). */
  userPoolEndpoint: 'http://127.0.0.1:20001',
  userPoolId: 'us-east-1_offline',
  userPoolClientId: 'offlineclient',
};

function modelIntrospection() {
  for (const entry of readdirSync(CDK_OUT)) {
    const file = join(CDK_OUT, entry, 'modelIntrospectionSchema.json');
    if (entry.startsWith('asset.') && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  }
  throw new Error(`no modelIntrospectionSchema.json asset in ${CDK_OUT}: run npm run synth`);
}

/** The password policy of the synthesized user pool (what the sign-in screens validate against). */
function passwordPolicy() {
  for (const file of readdirSync(CDK_OUT).filter((f) => f.endsWith('.template.json'))) {
    const { Resources = {} } = JSON.parse(readFileSync(join(CDK_OUT, file), 'utf8'));
    for (const resource of Object.values(Resources)) {
      const policy = resource.Type === 'AWS::Cognito::UserPool' && resource.Properties?.Policies?.PasswordPolicy;
      if (policy) {
        return {
          min_length: policy.MinimumLength,
          require_numbers: policy.RequireNumbers,
          require_lowercase: policy.RequireLowercase,
          require_uppercase: policy.RequireUppercase,
          require_symbols: policy.RequireSymbols,
        };
      }
    }
  }
  throw new Error(`no user pool with a password policy in ${CDK_OUT}`);
}

/** @param {unknown} outputs */
function writeAtomically(outputs) {
  const temporary = `${OUTPUTS_FILE}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(outputs, null, 2)}\n`);
  renameSync(temporary, OUTPUTS_FILE);
}

/** @returns {'kept (written by ampx)' | 'written (offline)' | 'refreshed (written by the sandbox)'} */
export function ensureOfflineOutputs() {
  if (existsSync(OUTPUTS_FILE)) {
    let current;
    try {
      current = JSON.parse(readFileSync(OUTPUTS_FILE, 'utf8'));
    } catch {
      return 'kept (written by ampx)';
    }
    if (!current?.custom?.offline) return 'kept (written by ampx)';
    if (current.auth && current.data && current.auth.user_pool_id !== OFFLINE_DEFAULTS.userPoolId) {
      current.auth.password_policy = passwordPolicy();
      current.data.model_introspection = modelIntrospection();
      writeAtomically(current);
      return 'refreshed (written by the sandbox)';
    }
  }
  const { region, graphqlUrl, userPoolId, userPoolClientId, userPoolEndpoint } = OFFLINE_DEFAULTS;
  const outputs = {
    $schema: 'https://amplify.aws/2024-02/outputs-schema.json',
    version: '1.4',
    auth: {
      aws_region: region,
      user_pool_id: userPoolId,
      user_pool_client_id: userPoolClientId,
      username_attributes: ['email'],
      standard_required_attributes: ['email'],
      user_verification_types: ['email'],
      unauthenticated_identities_enabled: false,
      password_policy: passwordPolicy(),
    },
    data: {
      url: graphqlUrl,
      aws_region: region,
      default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
      authorization_types: ['AWS_IAM'],
      model_introspection: modelIntrospection(),
    },
    custom: { offline: true, userPoolEndpoint },
  };
  writeAtomically(outputs);
  return 'written (offline)';
}
