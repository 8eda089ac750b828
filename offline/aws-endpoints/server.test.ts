import { afterEach, describe, expect, it } from 'vitest';
import type { BackendDescription } from '../loader/types';
import { startAwsEndpoints, type AwsEndpoints } from './server';
import { INVALID_SECURITY_TOKEN } from '../errors';

const PREFIX = '/amplify/resource_reference/app/sandbox';
const description = {
  region: 'us-east-1',
  accountId: '123456789012',
  api: { id: 'abcdefghijklmnopqrstuvwxyz' },
  modelIntrospection: { version: 1, models: { Message: { name: 'Message' } } },
  ssmParameters: {
    [`${PREFIX}/AMPLIFY_DATA_GRAPHQL_ENDPOINT`]: 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql',
    [`${PREFIX}/AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME`]: 'introspection-bucket',
    [`${PREFIX}/AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY`]: 'modelIntrospectionSchema.json',
    [`${PREFIX}/AMPLIFY_DATA_DEFAULT_NAME`]: 'amplifyData',
  },
} as unknown as BackendDescription;

const AUTH = 'AWS4-HMAC-SHA256 Credential=ASIAKNOWN/20250101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=00';

let endpoints: AwsEndpoints | undefined;
afterEach(async () => {
  await endpoints?.close();
  endpoints = undefined;
});

async function start(graphqlEndpoint?: string) {
  endpoints = await startAwsEndpoints({ description, graphqlEndpoint: () => graphqlEndpoint, accessKeyIds: () => ['ASIAKNOWN'] });
  return endpoints;
}

function getParameters(url: string, names: unknown, authorization = AUTH) {
  return fetch(url, {
    method: 'POST',
    headers: { 'x-amz-target': 'AmazonSSM.GetParameters', 'content-type': 'application/x-amz-json-1.1', authorization },
    body: JSON.stringify({ Names: names, WithDecryption: true }),
  });
}

describe('SSM GetParameters', () => {
  it('returns the parameters, with the GraphQL endpoint replaced by the local one', async () => {
    const { url } = await start('http://127.0.0.1:9999/graphql');
    const response = await getParameters(url, [`${PREFIX}/AMPLIFY_DATA_GRAPHQL_ENDPOINT`, `${PREFIX}/AMPLIFY_DATA_DEFAULT_NAME`]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const body = (await response.json()) as { Parameters: Record<string, unknown>[]; InvalidParameters: string[] };
    expect(body.InvalidParameters).toEqual([]);
    expect(body.Parameters).toHaveLength(2);
    expect(body.Parameters[0]).toMatchObject({
      Name: `${PREFIX}/AMPLIFY_DATA_GRAPHQL_ENDPOINT`,
      Value: 'http://127.0.0.1:9999/graphql',
      Type: 'String',
      Version: 1,
      DataType: 'text',
      ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${PREFIX}/AMPLIFY_DATA_GRAPHQL_ENDPOINT`,
    });
    expect(typeof body.Parameters[0]!.LastModifiedDate).toBe('number');
    expect(body.Parameters[1]).toMatchObject({ Name: `${PREFIX}/AMPLIFY_DATA_DEFAULT_NAME`, Value: 'amplifyData' });
  });

  it('lists unknown names under InvalidParameters', async () => {
    const { url } = await start();
    const body = (await (await getParameters(url, ['/nope', `${PREFIX}/AMPLIFY_DATA_DEFAULT_NAME`])).json()) as {
      Parameters: { Name: string }[];
      InvalidParameters: string[];
    };
    expect(body.InvalidParameters).toEqual(['/nope']);
    expect(body.Parameters.map((p) => p.Name)).toEqual([`${PREFIX}/AMPLIFY_DATA_DEFAULT_NAME`]);
  });

  it('answers other operations, bad input and unknown keys with AWS JSON errors', async () => {
    const { url } = await start();
    const other = await fetch(url, { method: 'POST', headers: { 'x-amz-target': 'AmazonSSM.PutParameter', authorization: AUTH }, body: '{}' });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    const tooMany = await getParameters(url, Array.from({ length: 11 }, (_, i) => `/p${i}`));
    expect(((await tooMany.json()) as { __type: string }).__type).toBe('ValidationException');
    const stranger = await getParameters(url, ['/x'], AUTH.replace('ASIAKNOWN', 'AKIASTRANGER'));
    expect(stranger.status).toBe(400);
    expect(await stranger.json()).toEqual({ __type: INVALID_SECURITY_TOKEN.errorType, message: INVALID_SECURITY_TOKEN.message });
  });
});

describe('S3 GetObject', () => {
  it('serves the model introspection schema at the bucket/key named in SSM', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/introspection-bucket/modelIntrospectionSchema.json?x-id=GetObject`, { headers: { authorization: AUTH } });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await response.json()).toEqual(description.modelIntrospection);
  });

  it('answers a missing key with NoSuchKey and a missing bucket with NoSuchBucket (XML)', async () => {
    const { url } = await start();
    const noKey = await fetch(`${url}/introspection-bucket/other.json`, { headers: { authorization: AUTH } });
    expect(noKey.status).toBe(404);
    expect(noKey.headers.get('content-type')).toBe('application/xml');
    const noKeyXml = await noKey.text();
    expect(noKeyXml).toContain('<Code>NoSuchKey</Code>');
    expect(noKeyXml).toContain('<Key>other.json</Key>');
    const noBucket = await fetch(`${url}/other-bucket/modelIntrospectionSchema.json`, { headers: { authorization: AUTH } });
    expect(noBucket.status).toBe(404);
    expect(await noBucket.text()).toContain('<Code>NoSuchBucket</Code>');
    const unsigned = await fetch(`${url}/introspection-bucket/modelIntrospectionSchema.json`);
    expect(unsigned.status).toBe(403);
  });
});
