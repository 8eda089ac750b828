/** Which kind of operation a GraphiQL run is (a subscription goes over the subscription socket). */
interface Definition {
  kind: string;
  operation?: string;
  name?: { value: string };
}

/** A parsed GraphQL document, as GraphiQL hands it to the fetcher. */
export interface OperationDocument {
  definitions: readonly Definition[];
}

/**
 * Whether the operation to run is a query, mutation or subscription: from the document GraphiQL parsed, else (a
 * document that does not parse, which AppSync will answer) from its text. The console's pages read the document as
 * plain data rather than load a second copy of graphql-js.
 */
export function operationType(query: string, operationName: string | undefined, document: OperationDocument | undefined): string {
  const operations = document?.definitions.filter((definition) => definition.kind === 'OperationDefinition');
  if (operations && operations.length > 0) {
    const chosen = operationName ? operations.find((operation) => operation.name?.value === operationName) : operations[0];
    return chosen?.operation ?? 'query';
  }
  const text = query.replace(/#[^\n]*/g, '');
  const named = operationName && /^\w+$/.test(operationName) ? new RegExp(`\\b(query|mutation|subscription)\\s+${operationName}\\b`).exec(text) : null;
  return (named ?? /\b(query|mutation|subscription)\b/.exec(text))?.[1] ?? 'query';
}
