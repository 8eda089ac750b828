import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** What the AWS SDK v3 throws for a service error, as the transaction tests read it. */
export interface SdkError {
  name: string;
  message: string;
  CancellationReasons?: { Code?: string; Message?: string; Item?: Record<string, AttributeValue> }[];
  $metadata: { httpStatusCode?: number };
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function failureOf(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('the request succeeded');
}
