/**
 * The payload Amplify's generated resolver sends to an `a.handler.function` Lambda (see the
 * "Invoke AWS Lambda data source" request template in cdk.out): not the Direct Lambda Resolver
 * shape, so `typeName` / `fieldName` are top-level.
 */
export interface AmplifyResolverEvent<TArguments> {
  typeName: string;
  fieldName: string;
  arguments: TArguments;
  identity: unknown;
  source: unknown;
  request: { headers?: Record<string, string> } | null;
  prev: unknown;
}
