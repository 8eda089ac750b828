/**
 * DynamoDB's typed values as the Data page shows and converts them: a compact one-line display for the results table,
 * and the plain JSON value (what the AWS SDK's unmarshall gives) for a GraphQL mutation's input.
 */
import type { AttributeValue, Item } from './types';

const MAX_CELL = 80;

function shorten(text: string): string {
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** One line for a table cell: strings as they are, numbers bare, sets and lists in brackets, maps as JSON. */
export function compactValue(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  return shorten(compactInner(value));
}

function compactInner(value: AttributeValue): string {
  const [type, inner] = Object.entries(value)[0] ?? ['', undefined];
  switch (type) {
    case 'S':
    case 'N':
      return String(inner);
    case 'BOOL':
      return String(inner);
    case 'NULL':
      return 'null';
    case 'B':
      return `<binary ${String(inner).length} b64>`;
    case 'SS':
    case 'NS':
      return `{${(inner as string[]).join(', ')}}`;
    case 'BS':
      return `{${(inner as string[]).length} binary}`;
    case 'L':
      return `[${(inner as AttributeValue[]).map(compactInner).join(', ')}]`;
    case 'M':
      return JSON.stringify(unmarshallItem(inner as Item));
    default:
      return JSON.stringify(value);
  }
}

/** The plain value of a typed one (`{"N": "1"}` → 1, `{"L": [{"S": "a"}]}` → ["a"]). */
export function unmarshallValue(value: AttributeValue): unknown {
  const [type, inner] = Object.entries(value)[0] ?? ['', undefined];
  switch (type) {
    case 'S':
    case 'B':
    case 'BOOL':
      return inner;
    case 'N':
      return Number(inner);
    case 'NULL':
      return null;
    case 'SS':
    case 'BS':
      return [...(inner as string[])];
    case 'NS':
      return (inner as string[]).map(Number);
    case 'L':
      return (inner as AttributeValue[]).map(unmarshallValue);
    case 'M':
      return unmarshallItem(inner as Item);
    default:
      throw new Error(`Unknown DynamoDB type ${JSON.stringify(type)}: use S, N, B, BOOL, NULL, SS, NS, BS, L or M.`);
  }
}

export function unmarshallItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, unmarshallValue(value)]));
}

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M']);

/**
 * The editor's text as an item, or why it is not one: JSON, an object, and every attribute a typed value with exactly
 * one known type. DynamoDB checks the rest (numbers, empty sets) and says so.
 */
export function parseItem(text: string): { item: Item } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `Not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'The item must be a JSON object: attribute name → typed value.' };
  for (const [name, value] of Object.entries(parsed)) {
    const problem = typedValueProblem(value);
    if (problem) return { error: `${name}: ${problem}` };
  }
  return { item: parsed as Item };
}

function typedValueProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be a typed value such as {"S": "text"} or {"N": "1"}.';
  const entries = Object.entries(value);
  if (entries.length !== 1 || !TYPES.has(entries[0]![0])) return `must have exactly one type (S, N, B, BOOL, NULL, SS, NS, BS, L or M), got ${JSON.stringify(value)}.`;
  const [type, inner] = entries[0]!;
  if (type === 'L') {
    if (!Array.isArray(inner)) return 'L must be a list of typed values.';
    for (const element of inner) {
      const problem = typedValueProblem(element);
      if (problem) return `in L: ${problem}`;
    }
  }
  if (type === 'M') {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return 'M must be an object of typed values.';
    for (const [name, element] of Object.entries(inner)) {
      const problem = typedValueProblem(element);
      if (problem) return `in M.${name}: ${problem}`;
    }
  }
  if ((type === 'S' || type === 'N' || type === 'B') && typeof inner !== 'string') return `${type} takes a string (numbers too: {"N": "1"}).`;
  if (type === 'BOOL' && typeof inner !== 'boolean') return 'BOOL takes true or false.';
  return undefined;
}
