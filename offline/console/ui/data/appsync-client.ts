/** The Data page's calls to AppSync, through POST /api/graphql as the console's IAM caller. */
import { api } from '../api';
import { SCHEMA_QUERY, type IntrospectedSchema } from './appsync-mutation';

interface GraphQLAnswer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; errorType?: string }[] };
}

/** A refusal or error of AppSync itself (its `errors`), as it came. */
export class AppSyncError extends Error {}

export async function asIam(query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const answer = await api<GraphQLAnswer>('POST', '/api/graphql', { query, ...(variables ? { variables } : {}), as: { iam: true } });
  const errors = answer.body.errors ?? [];
  if (errors.length > 0) {
    throw new AppSyncError(errors.map((e) => (e.errorType ? `${e.errorType}: ${e.message}` : e.message)).join('\n'));
  }
  if (answer.status !== 200 || !answer.body.data) throw new AppSyncError(`AppSync answered ${answer.status} without data.`);
  return answer.body.data;
}

let schema: Promise<IntrospectedSchema> | undefined;

/** The schema's mutations and types, asked once per page load (a failure is asked again next time). */
export function introspectedSchema(): Promise<IntrospectedSchema> {
  schema ??= asIam(SCHEMA_QUERY).then(
    (data) => data['__schema'] as IntrospectedSchema,
    (error: unknown) => {
      schema = undefined;
      throw error;
    },
  );
  return schema;
}
