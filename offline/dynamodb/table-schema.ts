/**
 * TableDescription ⇄ DynamoDB CreateTable/DescribeTable: the CreateTable input for a description
 * and the differences between a description and an existing table.
 */
import type {
  CreateTableCommandInput,
  KeySchemaElement,
  Projection,
  TableDescription as DynamoTableDescription,
} from '@aws-sdk/client-dynamodb';
import type { KeyElement, TableDescription } from '../loader/index.js';

/** Tags recording what dynalite cannot emulate, so a changed setting is noticed after a restart. */
export const TTL_TAG = 'offline-sandbox:timeToLiveAttribute';
export const STREAM_TAG = 'offline-sandbox:streamViewType';

type ProjectionType = NonNullable<Projection['ProjectionType']>;

function keySchema(elements: KeyElement[]): KeySchemaElement[] {
  return elements.map((e) => ({ AttributeName: e.attributeName, KeyType: e.keyType }));
}

function projection(type: string, indexName: string): Projection {
  if (type !== 'ALL' && type !== 'KEYS_ONLY') {
    // TableDescription carries no NonKeyAttributes, so INCLUDE cannot be reproduced faithfully.
    throw new Error(`Index ${indexName}: projection type ${type} is not supported offline (only ALL and KEYS_ONLY).`);
  }
  return { ProjectionType: type as ProjectionType };
}

export function toCreateTableInput(table: TableDescription, tableName = table.name): CreateTableCommandInput {
  return {
    TableName: tableName,
    // Amplify Gen 2 model tables are on-demand (PAY_PER_REQUEST); capacity is not emulated.
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keySchema(table.keySchema),
    AttributeDefinitions: table.attributeDefinitions.map((a) => ({
      AttributeName: a.attributeName,
      AttributeType: a.attributeType,
    })),
    ...(table.globalSecondaryIndexes.length > 0 && {
      GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.keySchema),
        Projection: projection(index.projectionType, index.indexName),
      })),
    }),
    ...(table.localSecondaryIndexes.length > 0 && {
      LocalSecondaryIndexes: table.localSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.keySchema),
        Projection: projection(index.projectionType, index.indexName),
      })),
    }),
  };
}

function formatKeys(elements: readonly { AttributeName?: string; KeyType?: string }[] | undefined): string {
  return (elements ?? []).map((e) => `${e.AttributeName} ${e.KeyType}`).join(', ');
}

interface IndexShape {
  IndexName?: string;
  KeySchema?: KeySchemaElement[];
  Projection?: Projection;
}

function compareIndexes(kind: string, wanted: IndexShape[], actual: IndexShape[], differences: string[]): void {
  const actualByName = new Map(actual.map((i) => [i.IndexName, i]));
  const wantedNames = new Set(wanted.map((i) => i.IndexName));
  for (const index of wanted) {
    const existing = actualByName.get(index.IndexName);
    if (!existing) {
      differences.push(`${kind} ${index.IndexName} is missing`);
      continue;
    }
    if (formatKeys(existing.KeySchema) !== formatKeys(index.KeySchema)) {
      differences.push(
        `${kind} ${index.IndexName} key schema is (${formatKeys(existing.KeySchema)}), expected (${formatKeys(index.KeySchema)})`,
      );
    }
    if (existing.Projection?.ProjectionType !== index.Projection?.ProjectionType) {
      differences.push(
        `${kind} ${index.IndexName} projection is ${existing.Projection?.ProjectionType}, expected ${index.Projection?.ProjectionType}`,
      );
    }
  }
  for (const index of actual) {
    if (!wantedNames.has(index.IndexName)) differences.push(`${kind} ${index.IndexName} is no longer declared`);
  }
}

export interface SchemaDifferences {
  /** The primary key changed: DynamoDB (and Amplify) can only replace such a table. */
  keySchema: string[];
  /** Index or key-attribute-type changes: Amplify's table manager applies these in place. */
  indexes: string[];
}

/** Differences between the table as it exists and as the backend now declares it. */
export function diffTableSchema(wanted: TableDescription, actual: DynamoTableDescription): SchemaDifferences {
  const input = toCreateTableInput(wanted);
  const keyDifferences: string[] = [];
  const indexDifferences: string[] = [];
  if (formatKeys(actual.KeySchema) !== formatKeys(input.KeySchema)) {
    keyDifferences.push(`key schema is (${formatKeys(actual.KeySchema)}), expected (${formatKeys(input.KeySchema)})`);
  }
  const actualTypes = new Map((actual.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  const tableKeyNames = new Set(wanted.keySchema.map((k) => k.attributeName));
  for (const definition of input.AttributeDefinitions ?? []) {
    const type = actualTypes.get(definition.AttributeName);
    if (type !== undefined && type !== definition.AttributeType) {
      const message = `attribute ${definition.AttributeName} has type ${type}, expected ${definition.AttributeType}`;
      (tableKeyNames.has(definition.AttributeName ?? '') ? keyDifferences : indexDifferences).push(message);
    }
  }
  compareIndexes('GSI', input.GlobalSecondaryIndexes ?? [], actual.GlobalSecondaryIndexes ?? [], indexDifferences);
  // LSIs can only be defined at table creation, so changing them means replacing the table.
  compareIndexes('LSI', input.LocalSecondaryIndexes ?? [], actual.LocalSecondaryIndexes ?? [], keyDifferences);
  return { keySchema: keyDifferences, indexes: indexDifferences };
}
