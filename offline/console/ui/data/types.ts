/** What the Data API answers (offline/console/data-api.ts; its shapes defined once in ../../api-types.ts), as the pages use it. */
import type { ConsoleTable } from '../../api-types';

/** A DynamoDB attribute value with its type: `{ "S": "…" }`, `{ "N": "1" }`, `{ "L": […] }`, … */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

export type KeyElement = ConsoleTable['keySchema'][number];
export type IndexDescription = ConsoleTable['globalSecondaryIndexes'][number];
export type { ConsoleTable };

export interface ItemPage {
  Items: Item[];
  Count: number;
  LastEvaluatedKey?: Item;
}

/** The table's name as the console shows it: its model where it has one. */
export function tableLabel(table: ConsoleTable): string {
  return table.model ?? table.name;
}

/** The key schema of the table or of one of its indexes. */
export function keySchemaOf(table: ConsoleTable, indexName: string | undefined): KeyElement[] {
  if (indexName === undefined) return table.keySchema;
  const index = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes].find((i) => i.indexName === indexName);
  return index?.keySchema ?? table.keySchema;
}

export function partitionKey(schema: KeyElement[]): string | undefined {
  return schema.find((k) => k.keyType === 'HASH')?.attributeName;
}

export function sortKey(schema: KeyElement[]): string | undefined {
  return schema.find((k) => k.keyType === 'RANGE')?.attributeName;
}

/** The item's primary key (the table's key attributes only). */
export function keyOf(table: ConsoleTable, item: Item): Item {
  const key: Item = {};
  for (const { attributeName } of table.keySchema) {
    const value = item[attributeName];
    if (value !== undefined) key[attributeName] = value;
  }
  return key;
}

/** The DynamoDB type of a key attribute (S when the table does not say). */
export function keyType(table: ConsoleTable, attributeName: string): 'S' | 'N' | 'B' {
  return table.attributeDefinitions.find((d) => d.attributeName === attributeName)?.attributeType ?? 'S';
}
