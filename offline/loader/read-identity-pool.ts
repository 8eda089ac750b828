/**
 * The Cognito identity pool (`AWS::Cognito::IdentityPool`) that defineAuth adds, and the roles its
 * `AWS::Cognito::IdentityPoolRoleAttachment` assigns
 * ([AWS::Cognito::IdentityPoolRoleAttachment](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-identitypoolroleattachment.html)):
 * `Roles.authenticated` / `Roles.unauthenticated` are role ARNs, whose identity-based policies (defineStorage's access
 * rules among them) are read like a function's execution role. Role mappings by token or rules (`RoleMappings`) are
 * not applied offline: every signed-in identity gets the authenticated role, which is what Amplify's
 * `AmbiguousRoleResolution: AuthenticatedRole` mapping resolves to when the token carries no `cognito:roles` claim.
 */
import type { RolePolicyReaders } from './read-role-policies';
import { asString, booleanProperty, flagUnsupported, isRecord, listProperty, recordProperty, resourcesOfType, stringProperty, type LoaderContext } from './resource-properties';
import type { IdentityPoolDescription } from './types';

export function readIdentityPool(context: LoaderContext, roles: RolePolicyReaders): IdentityPoolDescription | undefined {
  const [pool, ...extra] = resourcesOfType(context, 'AWS::Cognito::IdentityPool');
  if (!pool) return undefined;
  for (const other of extra) flagUnsupported(context, other, 'only one identity pool per backend is emulated');
  const id = String(pool.stack.resourceRef(pool.logicalId));
  const providers = listProperty(pool, 'CognitoIdentityProviders').flatMap((entry, index) => {
    if (!isRecord(entry)) return [];
    const providerName = asString(entry['ProviderName'], pool, ['CognitoIdentityProviders', String(index), 'ProviderName']);
    if (!providerName) return [];
    return [{ providerName, clientId: asString(entry['ClientId'], pool, ['CognitoIdentityProviders', String(index), 'ClientId']) }];
  });
  const attachment = resourcesOfType(context, 'AWS::Cognito::IdentityPoolRoleAttachment').find((candidate) => stringProperty(candidate, 'IdentityPoolId') === id);
  const attached = attachment ? recordProperty(attachment, 'Roles') ?? {} : {};
  const roleOf = (kind: 'authenticated' | 'unauthenticated') => {
    const arn = attached[kind];
    return typeof arn === 'string' ? roles.forRole(arn) : undefined;
  };
  const authenticatedRole = roleOf('authenticated');
  const unauthenticatedRole = roleOf('unauthenticated');
  return {
    id,
    name: stringProperty(pool, 'IdentityPoolName') ?? pool.logicalId,
    allowUnauthenticatedIdentities: booleanProperty(pool, 'AllowUnauthenticatedIdentities') ?? false,
    providers,
    ...(authenticatedRole ? { authenticatedRole } : {}),
    ...(unauthenticatedRole ? { unauthenticatedRole } : {}),
  };
}
