import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRolePolicy } from '../iam/policy';
import { CloudAssembly } from './cloud-assembly';
import { loadCdkOut } from './load-cdk-out';
import { readLambdas } from './read-lambdas';
import { LoadedStack } from './stack-tree';
import type { BackendDescription, LambdaDescription } from './types';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');

describe('execution role policies of the synthesized chat backend', () => {
  let backend: BackendDescription;
  let rateLimitTableArn: string;
  const fn = (name: string): LambdaDescription => {
    const found = backend.lambdas.find((lambda) => lambda.name === name);
    if (!found) throw new Error(`no function ${name}`);
    return found;
  };

  beforeAll(() => {
    if (!existsSync(join(CDK_OUT, 'manifest.json'))) {
      throw new Error(`No synthesized backend at ${CDK_OUT}; run \`npm run synth\` before these tests.`);
    }
    backend = loadCdkOut(CDK_OUT);
    const table = backend.tables.find((t) => t.name.includes('SendRateLimit'));
    if (!table) throw new Error('no SendRateLimit table');
    // The ARN the endpoint computes from a request's TableName (aws-endpoints/dynamodb-proxy.ts).
    rateLimitTableArn = `arn:aws:dynamodb:${backend.region}:${backend.accountId}:table/${table.name}`;
    // The table name the function is given is the same table.
    expect(fn('message-processor').environment['SEND_RATE_LIMIT_TABLE']).toBe(table.name);
  });

  it('gives message-processor UpdateItem alone on the SendRateLimit table (Fn::GetAtt Arn), and only the item actions backend.ts grants elsewhere', () => {
    const policy = fn('message-processor').policy;
    expect(policy.roleArn).toBe(`arn:aws:iam::${backend.accountId}:role/${policy.roleName}`);
    expect(policy.skipped).toEqual([]);
    expect(policy.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    const onTable = policy.statements.filter((s) => s.resources?.includes(rateLimitTableArn));
    expect(onTable).toEqual([
      expect.objectContaining({ effect: 'Allow', actions: ['dynamodb:UpdateItem'], resources: [rateLimitTableArn] }),
    ]);
    // What amplify/backend.ts grants for the send transaction, createConversation, toggleReaction, markRead and search: items
    // and one key query, no scans or batches.
    const modelTable = (model: string) => backend.tables.find((t) => t.model === model)!.name;
    const granted = new Map<string, string[]>([
      [backend.tables.find((t) => t.name.includes('SendRateLimit'))!.name, ['UpdateItem']],
      [modelTable('Conversation'), ['GetItem', 'PutItem', 'UpdateItem']],
      [modelTable('Message'), ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']],
      // toggleReaction: one item per message, user and emoji; the users of one emoji on one message by the table's key.
      [modelTable('Reaction'), ['PutItem', 'DeleteItem', 'Query']],
      // markRead: one read point per conversation and user, moved by a conditional update and read back when refused.
      [modelTable('ReadReceipt'), ['GetItem', 'UpdateItem']],
      // searchMessages and the index kept on send/edit/remove: entries one item each, a word's entry by key, one partition.
      [backend.tables.find((t) => t.name.includes('MessageSearchIndexTable'))!.name, ['GetItem', 'BatchWriteItem', 'Query']],
    ]);
    const actions = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'DeleteTable'];
    for (const table of backend.tables) {
      const arn = `arn:aws:dynamodb:${backend.region}:${backend.accountId}:table/${table.name}`;
      for (const action of actions) {
        const allowed = evaluateRolePolicy(policy, { action: `dynamodb:${action}`, resource: arn }).allowed;
        expect(allowed, `${action} on ${table.name}`).toBe((granted.get(table.name) ?? []).includes(action));
      }
      // Nothing on the indexes either (a Query names the index ARN).
      expect(evaluateRolePolicy(policy, { action: 'dynamodb:Query', resource: `${arn}/index/x` }).allowed, `Query on ${table.name}'s indexes`).toBe(false);
    }
    // The rest of the role: SSM parameters, AppSync, the introspection schema object, and the attachments bucket.
    expect(policy.statements.flatMap((s) => s.actions ?? []).filter((a) => !a.startsWith('dynamodb:')).sort()).toEqual([
      'appsync:GraphQL',
      's3:DeleteObject',
      's3:GetObject',
      's3:GetObject',
      's3:PutObject',
      'ssm:GetParameters',
    ]);
    // amplify/storage/resource.ts: staged uploads read and deleted (never written), conversation files read, written and
    // deleted, nothing else of the bucket and no listing.
    const bucket = backend.buckets?.find((b) => b.friendlyName === 'chatAttachments');
    if (!bucket) throw new Error('no chatAttachments bucket');
    const can = (action: string, key: string) => evaluateRolePolicy(policy, { action, resource: `${bucket.arn}/${key}` }).allowed;
    const staged = 'uploads/us-east-1:11111111-2222-4333-a444-555555555555/0b7c/cat.png';
    const file = 'conversations/c1/m1/cat.png';
    expect(['s3:GetObject', 's3:DeleteObject', 's3:PutObject'].map((action) => can(action, staged))).toEqual([true, true, false]);
    expect(['s3:GetObject', 's3:DeleteObject', 's3:PutObject'].map((action) => can(action, file))).toEqual([true, true, true]);
    expect(['s3:GetObject', 's3:DeleteObject', 's3:PutObject'].map((action) => can(action, 'elsewhere/cat.png'))).toEqual([false, false, false]);
    expect(evaluateRolePolicy(policy, { action: 's3:ListBucket', resource: bucket.arn }).allowed).toBe(false);
  });

  it('gives the other functions no DynamoDB statement at all, and finds policies attached from another stack', () => {
    const others = backend.lambdas.filter((lambda) => lambda.appFunction && lambda.name !== 'message-processor');
    expect(others.map((lambda) => lambda.name).sort()).toEqual(['post-confirmation', 'presence', 'presence-sweeper']);
    for (const other of others) {
      expect(other.policy.statements.filter((s) => (s.actions ?? []).some((a) => a.toLowerCase().startsWith('dynamodb:') || a === '*')), other.name).toEqual([]);
      expect(evaluateRolePolicy(other.policy, { action: 'dynamodb:UpdateItem', resource: rateLimitTableArn }).allowed, other.name).toBe(false);
      expect(other.policy.skipped, other.name).toEqual([]);
    }
    // post-confirmation's role is in the auth stack; its GraphqlAccessPolicy is in the data stack (Roles via a parameter).
    const postConfirmation = fn('post-confirmation').policy;
    expect(postConfirmation.statements.find((s) => s.effect === 'Allow' && s.actions?.includes('appsync:GraphQL'))?.source).toMatch(/-data[0-9A-F]+\/GraphqlAccessPolicy/);
    // Deployment helpers are not evaluated: empty policy.
    expect(backend.lambdas.filter((lambda) => !lambda.appFunction).every((lambda) => lambda.policy.statements.length === 0)).toBe(true);
  });
});

describe('role policies that do not fully resolve (synthetic assembly)', () => {
  it('leaves out an unresolvable Allow, applies an unresolvable Deny to everything, and reads inline Policies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdk-out-roles-'));
    try {
      mkdirSync(join(dir, 'asset.code'));
      writeFileSync(join(dir, 'asset.code', 'index.mjs'), 'export const handler = async () => ({});\n');
      const files: Record<string, unknown> = {
        'manifest.json': { artifacts: { Root: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Root.template.json' } } } },
        'Root.assets.json': {
          files: { code: { source: { path: 'asset.code', packaging: 'zip' }, destinations: { d: { bucketName: 'b', objectKey: 'code.zip' } } } },
        },
        'Root.template.json': {
          Resources: {
            Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'Counters', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } },
            Role: {
              Type: 'AWS::IAM::Role',
              Properties: {
                Policies: [
                  {
                    PolicyName: 'inline',
                    PolicyDocument: { Statement: { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': ['Table', 'Arn'] } } },
                  },
                ],
              },
            },
            Policy: {
              Type: 'AWS::IAM::Policy',
              Properties: {
                Roles: [{ Ref: 'Role' }],
                PolicyDocument: {
                  Statement: [
                    { Effect: 'Allow', Action: 'dynamodb:*', Resource: { 'Fn::ImportValue': 'SomeExport' } },
                    { Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: { 'Fn::ImportValue': 'OtherExport' } },
                    { Effect: 'Allow', Action: ['dynamodb:UpdateItem'], Resource: [{ 'Fn::GetAtt': ['Table', 'Arn'] }] },
                  ],
                },
              },
            },
            Fn: {
              Type: 'AWS::Lambda::Function',
              Properties: {
                Code: { S3Bucket: 'b', S3Key: 'code.zip' },
                Handler: 'index.handler',
                Runtime: 'nodejs20.x',
                Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
                Tags: [{ Key: 'amplify:friendly-name', Value: 'counter' }],
              },
            },
          },
        },
      };
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
      const assembly = CloudAssembly.open(dir);
      const root = LoadedStack.loadRoot(assembly);
      const context = { assembly, root, resources: root.allStacks().flatMap((stack) => stack.resources()), unsupported: [] };
      const { policy } = readLambdas(context).lambdas.find((lambda) => lambda.name === 'counter')!;
      const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/Counters';
      expect(policy.statements.map((s) => [s.effect, s.actions, s.resources])).toEqual([
        ['Allow', ['dynamodb:GetItem'], [table]],
        ['Deny', ['*'], ['*']],
        ['Allow', ['dynamodb:UpdateItem'], [table]],
      ]);
      expect(policy.skipped).toHaveLength(2);
      expect(policy.skipped[0]).toMatch(/Policy Statement\[0\]: .*grants nothing offline/);
      expect(policy.skipped[1]).toMatch(/Policy Statement\[1\] \(Deny\): .*every action on every resource/);
      // The unresolvable Deny may deny more than AWS would, never less.
      expect(evaluateRolePolicy(policy, { action: 'dynamodb:UpdateItem', resource: table })).toMatchObject({ allowed: false, reason: 'explicit' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
