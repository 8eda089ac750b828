import { describe, expect, it } from 'vitest';
import type { IamStatement, RolePolicyDescription } from '../loader/types';
import { evaluateAll, evaluateRolePolicy, evaluateStatements } from './policy';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/SendRateLimit';
const OTHER = 'arn:aws:dynamodb:us-east-1:123456789012:table/Message';

const allow = (actions: string[], resources: string[], extra: Partial<IamStatement> = {}): IamStatement => ({ effect: 'Allow', actions, resources, source: 'test', ...extra });
const deny = (actions: string[], resources: string[], extra: Partial<IamStatement> = {}): IamStatement => ({ effect: 'Deny', actions, resources, source: 'test', ...extra });
const decide = (statements: IamStatement[], action: string, resource: string | undefined) => evaluateStatements(statements, { action, resource });

describe('evaluateStatements', () => {
  it('allows only what an Allow statement names, else denies implicitly', () => {
    const policy = [allow(['dynamodb:UpdateItem'], [TABLE])];
    expect(decide(policy, 'dynamodb:UpdateItem', TABLE)).toEqual({ allowed: true });
    expect(decide(policy, 'dynamodb:GetItem', TABLE)).toEqual({ allowed: false, reason: 'implicit' });
    expect(decide(policy, 'dynamodb:UpdateItem', OTHER)).toEqual({ allowed: false, reason: 'implicit' });
    expect(decide([], 'dynamodb:UpdateItem', TABLE)).toEqual({ allowed: false, reason: 'implicit' });
  });

  it('lets an explicit Deny win over any Allow, in any order', () => {
    const denial = deny(['dynamodb:*'], [TABLE]);
    for (const policy of [[allow(['*'], ['*']), denial], [denial, allow(['*'], ['*'])]]) {
      expect(decide(policy, 'dynamodb:UpdateItem', TABLE)).toEqual({ allowed: false, reason: 'explicit', statement: denial });
      expect(decide(policy, 'dynamodb:UpdateItem', OTHER)).toEqual({ allowed: true });
    }
  });

  it('matches * and ? wildcards, action names case-insensitively and resources case-sensitively', () => {
    const policy = [allow(['DynamoDB:Update*', 'dynamodb:?etItem'], ['arn:aws:dynamodb:us-east-1:123456789012:table/Send*'])];
    expect(decide(policy, 'dynamodb:UpdateItem', TABLE).allowed).toBe(true);
    expect(decide(policy, 'dynamodb:updatetable', TABLE).allowed).toBe(true);
    expect(decide(policy, 'dynamodb:GetItem', TABLE).allowed).toBe(true);
    expect(decide(policy, 'dynamodb:BatchGetItem', TABLE).allowed).toBe(false);
    expect(decide(policy, 'dynamodb:UpdateItem', `${TABLE}/index/byUser`).allowed).toBe(true);
    expect(decide(policy, 'dynamodb:UpdateItem', TABLE.replace('SendRateLimit', 'sendRateLimit')).allowed).toBe(false);
    expect(decide(policy, 'dynamodb:UpdateItem', OTHER).allowed).toBe(false);
    // Regular-expression characters in a pattern are literal.
    expect(decide([allow(['dynamodb:UpdateItem'], ['arn:aws:dynamodb:us-east-1:123456789012:table/a.b'])], 'dynamodb:UpdateItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/axb').allowed).toBe(false);
  });

  it('never grants through a Condition it cannot evaluate, and applies a conditional Deny', () => {
    const condition = { StringEquals: { 'aws:PrincipalTag/team': 'chat' } };
    expect(decide([allow(['dynamodb:UpdateItem'], [TABLE], { condition })], 'dynamodb:UpdateItem', TABLE)).toEqual({ allowed: false, reason: 'implicit' });
    const policy = [allow(['dynamodb:*'], ['*']), deny(['dynamodb:DeleteTable'], ['*'], { condition })];
    expect(decide(policy, 'dynamodb:DeleteTable', TABLE)).toMatchObject({ allowed: false, reason: 'explicit' });
    expect(decide(policy, 'dynamodb:UpdateItem', TABLE).allowed).toBe(true);
  });

  it('evaluates NotAction / NotResource, and decides policy variables and unknown resources in the safe direction', () => {
    const notAction: IamStatement = { effect: 'Allow', notActions: ['dynamodb:DeleteTable', 'iam:*'], resources: [TABLE], source: 'test' };
    expect(decide([notAction], 'dynamodb:UpdateItem', TABLE).allowed).toBe(true);
    expect(decide([notAction], 'dynamodb:DeleteTable', TABLE).allowed).toBe(false);
    expect(decide([notAction], 'dynamodb:UpdateItem', OTHER).allowed).toBe(false);
    const denyAllBut: IamStatement = { effect: 'Deny', notActions: ['dynamodb:GetItem'], resources: ['*'], source: 'test' };
    expect(decide([allow(['*'], ['*']), denyAllBut], 'dynamodb:PutItem', TABLE)).toMatchObject({ allowed: false, reason: 'explicit' });
    expect(decide([allow(['*'], ['*']), denyAllBut], 'dynamodb:GetItem', TABLE).allowed).toBe(true);
    const notResource: IamStatement = { effect: 'Allow', actions: ['dynamodb:*'], notResources: [OTHER], source: 'test' };
    expect(decide([notResource], 'dynamodb:PutItem', TABLE).allowed).toBe(true);
    expect(decide([notResource], 'dynamodb:PutItem', OTHER).allowed).toBe(false);

    const variable = 'arn:aws:dynamodb:us-east-1:123456789012:table/${aws:username}';
    expect(decide([allow(['dynamodb:*'], [variable])], 'dynamodb:PutItem', TABLE).allowed).toBe(false);
    expect(decide([allow(['*'], ['*']), deny(['dynamodb:*'], [variable])], 'dynamodb:PutItem', TABLE)).toMatchObject({ allowed: false, reason: 'explicit' });
    // Unknown resource: granted only by Resource "*", refused by a Deny on any resource.
    expect(decide([allow(['dynamodb:ListTables'], [TABLE])], 'dynamodb:ListTables', undefined).allowed).toBe(false);
    expect(decide([allow(['dynamodb:ListTables'], ['*'])], 'dynamodb:ListTables', undefined).allowed).toBe(true);
    expect(decide([allow(['*'], ['*']), deny(['dynamodb:ListTables'], [TABLE])], 'dynamodb:ListTables', undefined).allowed).toBe(false);
  });
});

describe('evaluateRolePolicy / evaluateAll', () => {
  const role = (statements: IamStatement[], boundary?: RolePolicyDescription['permissionsBoundary']): RolePolicyDescription => ({
    statements,
    managedPolicyArns: [],
    skipped: [],
    ...(boundary ? { permissionsBoundary: boundary } : {}),
  });

  it('requires the permissions boundary to allow too, and refuses when its statements are unknown', () => {
    const policy = [allow(['dynamodb:*'], ['*'])];
    expect(evaluateRolePolicy(role(policy, { arn: 'b', statements: [allow(['dynamodb:UpdateItem'], ['*'])] }), { action: 'dynamodb:UpdateItem', resource: TABLE }).allowed).toBe(true);
    expect(evaluateRolePolicy(role(policy, { arn: 'b', statements: [allow(['dynamodb:UpdateItem'], ['*'])] }), { action: 'dynamodb:GetItem', resource: TABLE })).toEqual({ allowed: false, reason: 'boundary' });
    expect(evaluateRolePolicy(role(policy, { arn: 'arn:aws:iam::aws:policy/Unknown' }), { action: 'dynamodb:UpdateItem', resource: TABLE }).allowed).toBe(false);
    expect(evaluateRolePolicy(undefined, { action: 'dynamodb:UpdateItem', resource: TABLE }).allowed).toBe(false);
  });

  it('allows a multi-table request only when every table is allowed, naming the first refused one', () => {
    const policy = role([allow(['dynamodb:BatchWriteItem'], [TABLE])]);
    const requests = [TABLE, OTHER].map((resource) => ({ action: 'dynamodb:BatchWriteItem', resource }));
    expect(evaluateAll(policy, requests)).toEqual({ allowed: false, request: requests[1], decision: { allowed: false, reason: 'implicit' } });
    expect(evaluateAll(policy, requests.slice(0, 1))).toEqual({ allowed: true });
  });
});

describe('policy variables and conditions with a request context (identity pool roles on S3)', () => {
  const BUCKET = 'arn:aws:s3:::media-bucket';
  const SUB = 'us-east-1:11111111-2222-4333-a444-555555555555';
  const OTHER_SUB = 'us-east-1:99999999-2222-4333-a444-555555555555';
  const ownPath = allow(['s3:GetObject'], [`${BUCKET}/media/\${cognito-identity.amazonaws.com:sub}/*`]);
  const listing = allow(['s3:ListBucket'], [BUCKET], {
    condition: { StringLike: { 's3:prefix': ['media/${cognito-identity.amazonaws.com:sub}/*', 'media/${cognito-identity.amazonaws.com:sub}/', 'shared/*'] } },
  });
  const as = (sub: string, extra: Record<string, string | null> = {}) => ({ 'cognito-identity.amazonaws.com:sub': sub, ...extra });

  it('replaces ${…} in a resource with the context value, literally, and leaves it unknown without one', () => {
    expect(evaluateStatements([ownPath], { action: 's3:GetObject', resource: `${BUCKET}/media/${SUB}/a.png`, context: as(SUB) })).toEqual({ allowed: true });
    expect(evaluateStatements([ownPath], { action: 's3:GetObject', resource: `${BUCKET}/media/${OTHER_SUB}/a.png`, context: as(SUB) }).allowed).toBe(false);
    // A variable's value is literal: a `*` in it is no wildcard.
    expect(evaluateStatements([ownPath], { action: 's3:GetObject', resource: `${BUCKET}/media/x/a.png`, context: as('*') }).allowed).toBe(false);
    expect(evaluateStatements([ownPath], { action: 's3:GetObject', resource: `${BUCKET}/media/${SUB}/a.png` }).allowed).toBe(false);
    const denyOthers = deny(['s3:*'], [`${BUCKET}/private/\${cognito-identity.amazonaws.com:sub}/*`]);
    expect(evaluateStatements([allow(['s3:*'], ['*']), denyOthers], { action: 's3:GetObject', resource: `${BUCKET}/private/${SUB}/a` })).toMatchObject({ allowed: false, reason: 'explicit' });
    expect(evaluateStatements([allow(['s3:*'], ['*']), denyOthers], { action: 's3:GetObject', resource: `${BUCKET}/private/${SUB}/a`, context: as(OTHER_SUB) }).allowed).toBe(true);
  });

  it('evaluates StringLike on s3:prefix with variables in the values; an absent prefix does not match', () => {
    const list = (prefix: string | null, sub = SUB) => evaluateStatements([listing], { action: 's3:ListBucket', resource: BUCKET, context: as(sub, { 's3:prefix': prefix }) }).allowed;
    expect(list(`media/${SUB}/`)).toBe(true);
    expect(list(`media/${SUB}/photos/`)).toBe(true);
    expect(list('shared/')).toBe(true);
    expect(list(`media/${OTHER_SUB}/`)).toBe(false);
    expect(list('media/')).toBe(false);
    expect(list('')).toBe(false);
    expect(list(null)).toBe(false);
    // Without a context the condition cannot be evaluated: no grant.
    expect(evaluateStatements([listing], { action: 's3:ListBucket', resource: BUCKET }).allowed).toBe(false);
  });

  it('evaluates the other string operators, IfExists, the set qualifiers and Null; other operators stay unknown', () => {
    const one = (condition: Record<string, unknown>, context: Record<string, string | string[] | null>) =>
      evaluateStatements([allow(['s3:GetObject'], ['*'], { condition })], { action: 's3:GetObject', resource: `${BUCKET}/k`, context }).allowed;
    expect(one({ StringEquals: { 'aws:k': 'a' } }, { 'aws:k': 'a' })).toBe(true);
    expect(one({ StringEquals: { 'aws:k': 'a' } }, { 'aws:k': 'A' })).toBe(false);
    expect(one({ StringEqualsIgnoreCase: { 'aws:k': 'a' } }, { 'aws:k': 'A' })).toBe(true);
    expect(one({ StringNotEquals: { 'aws:k': 'a' } }, { 'aws:k': 'b' })).toBe(true);
    expect(one({ StringNotEquals: { 'aws:k': 'a' } }, { 'aws:k': null })).toBe(true);
    expect(one({ StringNotLike: { 'aws:k': 'a*' } }, { 'aws:k': 'ab' })).toBe(false);
    expect(one({ StringEqualsIfExists: { 'aws:k': 'a' } }, { 'aws:k': null })).toBe(true);
    expect(one({ 'ForAnyValue:StringLike': { 'aws:k': 'auth*' } }, { 'aws:k': ['x', 'authenticated'] })).toBe(true);
    expect(one({ 'ForAllValues:StringLike': { 'aws:k': 'auth*' } }, { 'aws:k': ['x', 'authenticated'] })).toBe(false);
    expect(one({ Null: { 'aws:k': 'true' } }, { 'aws:k': null })).toBe(true);
    expect(one({ Null: { 'aws:k': 'true' } }, { 'aws:k': 'a' })).toBe(false);
    // Both blocks must hold.
    expect(one({ StringEquals: { 'aws:k': 'a' }, StringLike: { 'aws:j': 'z*' } }, { 'aws:k': 'a', 'aws:j': 'y' })).toBe(false);
    // A key the context does not model, or an operator not evaluated offline: never a grant, and a Deny applies.
    expect(one({ StringEquals: { 'aws:PrincipalTag/team': 'chat' } }, { 'aws:k': 'a' })).toBe(false);
    expect(one({ NumericLessThan: { 'aws:k': '3' } }, { 'aws:k': '1' })).toBe(false);
    const conditionalDeny = deny(['s3:*'], ['*'], { condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
    expect(evaluateStatements([allow(['s3:*'], ['*']), conditionalDeny], { action: 's3:GetObject', resource: `${BUCKET}/k`, context: { 'aws:SourceIp': '127.0.0.1' } })).toMatchObject({ allowed: false, reason: 'explicit' });
  });
});
