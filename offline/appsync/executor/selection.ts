/**
 * `ctx.info.selectionSetList` / `selectionSetGraphQL` (as in AppSync's resolver context): the field's sub-selection as
 * slash-separated paths (`["id","author","author/name"]`, fragments flattened, aliased fields listed by alias)
 * and as GraphQL text.
 */
import { Kind, print, type FieldNode, type SelectionSetNode } from 'graphql16';
import type { Fragments } from './subscription-payload.js';

function fieldsOf(selectionSet: SelectionSetNode, fragments: Fragments, seen: Set<string>): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(selection.selectionSet, fragments, seen));
    else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (fragment && !seen.has(name)) out.push(...fieldsOf(fragment.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return out;
}

export function selectionSetList(fieldNodes: readonly FieldNode[], fragments: Fragments): string[] {
  const list: string[] = [];
  const walk = (selectionSet: SelectionSetNode | undefined, prefix: string): void => {
    if (!selectionSet) return;
    for (const field of fieldsOf(selectionSet, fragments, new Set())) {
      if (field.name.value.startsWith('__')) continue;
      const path = prefix + (field.alias?.value ?? field.name.value);
      if (!list.includes(path)) list.push(path);
      walk(field.selectionSet, `${path}/`);
    }
  };
  for (const node of fieldNodes) walk(node.selectionSet, '');
  return list;
}

export function selectionSetGraphQL(fieldNodes: readonly FieldNode[]): string {
  return fieldNodes
    .map((node) => (node.selectionSet ? print(node.selectionSet) : ''))
    .filter((text) => text !== '')
    .join('\n');
}
