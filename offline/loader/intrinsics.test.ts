import { describe, expect, it } from 'vitest';
import { IntrinsicError, NO_VALUE, resolveIntrinsics, type IntrinsicScope } from './intrinsics';

/** A scope over a synthetic template: parameters, conditions and resources with fixed Ref / GetAtt answers. */
function scope(options: {
  parameters?: Record<string, unknown>;
  conditions?: Record<string, unknown>;
  resources?: Record<string, { ref: string; attributes?: Record<string, unknown> }>;
}): IntrinsicScope {
  const resources = options.resources ?? {};
  return {
    stackName: 'TestStack',
    pseudo: {
      region: 'us-east-1',
      accountId: '123456789012',
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
      stackName: 'TestStack',
      stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/x',
    },
    conditions: options.conditions ?? {},
    mappings: { Sizes: { small: { mem: 128 } } },
    parameter: (name) =>
      options.parameters && name in options.parameters ? { value: options.parameters[name] } : undefined,
    hasResource: (logicalId) => logicalId in resources,
    resourceRef: (logicalId) => resources[logicalId]?.ref,
    resourceAttribute: (logicalId, attribute) => {
      const value = resources[logicalId]?.attributes?.[attribute];
      if (value === undefined) throw new Error(`attribute ${attribute} unknown`);
      return value;
    },
  };
}

const at = ['Resources', 'R', 'Properties', 'P'];

describe('resolveIntrinsics', () => {
  it('resolves Ref to pseudo parameters, parameters and resources', () => {
    const s = scope({ parameters: { Env: 'dev' }, resources: { Table: { ref: 'table-name' } } });
    expect(
      resolveIntrinsics(
        [
          { Ref: 'AWS::Region' },
          { Ref: 'AWS::AccountId' },
          { Ref: 'AWS::Partition' },
          { Ref: 'AWS::StackName' },
          { Ref: 'Env' },
          { Ref: 'Table' },
        ],
        s,
        at,
      ),
    ).toEqual(['us-east-1', '123456789012', 'aws', 'TestStack', 'dev', 'table-name']);
  });

  it('drops AWS::NoValue from objects and lists, and returns NO_VALUE at the top', () => {
    const s = scope({});
    expect(resolveIntrinsics({ a: { Ref: 'AWS::NoValue' }, b: [1, { Ref: 'AWS::NoValue' }, 2] }, s, at)).toEqual({
      b: [1, 2],
    });
    expect(resolveIntrinsics({ Ref: 'AWS::NoValue' }, s, at)).toBe(NO_VALUE);
  });

  it('evaluates Fn::Sub in both forms, with GetAtt, Ref, variables and ${!literal}', () => {
    const s = scope({
      parameters: { Env: 'dev' },
      resources: { Api: { ref: 'arn:api', attributes: { ApiId: 'abc', 'Outputs.Url': 'https://x' } } },
    });
    expect(
      resolveIntrinsics(
        { 'Fn::Sub': 's3://b-${AWS::AccountId}-${AWS::Region}/${Env}/${Api.ApiId}/${!Literal}' },
        s,
        at,
      ),
    ).toBe('s3://b-123456789012-us-east-1/dev/abc/${Literal}');
    expect(
      resolveIntrinsics(
        {
          'Fn::Sub': [
            '${Greeting}, ${Env} at ${Api.Outputs.Url}',
            { Greeting: { 'Fn::Join': ['', ['hel', 'lo']] }, Env: 'override' },
          ],
        },
        s,
        at,
      ),
    ).toBe('hello, override at https://x');
  });

  it('evaluates Fn::If with conditions built from Equals / Not / And / Or / Condition', () => {
    const s = scope({
      parameters: { Billing: 'PAY_PER_REQUEST', Env: 'NONE' },
      conditions: {
        PayPerRequest: { 'Fn::Equals': [{ Ref: 'Billing' }, 'PAY_PER_REQUEST'] },
        HasEnv: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Env' }, 'NONE'] }] },
        Both: { 'Fn::And': [{ Condition: 'PayPerRequest' }, { Condition: 'HasEnv' }] },
        Either: { 'Fn::Or': [{ Condition: 'PayPerRequest' }, { Condition: 'HasEnv' }] },
      },
    });
    const value = {
      billing: { 'Fn::If': ['PayPerRequest', 'PAY_PER_REQUEST', { Ref: 'AWS::NoValue' }] },
      throughput: { 'Fn::If': ['PayPerRequest', { Ref: 'AWS::NoValue' }, { Read: 5 }] },
      both: { 'Fn::If': ['Both', 'yes', 'no'] },
      either: { 'Fn::If': ['Either', 'yes', 'no'] },
    };
    expect(resolveIntrinsics(value, s, at)).toEqual({ billing: 'PAY_PER_REQUEST', both: 'no', either: 'yes' });
  });

  it('evaluates Select over Split (how Amplify derives a table name from its ARN), Join, GetAZs, FindInMap', () => {
    const s = scope({
      resources: {
        Table: { ref: 't', attributes: { TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Message-x-NONE' } },
      },
    });
    const tableName = {
      'Fn::Select': [
        1,
        { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Table', 'TableArn'] }] }] }] },
      ],
    };
    expect(resolveIntrinsics(tableName, s, at)).toBe('Message-x-NONE');
    expect(resolveIntrinsics({ 'Fn::Join': [',', ['a', 1, { Ref: 'AWS::URLSuffix' }]] }, s, at)).toBe(
      'a,1,amazonaws.com',
    );
    expect(resolveIntrinsics({ 'Fn::Select': ['0', { 'Fn::GetAZs': '' }] }, s, at)).toBe('us-east-1a');
    expect(resolveIntrinsics({ 'Fn::FindInMap': ['Sizes', 'small', 'mem'] }, s, at)).toBe(128);
    expect(resolveIntrinsics({ 'Fn::GetAtt': 'Table.TableArn' }, s, at)).toMatch(/^arn:aws:dynamodb:/);
  });

  it('reports unknown intrinsics with stack, logical id and property path', () => {
    const s = scope({});
    const evaluate = () => resolveIntrinsics({ nested: [{ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }] }, s, at);
    expect(evaluate).toThrow(IntrinsicError);
    expect(evaluate).toThrow(
      'unsupported intrinsic function Fn::Cidr (stack TestStack, resource R, property path Properties.P.nested.0.Fn::Cidr)',
    );
  });

  it('reports Fn::ImportValue, unknown Refs, unknown conditions, bad Select indexes and failing GetAtts', () => {
    const s = scope({ resources: { Fn: { ref: 'fn' } } });
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'SharedVpc' }, s, at)).toThrow(
      /Fn::ImportValue "SharedVpc" is not supported offline/,
    );
    expect(() => resolveIntrinsics({ Ref: 'Missing' }, s, at)).toThrow(
      /Ref to Missing, which is neither a parameter nor a resource/,
    );
    expect(() => resolveIntrinsics({ 'Fn::If': ['Nope', 1, 2] }, s, at)).toThrow(/unknown condition Nope/);
    expect(() => resolveIntrinsics({ 'Fn::Select': [3, ['a']] }, s, at)).toThrow(/out of range/);
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': ['Fn', 'Bogus'] }, s, at)).toThrow(
      /attribute Bogus unknown \(stack TestStack, resource R, property path Properties\.P\.Fn::GetAtt\)/,
    );
  });
});
