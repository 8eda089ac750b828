/**
 * What a subscriber receives: AppSync publishes the mutation's response limited to the
 * **mutation's selection set**, and each subscriber gets the subset it selected; fields it selected
 * that the mutation did not select arrive as null (AppSync's behaviour for a non-null such field is
 * unconfirmed; null here). Subscription field resolvers
 * are not re-run per event.
 *
 * Both steps work on the GraphQL documents only (no resolvers), so a payload can be shaped once per
 * distinct subscription document and variables and the bytes reused for every matching connection.
 */
import {
  Kind,
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql16';

export type Fragments = Record<string, FragmentDefinitionNode>;

function included(node: FieldNode | { directives?: readonly unknown[] }, variables: Record<string, unknown>): boolean {
  for (const directive of (node.directives ?? []) as readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: unknown }[] }[]) {
    const arg = directive.arguments?.find((a) => a.name.value === 'if');
    if (!arg) continue;
    const valueNode = arg.value as { kind: string; value?: boolean; name?: { value: string } };
    const condition = valueNode.kind === Kind.VARIABLE ? Boolean(variables[valueNode.name!.value]) : Boolean(valueNode.value);
    if (directive.name.value === 'skip' && condition) return false;
    if (directive.name.value === 'include' && !condition) return false;
  }
  return true;
}

/** The fields of a selection set, fragments flattened, in order. */
function collectFields(
  selectionSet: SelectionSetNode,
  typeName: string | undefined,
  fragments: Fragments,
  variables: Record<string, unknown>,
  out: FieldNode[] = [],
): FieldNode[] {
  for (const selection of selectionSet.selections) {
    if (!included(selection, variables)) continue;
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      if (!condition || !typeName || condition === typeName) collectFields(selection.selectionSet, typeName, fragments, variables, out);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment && (!typeName || fragment.typeCondition.name.value === typeName)) {
        collectFields(fragment.selectionSet, typeName, fragments, variables, out);
      }
    }
  }
  return out;
}

/**
 * The mutation's response (keyed by response keys, i.e. aliases) → the published payload keyed by
 * field names, containing only what the mutation selected.
 */
export function publishedPayload(
  value: unknown,
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
  variables: Record<string, unknown>,
): unknown {
  if (value === null || value === undefined || !selectionSet) return value ?? null;
  if (Array.isArray(value)) return value.map((item) => publishedPayload(item, selectionSet, fragments, variables));
  if (typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const typeName = typeof source['__typename'] === 'string' ? (source['__typename'] as string) : undefined;
  const out: Record<string, unknown> = {};
  for (const field of collectFields(selectionSet, typeName, fragments, variables)) {
    const name = field.name.value;
    if (name in out) continue;
    const key = field.alias?.value ?? name;
    if (!(key in source)) continue;
    out[name] = publishedPayload(source[key], field.selectionSet, fragments, variables);
  }
  return out;
}

/** The published payload limited to the subscriber's selection, keyed by the subscriber's response keys. */
export function projectForSubscriber(
  schema: GraphQLSchema,
  value: unknown,
  type: GraphQLOutputType,
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
  variables: Record<string, unknown>,
): unknown {
  if (value === null || value === undefined) return null;
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  if (isListType(unwrapped)) {
    return Array.isArray(value) ? value.map((item) => projectForSubscriber(schema, item, unwrapped.ofType, selectionSet, fragments, variables)) : null;
  }
  if (!selectionSet) return value;
  if (typeof value !== 'object') return null;
  const source = value as Record<string, unknown>;
  const named = getNamedType(unwrapped);
  const concrete = isAbstractType(named)
    ? typeof source['__typename'] === 'string'
      ? schema.getType(source['__typename'] as string)
      : undefined
    : named;
  const fieldsOfType = concrete && isObjectType(concrete) ? concrete.getFields() : {};
  const out: Record<string, unknown> = {};
  for (const field of collectFields(selectionSet, concrete?.name, fragments, variables)) {
    const key = field.alias?.value ?? field.name.value;
    if (key in out) continue;
    if (field.name.value === '__typename') {
      out[key] = concrete?.name ?? null;
      continue;
    }
    const definition = fieldsOfType[field.name.value];
    const fieldValue = source[field.name.value];
    out[key] = definition
      ? projectForSubscriber(schema, fieldValue, definition.type, field.selectionSet, fragments, variables)
      : (fieldValue ?? null);
  }
  return out;
}
