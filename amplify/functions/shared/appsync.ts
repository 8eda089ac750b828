import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import { getAmplifyDataClientConfig } from '@aws-amplify/backend/function/runtime';

/** The environment getAmplifyDataClientConfig reads (the function's generated `$amplify/env/<name>`). */
export type DataClientEnv = Parameters<typeof getAmplifyDataClientConfig>[0];

/**
 * A minimal GraphQL caller for the Lambdas: AppSync with the function's IAM role, hand-written
 * documents (so every write selects the owner fields that subscription filters need), and errors
 * turned into exceptions that keep AppSync's errorType.
 */

export interface GraphqlErrorInfo {
  message: string;
  errorType?: string | null;
}

export class AppSyncError extends Error {
  readonly errors: GraphqlErrorInfo[];

  constructor(operation: string, errors: GraphqlErrorInfo[]) {
    super(`${operation} failed: ${errors.map((e) => `${e.errorType ?? 'Error'}: ${e.message}`).join('; ')}`);
    this.name = 'AppSyncError';
    this.errors = errors;
  }

  hasErrorType(errorType: string): boolean {
    return this.errors.some((e) => e.errorType === errorType);
  }
}

export const CONDITIONAL_CHECK_FAILED = 'DynamoDB:ConditionalCheckFailedException';

export type Graphql = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

function operationName(query: string): string {
  return /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'GraphQL operation';
}

function errorsOf(reason: unknown): GraphqlErrorInfo[] | undefined {
  const errors = (reason as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? (errors as GraphqlErrorInfo[]) : undefined;
}

let configured: Promise<Graphql> | undefined;

/** Configures Amplify once per Lambda container and returns the GraphQL caller. */
export function appSyncGraphql(env: DataClientEnv): Promise<Graphql> {
  configured ??= (async () => {
    const { resourceConfig, libraryOptions } = await getAmplifyDataClientConfig(env);
    Amplify.configure(resourceConfig, libraryOptions);
    const client = generateClient({ authMode: 'iam' });
    return async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      let result: { data?: unknown; errors?: GraphqlErrorInfo[] };
      try {
        result = (await client.graphql({ query, variables })) as typeof result;
      } catch (reason) {
        // aws-amplify rejects with the whole GraphQL result when it carries errors.
        const errors = errorsOf(reason);
        if (errors) throw new AppSyncError(operationName(query), errors);
        throw reason;
      }
      if (result.errors?.length) throw new AppSyncError(operationName(query), result.errors);
      return result.data as T;
    };
  })();
  return configured;
}
