/** Schema facts the subscription engine needs: `@aws_subscribe` wiring (which mutations feed which subscription) and per-field auth of a selection. */
import { Kind, getNamedType, isObjectType, type FieldNode, type GraphQLSchema, type SelectionSetNode } from 'graphql16';
import type { AuthenticatedCaller } from '../auth/index.js';
import type { GraphQLExecutor } from '../executor/index.js';
import type { Fragments } from '../executor/subscription-payload.js';

/** mutation field → subscription fields whose `@aws_subscribe(mutations: [...])` lists it. */
export function subscriptionsByMutation(schema: GraphQLSchema): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const list = directive?.arguments?.find((a) => a.name.value === 'mutations')?.value;
    if (list?.kind !== Kind.LIST) continue;
    for (const item of list.values) {
      if (item.kind !== Kind.STRING) continue;
      const fields = out.get(item.value) ?? [];
      fields.push(field.name);
      out.set(item.value, fields);
    }
  }
  return out;
}

/**
 * The first field of the subscription's selection (root included) that the caller may not access, if any: its auth
 * mode and, for a user-pool caller, its Cognito groups against the fields' `cognito_groups` (schema/auth-directives.ts).
 * Checked once at subscribe time, so every delivered frame only carries fields the caller may read.
 */
export function forbiddenSelection(
  executor: GraphQLExecutor,
  rootType: string,
  root: FieldNode,
  fragments: Fragments,
  caller: Pick<AuthenticatedCaller, 'mode' | 'groups' | 'mayAccessRootField'>,
): { typeName: string; fieldName: string } | undefined {
  const schema = executor.schema;
  if (caller.mayAccessRootField?.(rootType, root.name.value) === false) return { typeName: rootType, fieldName: root.name.value };
  const visit = (typeName: string, field: FieldNode): { typeName: string; fieldName: string } | undefined => {
    const name = field.name.value;
    if (name.startsWith('__')) return undefined;
    if (!executor.auth.allows(typeName, name, caller.mode, caller.groups)) return { typeName, fieldName: name };
    const type = schema.getType(typeName);
    const definition = type && isObjectType(type) ? type.getFields()[name] : undefined;
    if (!definition || !field.selectionSet) return undefined;
    const named = getNamedType(definition.type);
    const candidates = isObjectType(named) ? [named.name] : schema.getPossibleTypes(named as never).map((t) => t.name);
    for (const candidate of candidates) {
      for (const child of flatten(field.selectionSet, candidate, fragments, new Set())) {
        const denied = visit(candidate, child);
        if (denied) return denied;
      }
    }
    return undefined;
  };
  return visit(rootType, root);
}

function flatten(selectionSet: SelectionSetNode, typeName: string, fragments: Fragments, seen: Set<string>): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || selection.typeCondition.name.value === typeName) out.push(...flatten(selection.selectionSet, typeName, fragments, seen));
    } else if (!seen.has(selection.name.value)) {
      const fragment = fragments[selection.name.value];
      if (fragment && fragment.typeCondition.name.value === typeName) out.push(...flatten(fragment.selectionSet, typeName, fragments, new Set([...seen, selection.name.value])));
    }
  }
  return out;
}
