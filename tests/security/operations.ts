/**
 * Every operation of the deployed GraphQL schema, and a document for each, generated from the schema itself (the SDL
 * in the synthesized backend description, `offline/loader`): a field added to Query, Mutation or Subscription later
 * appears here without anyone listing it, so the authorization matrix fails until it has an expectation for it.
 */
import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql16';

export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface Operation {
  kind: OperationKind;
  /** `Query.getConversation`, `Mutation.sendMessage`, `Subscription.onMessageSent`. */
  key: string;
  field: string;
  definition: GraphQLField<unknown, unknown>;
}

const ROOTS: [OperationKind, (schema: GraphQLSchema) => GraphQLObjectType | null | undefined][] = [
  ['query', (schema) => schema.getQueryType()],
  ['mutation', (schema) => schema.getMutationType()],
  ['subscription', (schema) => schema.getSubscriptionType()],
];

/** Every root field of the schema, queries first, then mutations, then subscriptions, each in schema order. */
export function operationsOf(schema: GraphQLSchema): Operation[] {
  const out: Operation[] = [];
  for (const [kind, root] of ROOTS) {
    const type = root(schema);
    if (!type) continue;
    for (const definition of Object.values(type.getFields())) {
      out.push({ kind, key: `${type.name}.${definition.name}`, field: definition.name, definition });
    }
  }
  return out;
}

/**
 * The selection set of a type: every leaf field, and the leaf fields of nested objects down to `depth` levels
 * (enough for connections: `items { … } nextToken`). `omit` drops fields by name at every level.
 */
export function selectionOf(type: GraphQLType, omit: readonly string[] = [], depth = 2): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) throw new Error(`no selection generator for ${named.name}`);
  const parts: string[] = [];
  for (const field of Object.values(named.getFields())) {
    if (omit.includes(field.name)) continue;
    const fieldType = getNamedType(field.type);
    if (isLeafType(fieldType)) parts.push(field.name);
    else if (depth > 0 && isObjectType(fieldType)) {
      const inner = selectionOf(field.type, omit, depth - 1);
      if (inner) parts.push(`${field.name} ${inner}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

/**
 * `query Op($a: T, …) { field(a: $a, …) { selection } }` declaring and passing exactly the arguments given in
 * `variables` (a declared but unset variable means null to AppSync). Required arguments must be given.
 */
export function documentFor(operation: Operation, variables: Record<string, unknown>, options: { omit?: readonly string[]; selection?: string } = {}): string {
  for (const arg of operation.definition.args) {
    if (isNonNullType(arg.type) && !(arg.name in variables)) throw new Error(`${operation.key}: required argument ${arg.name} has no value`);
  }
  const unknown = Object.keys(variables).filter((name) => !operation.definition.args.some((arg) => arg.name === name));
  if (unknown.length > 0) throw new Error(`${operation.key} has no argument ${unknown.join(', ')}`);
  const args = operation.definition.args.filter((arg) => arg.name in variables);
  const declarations = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passing = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = options.selection ?? selectionOf(operation.definition.type, options.omit);
  const name = `${operation.field.charAt(0).toUpperCase()}${operation.field.slice(1)}Op`;
  return `${operation.kind} ${name}${declarations ? `(${declarations})` : ''} { ${operation.field}${passing ? `(${passing})` : ''} ${selection} }`;
}

/** Whether the operation returns a connection (`{ items, nextToken }`): list and index queries. */
export function isConnection(operation: Operation): boolean {
  const named = getNamedType(operation.definition.type);
  return isObjectType(named) && 'items' in named.getFields() && isListType(unwrap(named.getFields()['items']!.type));
}

function unwrap(type: GraphQLType): GraphQLType {
  return isNonNullType(type) ? type.ofType : type;
}
