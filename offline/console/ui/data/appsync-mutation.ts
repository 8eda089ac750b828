/**
 * "Save through AppSync": the model's own create/update mutation, read from the schema by introspection, with only the
 * fields its input type accepts and the model's scalar fields selected, so that resolvers run and subscriptions fire
 * as for any client. Pure functions; the page runs them through POST /api/graphql as the console's IAM caller.
 */
import { unmarshallItem } from './dynamo-values';
import type { Item } from './types';

export interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}

interface IntrospectedField {
  name: string;
  type: TypeRef;
  args?: { name: string; type: TypeRef }[];
}

interface IntrospectedType {
  name: string;
  kind: string;
  fields: IntrospectedField[] | null;
  inputFields: IntrospectedField[] | null;
}

export interface IntrospectedSchema {
  mutationType: { name: string } | null;
  types: IntrospectedType[];
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';

/** What the page asks AppSync for: the mutations, and every object and input type's fields. */
export const SCHEMA_QUERY = `query ConsoleModelMutations {
  __schema {
    mutationType { name }
    types { name kind fields { name type { ${TYPE_REF} } args { name type { ${TYPE_REF} } } } inputFields { name type { ${TYPE_REF} } } }
  }
}`;

export interface MutationPlan {
  /** e.g. `updateUserProfile` */
  field: string;
  /** The input argument's type as written in a variable definition, e.g. `UpdateUserProfileInput!`. */
  inputType: string;
  inputFields: { name: string; scalar: string | undefined }[];
  selection: string[];
}

function named(type: TypeRef): TypeRef {
  return type.ofType ? named(type.ofType) : type;
}

export function printType(type: TypeRef): string {
  if (type.kind === 'NON_NULL' && type.ofType) return `${printType(type.ofType)}!`;
  if (type.kind === 'LIST' && type.ofType) return `[${printType(type.ofType)}]`;
  return type.name ?? '';
}

/** The plan for the model's `create<Model>` or `update<Model>`, or undefined when the schema has no such mutation. */
export function mutationPlan(schema: IntrospectedSchema, model: string, kind: 'create' | 'update'): MutationPlan | undefined {
  const types = new Map(schema.types.map((t) => [t.name, t]));
  const mutation = schema.mutationType ? types.get(schema.mutationType.name) : undefined;
  const field = mutation?.fields?.find((f) => f.name === `${kind}${model}`);
  const input = field?.args?.find((a) => a.name === 'input');
  // The model's own mutation returns the model (a custom createConversation returning something else is not it).
  if (!field || !input || named(field.type).name !== model) return undefined;
  const inputType = types.get(named(input.type).name ?? '');
  const returned = types.get(named(field.type).name ?? '');
  const isLeaf = (type: TypeRef) => {
    const kindOf = named(type).kind;
    return kindOf === 'SCALAR' || kindOf === 'ENUM';
  };
  return {
    field: field.name,
    inputType: printType(input.type),
    inputFields: (inputType?.inputFields ?? []).map((f) => ({ name: f.name, scalar: named(f.type).kind === 'SCALAR' ? (named(f.type).name ?? undefined) : undefined })),
    selection: (returned?.fields ?? []).filter((f) => isLeaf(f.type)).map((f) => f.name),
  };
}

/**
 * The mutation and its variables for `item`: only the attributes the input type accepts. For an update (`stored` is
 * the item as read), only the key and what changed: an attribute removed in the editor is sent as null.
 */
export function mutationFor(
  plan: MutationPlan,
  item: Item,
  stored?: { item: Item; keyNames: string[] },
): { query: string; variables: { input: Record<string, unknown> }; dropped: string[] } {
  const plain = unmarshallItem(item);
  const before = stored ? unmarshallItem(stored.item) : undefined;
  const input: Record<string, unknown> = {};
  const accepted = new Map(plan.inputFields.map((f) => [f.name, f]));
  const dropped: string[] = [];
  const names = new Set([...Object.keys(plain), ...Object.keys(before ?? {})]);
  for (const name of names) {
    const value = name in plain ? plain[name] : null;
    if (before && !stored!.keyNames.includes(name) && JSON.stringify(before[name] ?? null) === JSON.stringify(value)) continue;
    const field = accepted.get(name);
    if (!field) {
      dropped.push(name);
      continue;
    }
    // AWSJSON travels as a JSON string.
    input[name] = field.scalar === 'AWSJSON' && value !== null && typeof value !== 'string' ? JSON.stringify(value) : value;
  }
  const selection = plan.selection.length > 0 ? plan.selection.join(' ') : '__typename';
  return {
    query: `mutation ConsoleSave($input: ${plan.inputType}) {\n  ${plan.field}(input: $input) { ${selection} }\n}`,
    variables: { input },
    dropped,
  };
}
