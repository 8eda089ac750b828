/**
 * The Data page's search form as a Data API request: a Query by key (partition key value, optional sort-key condition,
 * on the table or an index, newest first or not) or a Scan, each with an optional filter expression whose names and
 * values are given as JSON (DynamoDB's own `ExpressionAttributeNames` / `ExpressionAttributeValues`).
 */
import { keySchemaOf, keyType, partitionKey, sortKey, type AttributeValue, type ConsoleTable } from './types';

export const SORT_OPERATORS = ['', '=', '<', '<=', '>', '>=', 'begins_with', 'between'] as const;
export type SortOperator = (typeof SORT_OPERATORS)[number];

export interface SearchForm {
  mode: 'query' | 'scan';
  /** Empty: the table itself. */
  indexName: string;
  partitionValue: string;
  sortOperator: SortOperator;
  sortValue: string;
  /** The upper bound of `between`. */
  sortValueTo: string;
  newestFirst: boolean;
  filterExpression: string;
  /** JSON text: `{"#c": "content"}`. */
  names: string;
  /** JSON text: `{":v": {"S": "hello"}}`. */
  values: string;
  limit: number;
}

export const EMPTY_SEARCH: SearchForm = {
  mode: 'scan',
  indexName: '',
  partitionValue: '',
  sortOperator: '',
  sortValue: '',
  sortValueTo: '',
  newestFirst: false,
  filterExpression: '',
  names: '',
  values: '',
  limit: 25,
};

export interface SearchRequest {
  operation: 'query' | 'scan';
  body: Record<string, unknown>;
}

function typed(type: 'S' | 'N' | 'B', value: string): AttributeValue {
  return { [type]: value };
}

function jsonObject(text: string, what: string): Record<string, unknown> | string {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return `${what} must be a JSON object.`;
    return parsed as Record<string, unknown>;
  } catch (error) {
    return `${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The request for the form, or what is wrong with the form. */
export function searchRequest(table: ConsoleTable, form: SearchForm): SearchRequest | { error: string } {
  const names = jsonObject(form.names, 'Expression attribute names');
  if (typeof names === 'string') return { error: names };
  const values = jsonObject(form.values, 'Expression attribute values');
  if (typeof values === 'string') return { error: values };
  const body: Record<string, unknown> = { Limit: form.limit };
  if (form.indexName !== '') body['IndexName'] = form.indexName;
  if (form.filterExpression.trim() !== '') body['FilterExpression'] = form.filterExpression.trim();

  if (form.mode === 'query') {
    const schema = keySchemaOf(table, form.indexName === '' ? undefined : form.indexName);
    const hash = partitionKey(schema);
    if (hash === undefined) return { error: 'This table has no partition key.' };
    if (form.partitionValue === '') return { error: `A query needs the partition key's value (${hash}).` };
    Object.assign(names, { '#pk': hash });
    Object.assign(values, { ':pk': typed(keyType(table, hash), form.partitionValue) });
    let condition = '#pk = :pk';
    const range = sortKey(schema);
    if (form.sortOperator !== '') {
      if (range === undefined) return { error: 'This key has no sort key.' };
      const type = keyType(table, range);
      Object.assign(names, { '#sk': range });
      Object.assign(values, { ':sk': typed(type, form.sortValue) });
      if (form.sortOperator === 'begins_with') condition += ' AND begins_with(#sk, :sk)';
      else if (form.sortOperator === 'between') {
        Object.assign(values, { ':skTo': typed(type, form.sortValueTo) });
        condition += ' AND #sk BETWEEN :sk AND :skTo';
      } else condition += ` AND #sk ${form.sortOperator} :sk`;
    }
    body['KeyConditionExpression'] = condition;
    if (form.newestFirst) body['ScanIndexForward'] = false;
  }
  if (Object.keys(names).length > 0) body['ExpressionAttributeNames'] = names;
  if (Object.keys(values).length > 0) body['ExpressionAttributeValues'] = values;
  return { operation: form.mode, body };
}
