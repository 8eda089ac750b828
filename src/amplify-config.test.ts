import { Amplify } from 'aws-amplify';
import { describe, expect, it } from 'vitest';
import { configureAmplify } from './amplify-config';
import { apiTarget } from './state/api-target';

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
