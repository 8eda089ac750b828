/**
 * DynamoDB tables. Gen 2 forces Amplify's `Custom::AmplifyDynamoDBTable` (handled by the AmplifyTableManager
 * provider), whose properties are camelCase (`keySchema: [{ attributeName, keyType }]`); plain CDK / construct
 * backends use `AWS::DynamoDB::Table` (or `GlobalTable`) with PascalCase properties. Both map to the same description.
 *
 * Amplify names model tables `<Model>-<apiId>-<environment>` (environment `NONE` in Gen 2), so `model` is inferred
 * from the resolved name.
 */
import { isRecord, property, resourcesOfType, type LoaderContext, byKey } from './resource-properties';
import type { StackResource } from './stack-tree';
import type { KeyElement, TableDescription } from './types';

/** Property names of the two table dialects. */
interface TableDialect {
  tableName: string;
  keySchema: string;
  attributeDefinitions: string;
  globalSecondaryIndexes: string;
  localSecondaryIndexes: string;
  timeToLiveSpecification: string;
  streamSpecification: string;
  attributeName: string;
  attributeType: string;
  keyType: string;
  indexName: string;
  projection: string;
  projectionType: string;
  enabled: string;
  streamViewType: string;
}

const camel: TableDialect = {
  tableName: 'tableName',
  keySchema: 'keySchema',
  attributeDefinitions: 'attributeDefinitions',
  globalSecondaryIndexes: 'globalSecondaryIndexes',
  localSecondaryIndexes: 'localSecondaryIndexes',
  timeToLiveSpecification: 'timeToLiveSpecification',
  streamSpecification: 'streamSpecification',
  attributeName: 'attributeName',
  attributeType: 'attributeType',
  keyType: 'keyType',
  indexName: 'indexName',
  projection: 'projection',
  projectionType: 'projectionType',
  enabled: 'enabled',
  streamViewType: 'streamViewType',
};

const pascal = Object.fromEntries(
  Object.entries(camel).map(([key, value]) => [key, value.charAt(0).toUpperCase() + value.slice(1)]),
) as unknown as TableDialect;

export function readTables(context: LoaderContext, apiId: string): TableDescription[] {
  const tables = resourcesOfType(
    context,
    'Custom::AmplifyDynamoDBTable',
    'AWS::DynamoDB::Table',
    'AWS::DynamoDB::GlobalTable',
  ).map((resource) => readTable(resource, resource.type === 'Custom::AmplifyDynamoDBTable' ? camel : pascal, apiId));
  return tables.sort(byKey((table) => table.name));
}

function readTable(resource: StackResource, d: TableDialect, apiId: string): TableDescription {
  const at = (...path: string[]): never =>
    resource.stack.fail(['Resources', resource.logicalId, 'Properties', ...path], `invalid table definition`);
  const list = (value: unknown, ...path: string[]): unknown[] =>
    value === undefined ? [] : Array.isArray(value) ? value : at(...path);
  const text = (value: unknown, ...path: string[]): string => (typeof value === 'string' ? value : at(...path));

  const keySchema = (value: unknown, ...path: string[]): KeyElement[] =>
    list(value, ...path).map((element, i) => {
      const record = isRecord(element) ? element : at(...path, String(i));
      const keyType = record[d.keyType];
      if (keyType !== 'HASH' && keyType !== 'RANGE') return at(...path, String(i), d.keyType);
      return { attributeName: text(record[d.attributeName], ...path, String(i), d.attributeName), keyType };
    });

  const indexes = (propertyName: string): TableDescription['globalSecondaryIndexes'] =>
    list(property(resource, propertyName), propertyName).map((index, i) => {
      const record = isRecord(index) ? index : at(propertyName, String(i));
      const projection = record[d.projection];
      // DynamoDB requires a projection type on create; default to ALL (the superset) if a template omits it.
      const projectionType =
        isRecord(projection) && typeof projection[d.projectionType] === 'string' ? projection[d.projectionType] : 'ALL';
      return {
        indexName: text(record[d.indexName], propertyName, String(i), d.indexName),
        keySchema: keySchema(record[d.keySchema], propertyName, String(i), d.keySchema),
        projectionType: String(projectionType),
      };
    });

  // The table name is what Ref returns: the explicit name property or the generated physical name.
  const name = String(resource.stack.resourceRef(resource.logicalId));
  const ttl = property(resource, d.timeToLiveSpecification);
  const stream = property(resource, d.streamSpecification);
  const ttlEnabled = isRecord(ttl) && (ttl[d.enabled] === true || ttl[d.enabled] === 'true');
  const streamViewType = isRecord(stream) ? stream[d.streamViewType] : undefined;
  const model = new RegExp(`^([A-Za-z_][A-Za-z0-9_]*)-${apiId}-[A-Za-z0-9_]+$`).exec(name)?.[1];

  return {
    name,
    ...(model !== undefined ? { model } : {}),
    keySchema: keySchema(property(resource, d.keySchema), d.keySchema),
    attributeDefinitions: list(property(resource, d.attributeDefinitions), d.attributeDefinitions).map(
      (definition, i) => {
        const record = isRecord(definition) ? definition : at(d.attributeDefinitions, String(i));
        const attributeType = record[d.attributeType];
        if (attributeType !== 'S' && attributeType !== 'N' && attributeType !== 'B') {
          return at(d.attributeDefinitions, String(i), d.attributeType);
        }
        return { attributeName: text(record[d.attributeName], d.attributeDefinitions, String(i)), attributeType };
      },
    ),
    globalSecondaryIndexes: indexes(d.globalSecondaryIndexes),
    localSecondaryIndexes: indexes(d.localSecondaryIndexes),
    ...(ttlEnabled
      ? { timeToLiveAttribute: text(ttl[d.attributeName], d.timeToLiveSpecification, d.attributeName) }
      : {}),
    ...(typeof streamViewType === 'string' ? { streamViewType } : {}),
  };
}
