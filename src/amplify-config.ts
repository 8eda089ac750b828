import { Amplify } from 'aws-amplify';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import { apiTargetOf, setApiTarget } from './state/api-target';

type AmplifyOutputsInput = Parameters<typeof parseAmplifyConfig>[0];

/**
 * `Amplify.configure(outputs)`, honouring a Cognito user pool endpoint declared in the outputs file.
 *
 * amplify_outputs.json has no field for a custom user pool endpoint, but Amplify's `Auth.Cognito.userPoolEndpoint`
 * supports one. When `custom.userPoolEndpoint` is a string (e.g. a local sandbox writes it), it is applied;
 * otherwise this is exactly `Amplify.configure(outputs)`. The API's host and the optional `custom.connectionHelp`
 * are kept for the messages shown when the API cannot be reached (state/api-target.ts).
 */
export function configureAmplify(outputs: AmplifyOutputsInput): void {
  setApiTarget(apiTargetOf(outputs as Parameters<typeof apiTargetOf>[0]));
  const endpoint = (outputs as { custom?: { userPoolEndpoint?: unknown } }).custom?.userPoolEndpoint;
  if (typeof endpoint !== 'string') {
    Amplify.configure(outputs);
    return;
  }
  const config = parseAmplifyConfig(outputs);
  if (!config.Auth?.Cognito) throw new Error('amplify_outputs.json declares custom.userPoolEndpoint but has no auth section');
  config.Auth.Cognito.userPoolEndpoint = endpoint;
  Amplify.configure(config);
}
