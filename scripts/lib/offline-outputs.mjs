/**
 * amplify_outputs.json for machines without a deployed backend.
 *
 * The client imports amplify_outputs.json at build time. `ampx` writes it from a deployed stack
 * (`ampx sandbox`, `ampx pipeline-deploy`, `ampx generate outputs`); offline we write one whose
 * model introspection comes from the synthesized cdk.out, marked `custom.offline`, so that the
 * client builds and type-checks. The endpoints are those the offline sandbox serves
 * (docs/offline-fidelity.md); until it runs, nothing answers there.
 *
 * A file written by ampx (no `custom.offline` marker) is never overwritten.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CDK_OUT, OUTPUTS_FILE } from './paths.mjs';

export const OFFLINE_DEFAULTS = {
  region: 'us-east-1',
  graphqlUrl: 'https://127.0.0.1:20002/graphql',
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

/** The password policy of the synthesized user pool (what the Authenticator validates against). */
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

/** @returns {'kept (written by ampx)' | 'written (offline)'} */
export function ensureOfflineOutputs() {
  if (existsSync(OUTPUTS_FILE)) {
    const current = JSON.parse(readFileSync(OUTPUTS_FILE, 'utf8'));
    if (!current?.custom?.offline) return 'kept (written by ampx)';
  }
  const { region, graphqlUrl, userPoolId, userPoolClientId } = OFFLINE_DEFAULTS;
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
    custom: { offline: true },
  };
  writeFileSync(OUTPUTS_FILE, `${JSON.stringify(outputs, null, 2)}\n`);
  return 'written (offline)';
}
