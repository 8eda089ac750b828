import { Amplify } from 'aws-amplify';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import { apiTargetOf, setApiTarget } from './state/api-target';
import { setStorageTarget, storageTargetOf } from './state/storage-target';

type AmplifyOutputsInput = Parameters<typeof parseAmplifyConfig>[0];

interface CustomEndpoints {
  userPoolEndpoint?: unknown;
  identityPoolEndpoint?: unknown;
}

/**
 * `Amplify.configure(outputs)`, honouring the Cognito endpoints declared in the outputs file.
 *
 * amplify_outputs.json has no field for a custom user pool or identity pool endpoint, but Amplify's
 * `Auth.Cognito.userPoolEndpoint` and `Auth.Cognito.identityPoolEndpoint` support them. When `custom.userPoolEndpoint`
 * or `custom.identityPoolEndpoint` is a string (the offline sandbox writes them), it is applied; otherwise this is
 * exactly `Amplify.configure(outputs)`. The API's host and the optional `custom.connectionHelp` are kept for the
 * messages shown when the API cannot be reached (state/api-target.ts); the attachments bucket's local endpoint and URL
 * rewrite, when the outputs carry them, for the Storage calls (state/storage-target.ts).
 */
export function configureAmplify(outputs: AmplifyOutputsInput): void {
  setApiTarget(apiTargetOf(outputs as Parameters<typeof apiTargetOf>[0]));
  setStorageTarget(storageTargetOf(outputs as Parameters<typeof storageTargetOf>[0]));
  const custom = (outputs as { custom?: CustomEndpoints }).custom;
  const userPoolEndpoint = typeof custom?.userPoolEndpoint === 'string' ? custom.userPoolEndpoint : undefined;
  const identityPoolEndpoint = typeof custom?.identityPoolEndpoint === 'string' ? custom.identityPoolEndpoint : undefined;
  if (userPoolEndpoint === undefined && identityPoolEndpoint === undefined) {
    Amplify.configure(outputs);
    return;
  }
  const config = parseAmplifyConfig(outputs);
  if (!config.Auth?.Cognito) throw new Error('amplify_outputs.json declares a custom Cognito endpoint but has no auth section');
  if (userPoolEndpoint !== undefined) config.Auth.Cognito.userPoolEndpoint = userPoolEndpoint;
  if (identityPoolEndpoint !== undefined) config.Auth.Cognito.identityPoolEndpoint = identityPoolEndpoint;
  Amplify.configure(config);
}
