/**
 * The identity-based policy of each app function's execution role, so the sandbox can refuse what AWS would refuse
 * (offline/iam/policy.ts evaluates it on the direct DynamoDB path).
 *
 * A function's `Role` is `Fn::GetAtt [<Role>, Arn]`. Its statements come from:
 * - the role's own `Policies` (inline policies);
 * - `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` resources whose `Roles` name it, and `AWS::IAM::RolePolicy`
 *   resources whose `RoleName` does. Amplify's CDK does put them in another stack than the role: in this app the
 *   `GraphqlAccessPolicy` for the post-confirmation function lives in the data stack and names the auth stack's role
 *   through a nested-stack parameter. So attachments are matched by the *resolved* role name across all stacks, not by
 *   `{Ref: <RoleLogicalId>}` in one template;
 * - customer managed policies of the assembly listed in the role's `ManagedPolicyArns`. Other managed policy ARNs (AWS
 *   managed, e.g. AWSLambdaBasicExecutionRole, which grants only `logs:*`) are recorded, not evaluated.
 *
 * Unresolvable parts are never guessed in the permissive direction: an Allow statement that does not resolve is left
 * out (it grants nothing offline); a Deny statement that does not resolve is kept as a Deny of every action on every
 * resource (it may deny more than AWS would, never less). Both are listed in `skipped`.
 */
import { NO_VALUE, resolveIntrinsics } from './intrinsics';
import { isRecord, resourcesOfType, type LoaderContext } from './resource-properties';
import type { LoadedStack, StackResource } from './stack-tree';
import type { IamStatement, RolePolicyDescription } from './types';

/** The policy description of a function that is not evaluated (deployment helpers). */
export function emptyRolePolicy(): RolePolicyDescription {
  return { statements: [], managedPolicyArns: [], skipped: [] };
}

interface PolicySource {
  stack: LoadedStack;
  /** Template path of the policy document, e.g. `['Resources', 'X', 'Properties', 'PolicyDocument']`. */
  path: string[];
  rawDocument: unknown;
  /** For `IamStatement.source`. */
  label: string;
}

export type RolePolicyReader = (fn: StackResource) => RolePolicyDescription;

export interface RolePolicyReaders {
  /** A function's execution role (its `Role` property). */
  forFunction: RolePolicyReader;
  /** The role with this ARN, e.g. an identity pool's authenticated role. */
  forRole(roleArn: string): RolePolicyDescription;
}

/** Indexes the roles and policies of the whole assembly once; returns the reader for one function. */
export function createRolePolicyReader(context: LoaderContext): RolePolicyReader {
  return createRolePolicyReaders(context).forFunction;
}

/** Indexes the roles and policies of the whole assembly once; returns the readers by function and by role ARN. */
export function createRolePolicyReaders(context: LoaderContext): RolePolicyReaders {
  const rolesByArn = new Map<string, StackResource>();
  for (const role of resourcesOfType(context, 'AWS::IAM::Role')) {
    const arn = attempt(() => role.stack.resourceAttribute(role.logicalId, 'Arn'));
    if (typeof arn === 'string') rolesByArn.set(arn, role);
  }

  // Role name → policy documents attached to it by separate resources.
  const attached = new Map<string, PolicySource[]>();
  const unattributable: PolicySource[] = [];
  const attach = (roleName: string, source: PolicySource) => {
    if (!attached.has(roleName)) attached.set(roleName, []);
    attached.get(roleName)!.push(source);
  };
  const documentOf = (resource: StackResource): PolicySource => ({
    stack: resource.stack,
    path: ['Resources', resource.logicalId, 'Properties', 'PolicyDocument'],
    rawDocument: resource.stack.rawProperty(resource.logicalId, 'PolicyDocument'),
    label: `${resource.stack.stackName}/${resource.logicalId}`,
  });
  for (const policy of resourcesOfType(context, 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy')) {
    const property = policy.type === 'AWS::IAM::RolePolicy' ? 'RoleName' : 'Roles';
    const value = attempt(() => policy.stack.property(policy.logicalId, property));
    const names = typeof value === 'string' ? [value] : Array.isArray(value) ? value : value === undefined ? [] : undefined;
    if (!names || names.some((name) => typeof name !== 'string')) {
      unattributable.push(documentOf(policy));
      continue;
    }
    for (const name of names as string[]) attach(name, documentOf(policy));
  }

  // Customer managed policies of the assembly by ARN (what `Ref` of an AWS::IAM::ManagedPolicy returns).
  const managedByArn = new Map<string, StackResource>();
  for (const policy of resourcesOfType(context, 'AWS::IAM::ManagedPolicy')) {
    const arn = attempt(() => policy.stack.resourceRef(policy.logicalId));
    if (typeof arn === 'string') managedByArn.set(arn, policy);
  }

  /** Every statement that applies to the role with this ARN (a function's execution role, an identity pool's role). */
  /** A policy whose roles do not resolve: its Allow statements grant nothing, its Deny statements apply to every role. */
  const withUnattributableDenies = (): RolePolicyDescription => {
    const description = emptyRolePolicy();
    for (const source of unattributable) {
      description.skipped.push(`${source.label}: its roles do not resolve offline; only its Deny statements apply (to every function)`);
      description.statements.push(...readStatements(source, []).filter((statement) => statement.effect === 'Deny'));
    }
    return description;
  };
  const forRole = (roleArn: string): RolePolicyDescription => {
    const description = withUnattributableDenies();
    description.roleArn = roleArn;
    description.roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    const role = rolesByArn.get(roleArn);
    if (!role) {
      // An imported role (`Role.fromRoleArn`): its policies are not in the assembly, so nothing is allowed offline.
      description.skipped.push(`role ${roleArn} is not defined in the cloud assembly: no statement applies`);
      return description;
    }

    const sources: PolicySource[] = [];
    const inline = role.stack.rawProperty(role.logicalId, 'Policies');
    if (Array.isArray(inline)) {
      inline.forEach((item: unknown, index) => {
        const path = ['Resources', role.logicalId, 'Properties', 'Policies', String(index)];
        // Usually `{PolicyName, PolicyDocument}`; an intrinsic (Fn::If) around the item is resolved as a whole.
        const entry = isRecord(item) && 'PolicyDocument' in item ? item : attempt(() => resolveIntrinsics(item, role.stack, path));
        if (entry === NO_VALUE) return;
        if (!isRecord(entry)) {
          description.skipped.push(`${role.stack.stackName}/${role.logicalId} Policies[${index}] does not resolve offline`);
          return;
        }
        sources.push({
          stack: role.stack,
          path: [...path, 'PolicyDocument'],
          rawDocument: entry['PolicyDocument'],
          label: `${role.stack.stackName}/${role.logicalId} Policies[${typeof entry['PolicyName'] === 'string' ? entry['PolicyName'] : index}]`,
        });
      });
    }
    sources.push(...(attached.get(description.roleName) ?? []));

    const managed = attempt(() => role.stack.property(role.logicalId, 'ManagedPolicyArns'));
    for (const arn of Array.isArray(managed) ? managed : []) {
      if (typeof arn !== 'string') continue;
      const policy = managedByArn.get(arn);
      // Attached both ways (ManagedPolicyArns and the policy's Roles): read once.
      if (policy && !sources.some((source) => source.label === `${policy.stack.stackName}/${policy.logicalId}`)) sources.push(documentOf(policy));
      else if (!policy) description.managedPolicyArns.push(arn);
    }
    if (managed !== undefined && !Array.isArray(managed)) {
      description.skipped.push(`${role.stack.stackName}/${role.logicalId} ManagedPolicyArns do not resolve offline (only AWS managed policies would be lost)`);
    }

    for (const source of sources) description.statements.push(...readStatements(source, description.skipped));

    if (role.stack.rawProperty(role.logicalId, 'PermissionsBoundary') !== undefined) {
      const arn = attempt(() => role.stack.property(role.logicalId, 'PermissionsBoundary'));
      const policy = typeof arn === 'string' ? managedByArn.get(arn) : undefined;
      description.permissionsBoundary = {
        arn: typeof arn === 'string' ? arn : '(unresolvable)',
        ...(policy ? { statements: readStatements(documentOf(policy), description.skipped) } : {}),
      };
    }
    return description;
  };

  const forFunction = (fn: StackResource): RolePolicyDescription => {
    const roleArn = attempt(() => fn.stack.property(fn.logicalId, 'Role'));
    if (typeof roleArn === 'string') return forRole(roleArn);
    const description = withUnattributableDenies();
    description.skipped.push(`the Role of ${fn.stack.stackName}/${fn.logicalId} does not resolve offline: no statement applies`);
    return description;
  };
  return { forFunction, forRole };
}

/** The statements of one policy document, each resolved on its own so one bad statement does not hide the others. */
function readStatements(source: PolicySource, skipped: string[]): IamStatement[] {
  let document = source.rawDocument;
  let rawStatements = isRecord(document) ? document['Statement'] : undefined;
  if (!Array.isArray(rawStatements) && !isRecord(rawStatements)) {
    // The document or its Statement is itself an intrinsic: resolve the whole document.
    document = attempt(() => resolveIntrinsics(source.rawDocument, source.stack, source.path));
    rawStatements = isRecord(document) ? document['Statement'] : undefined;
    if (!Array.isArray(rawStatements) && !isRecord(rawStatements)) {
      skipped.push(`${source.label}: the policy document does not resolve offline; none of its statements apply`);
      return [];
    }
  }
  const list: unknown[] = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  const statements: IamStatement[] = [];
  list.forEach((raw, index) => {
    const label = `${source.label} Statement[${index}]`;
    const resolved = attempt(() => resolveIntrinsics(raw, source.stack, [...source.path, 'Statement', String(index)]));
    if (resolved === NO_VALUE) return;
    const statement = isRecord(resolved) ? normalizeStatement(resolved, source.label) : 'it does not resolve offline';
    if (typeof statement !== 'string') {
      statements.push(statement);
      return;
    }
    if (isRecord(raw) && raw['Effect'] === 'Deny') {
      // Safe direction: an unreadable Deny denies everything rather than nothing.
      skipped.push(`${label} (Deny): ${statement}; applied as a Deny of every action on every resource`);
      statements.push({ effect: 'Deny', actions: ['*'], resources: ['*'], source: `${label} (unresolvable Deny, applied to everything)` });
    } else {
      skipped.push(`${label}: ${statement}; it grants nothing offline`);
    }
  });
  return statements;
}

/** The normalized statement, or why it is not a valid identity-policy statement. */
function normalizeStatement(raw: Record<string, unknown>, source: string): IamStatement | string {
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') return `Effect ${JSON.stringify(effect)} is neither Allow nor Deny`;
  if ('Principal' in raw || 'NotPrincipal' in raw) return 'an identity-based policy statement cannot name a Principal';
  const statement: IamStatement = { effect, source };
  if (typeof raw['Sid'] === 'string') statement.sid = raw['Sid'];
  const lists: [keyof IamStatement & ('actions' | 'notActions' | 'resources' | 'notResources'), string][] = [
    ['actions', 'Action'],
    ['notActions', 'NotAction'],
    ['resources', 'Resource'],
    ['notResources', 'NotResource'],
  ];
  for (const [key, name] of lists) {
    const value = raw[name];
    if (value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    if (!items.every((item): item is string => typeof item === 'string')) return `${name} must be strings`;
    statement[key] = items;
  }
  if ((statement.actions === undefined) === (statement.notActions === undefined)) return 'it needs exactly one of Action and NotAction';
  if ((statement.resources === undefined) === (statement.notResources === undefined)) return 'it needs exactly one of Resource and NotResource';
  const condition = raw['Condition'];
  if (condition !== undefined) {
    if (!isRecord(condition)) return 'Condition must be an object';
    statement.condition = condition;
  }
  return statement;
}

/** The value, or `undefined` when it cannot be evaluated offline (IntrinsicError and the like). */
function attempt<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}
