/**
 * User-pool Lambda triggers. Only PostConfirmation is emulated (the chat app's only trigger); a pool that
 * configures any other trigger is refused at creation rather than run without it (a missing PreSignUp or
 * PreTokenGeneration would make the sandbox more permissive than AWS).
 *
 * Event shape (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html):
 * `{version: "1", region, userPoolId, userName, callerContext: {awsSdkVersion, clientId}, triggerSource,
 *   request: {userAttributes, clientMetadata?}, response: {}}`; `userAttributes` holds every attribute as a
 * string plus `cognito:user_status` (and `cognito:email_alias` only for alias pools).
 *
 * Failure mapping (Cognito): the function threw → `UserLambdaValidationException` "<Trigger> failed with
 * error <message>."; timeout/crash → `UnexpectedLambdaException`; a result that is not the event object →
 * `InvalidLambdaResponseException` "Unrecognizable lambda output". The operation that fired the trigger has
 * already been committed (Cognito confirms the user, or sets the new password, before PostConfirmation).
 */
import { TriggerInvocationError, unexpectedLambda, unrecognizableLambdaOutput, userLambdaValidation } from '../errors.js';
import type { StoredUser } from './store.js';

export const SUPPORTED_TRIGGERS = new Set(['PostConfirmation']);

export interface CognitoTriggerEvent {
  version: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  triggerSource: string;
  request: { userAttributes: Record<string, string>; clientMetadata?: Record<string, string> };
  response: Record<string, unknown>;
}

/** Provided by the Lambda runner: run the function configured for `triggerName` with `event`, return its result. */
export type InvokeTrigger = (triggerName: string, event: CognitoTriggerEvent) => Promise<unknown>;

export interface PostConfirmationInput {
  region: string;
  userPoolId: string;
  user: StoredUser;
  /** `CLIENT_ID_NOT_APPLICABLE` for admin APIs (AdminConfirmSignUp). */
  clientId: string;
  triggerSource: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword';
  clientMetadata?: Record<string, string>;
  awsSdkVersion: string;
}

export function postConfirmationEvent(input: PostConfirmationInput): CognitoTriggerEvent {
  const request: CognitoTriggerEvent['request'] = {
    userAttributes: { ...input.user.attributes, 'cognito:user_status': input.user.status },
  };
  if (input.clientMetadata !== undefined) request.clientMetadata = { ...input.clientMetadata };
  return {
    version: '1',
    region: input.region,
    userPoolId: input.userPoolId,
    userName: input.user.username,
    callerContext: { awsSdkVersion: input.awsSdkVersion, clientId: input.clientId },
    triggerSource: input.triggerSource,
    request,
    response: {},
  };
}

/** Invokes a trigger and maps its failure to Cognito's error. */
export async function runTrigger(invoke: InvokeTrigger, triggerName: string, event: CognitoTriggerEvent): Promise<unknown> {
  let result: unknown;
  try {
    result = await invoke(triggerName, event);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof TriggerInvocationError && error.kind === 'unexpected') {
      throw unexpectedLambda(triggerName, message);
    }
    throw userLambdaValidation(triggerName, message);
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    throw unrecognizableLambdaOutput();
  }
  return result;
}

/** `callerContext.awsSdkVersion` as Cognito derives it from the caller's user agent. */
export function awsSdkVersionFrom(userAgent: string | undefined): string {
  const match = /aws-sdk-js\/([\d.]+)/.exec(userAgent ?? '');
  return match ? `aws-sdk-js-${match[1]}` : 'aws-sdk-unknown-unknown';
}
