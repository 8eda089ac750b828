import { Amplify } from 'aws-amplify';
import { describe, expect, it } from 'vitest';
import { configureAmplify } from './amplify-config';
import { apiTarget } from './state/api-target';
import { storageTarget } from './state/storage-target';

const outputs = {
  version: '1.4',
  auth: { aws_region: 'us-east-1', user_pool_id: 'us-east-1_abc', user_pool_client_id: 'client123' },
  data: {
    url: 'https://127.0.0.1:20002/graphql',
    aws_region: 'us-east-1',
    default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
    authorization_types: [],
  },
};

describe('configureAmplify', () => {
  it('applies custom.userPoolEndpoint to Auth.Cognito', () => {
    configureAmplify({ ...outputs, custom: { userPoolEndpoint: 'http://127.0.0.1:20001' } } as Parameters<typeof configureAmplify>[0]);
    const config = Amplify.getConfig();
    expect(config.Auth?.Cognito.userPoolEndpoint).toBe('http://127.0.0.1:20001');
    expect(config.Auth?.Cognito.userPoolId).toBe('us-east-1_abc');
    expect(config.API?.GraphQL?.endpoint).toBe('https://127.0.0.1:20002/graphql');
  });

  it('is plain Amplify.configure(outputs) without one', () => {
    configureAmplify(outputs as Parameters<typeof configureAmplify>[0]);
    expect(Amplify.getConfig().Auth?.Cognito.userPoolEndpoint).toBeUndefined();
    expect(Amplify.getConfig().Auth?.Cognito.userPoolClientId).toBe('client123');
    expect(apiTarget()).toEqual({ host: '127.0.0.1:20002' });
  });

  it("keeps the API host and the outputs' connection help for the unreachable message", () => {
    configureAmplify({ ...outputs, custom: { userPoolEndpoint: 'http://127.0.0.1:20001', connectionHelp: 'Is the sandbox running?' } } as Parameters<
      typeof configureAmplify
    >[0]);
    expect(apiTarget()).toEqual({ host: '127.0.0.1:20002', help: 'Is the sandbox running?' });
  });
});

describe('configureAmplify with storage', () => {
  const withStorage = {
    ...outputs,
    auth: { ...outputs.auth, identity_pool_id: 'us-east-1:pool' },
    storage: { aws_region: 'us-east-1', bucket_name: 'chat-attachments.local' },
  };

  it('applies custom.identityPoolEndpoint and keeps the storage endpoint and URL rewrite for Storage calls', () => {
    configureAmplify({
      ...withStorage,
      custom: {
        userPoolEndpoint: 'https://127.0.0.1:20001',
        identityPoolEndpoint: 'https://127.0.0.1:20001',
        storageEndpoint: 'localhost:5173',
        storageUrlRewrite: { from: 'https://127.0.0.1:20005', to: 'https://localhost:5173/s3-presigned' },
      },
    } as Parameters<typeof configureAmplify>[0]);
    const config = Amplify.getConfig();
    expect(config.Auth?.Cognito.identityPoolEndpoint).toBe('https://127.0.0.1:20001');
    expect(config.Auth?.Cognito.identityPoolId).toBe('us-east-1:pool');
    expect(config.Storage?.S3.bucket).toBe('chat-attachments.local');
    expect(storageTarget()).toEqual({
      enabled: true,
      customEndpoint: 'localhost:5173',
      urlRewrite: { from: 'https://127.0.0.1:20005', to: 'https://localhost:5173/s3-presigned' },
    });
  });

  it('is plain Amplify Storage for deployed outputs (no custom fields)', () => {
    configureAmplify(withStorage as Parameters<typeof configureAmplify>[0]);
    expect(Amplify.getConfig().Auth?.Cognito.identityPoolEndpoint).toBeUndefined();
    expect(storageTarget()).toEqual({ enabled: true });
  });

  it('offers no attachments without a bucket', () => {
    configureAmplify(outputs as Parameters<typeof configureAmplify>[0]);
    expect(storageTarget()).toEqual({ enabled: false });
  });
});
