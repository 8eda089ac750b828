/** What the Data API answers (offline/console/data-api.ts), as the pages use it. */

/** A DynamoDB attribute value with its type: `{ "S": "…" }`, `{ "N": "1" }`, `{ "L": […] }`, … */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

export interface KeyElement {
  attributeName: string;
  keyType: 'HASH' | 'RANGE';
}

export interface IndexDescription {
  indexName: string;
  keySchema: KeyElement[];
  projectionType: string;
}

export interface ConsoleTable {
  name: string;
  model?: string;
  keySchema: KeyElement[];
  /** The type of each key attribute (of the table and its indexes). */
  attributeDefinitions: { attributeName: string; attributeType: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes: IndexDescription[];
  localSecondaryIndexes: IndexDescription[];
  itemCount?: number;
}

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
