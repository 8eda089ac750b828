/**
 * The Cognito user pool (`AWS::Cognito::UserPool`) and its app clients (`AWS::Cognito::UserPoolClient`).
 *
 * Cognito semantics kept here:
 * - Defaults when a property is absent: password policy min 8 with all character classes required and temporary
 *   passwords valid 7 days; clients without `ExplicitAuthFlows` allow SRP, refresh-token and custom auth.
 * - `Schema` lists standard and custom attributes; custom ones are addressed as `custom:<name>` at runtime, so that is
 *   the name reported. `Required` defaults to false, `Mutable` to true.
 * - `LambdaConfig` maps trigger names to function ARNs (`PreTokenGenerationConfig`, `CustomEmailSender`, … are objects
 *   with `LambdaArn`); `KMSKeyID` is not a trigger.
 */
import type { LambdaIndex } from './read-lambdas';
import {
  asBoolean,
  asNumber,
  asString,
  flagUnsupported,
  isRecord,
  listProperty,
  property,
  recordProperty,
  resourcesOfType,
  stringList,
  stringProperty,
  type LoaderContext,
} from './resource-properties';
import type { StackResource } from './stack-tree';
import type { UserPoolDescription } from './types';
import { STANDARD_ATTRIBUTES } from './cognito-attributes';

const DEFAULT_EXPLICIT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

export function readUserPool(context: LoaderContext, lambdas: LambdaIndex): UserPoolDescription {
  const [pool, ...extraPools] = resourcesOfType(context, 'AWS::Cognito::UserPool');
  if (!pool) {
    throw new Error(`No AWS::Cognito::UserPool in ${context.assembly.directory}: the offline sandbox needs defineAuth`);
  }
  for (const extra of extraPools) flagUnsupported(context, extra, 'only one user pool per backend is emulated');

  const id = String(pool.stack.resourceRef(pool.logicalId));
  const policy = recordProperty(pool, 'Policies')?.['PasswordPolicy'];
  const passwordPolicy = isRecord(policy) ? policy : {};
  const policyPath = ['Policies', 'PasswordPolicy'];
  const required = (name: string): boolean => asBoolean(passwordPolicy[name], pool, [...policyPath, name]) ?? true;

  return {
    id,
    name: stringProperty(pool, 'UserPoolName') ?? `${pool.stack.stackName}-${pool.logicalId}`,
    clients: resourcesOfType(context, 'AWS::Cognito::UserPoolClient')
      .filter((client) => stringProperty(client, 'UserPoolId') === id)
      .map((client) => ({
        id: String(client.stack.resourceRef(client.logicalId)),
        name: stringProperty(client, 'ClientName') ?? client.logicalId,
        explicitAuthFlows:
          property(client, 'ExplicitAuthFlows') === undefined
            ? [...DEFAULT_EXPLICIT_AUTH_FLOWS]
            : stringList(property(client, 'ExplicitAuthFlows'), client, ['ExplicitAuthFlows']),
      })),
    usernameAttributes: stringList(property(pool, 'UsernameAttributes'), pool, ['UsernameAttributes']),
    autoVerifiedAttributes: stringList(property(pool, 'AutoVerifiedAttributes'), pool, ['AutoVerifiedAttributes']),
    passwordPolicy: {
      minimumLength: asNumber(passwordPolicy['MinimumLength'], pool, [...policyPath, 'MinimumLength']) ?? 8,
      requireUppercase: required('RequireUppercase'),
      requireLowercase: required('RequireLowercase'),
      requireNumbers: required('RequireNumbers'),
      requireSymbols: required('RequireSymbols'),
      temporaryPasswordValidityDays:
        asNumber(passwordPolicy['TemporaryPasswordValidityDays'], pool, [
          ...policyPath,
          'TemporaryPasswordValidityDays',
        ]) ?? 7,
    },
    attributes: listProperty(pool, 'Schema').map((attribute, index) => {
      const path = ['Schema', String(index)];
      const record = isRecord(attribute) ? attribute : {};
      const name = asString(record['Name'], pool, [...path, 'Name']) ?? '';
      return {
        name: STANDARD_ATTRIBUTES.has(name) || name.startsWith('custom:') ? name : `custom:${name}`,
        required: asBoolean(record['Required'], pool, [...path, 'Required']) ?? false,
        mutable: asBoolean(record['Mutable'], pool, [...path, 'Mutable']) ?? true,
      };
    }),
    triggers: readTriggers(context, pool, lambdas),
  };
}

function readTriggers(context: LoaderContext, pool: StackResource, lambdas: LambdaIndex): Record<string, string> {
  const triggers: Record<string, string> = {};
  for (const [trigger, value] of Object.entries(recordProperty(pool, 'LambdaConfig') ?? {})) {
    if (trigger === 'KMSKeyID') continue;
    const arn = asString(isRecord(value) ? value['LambdaArn'] : value, pool, ['LambdaConfig', trigger]);
    if (arn === undefined) continue;
    const name = lambdas.nameFor(arn);
    if (name) triggers[trigger] = name;
    else
      flagUnsupported(
        context,
        pool,
        `user pool trigger ${trigger} invokes ${arn}, which is not a function of this backend`,
      );
  }
  return triggers;
}
