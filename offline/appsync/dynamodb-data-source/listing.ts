/**
 * Query and Scan → `{ items, nextToken, scannedCount }`.
 * As in DynamoDB, `limit` caps the items *evaluated*; the filter runs afterwards, so a page may be
 * short or empty and still carry a nextToken (AppSync passes this through unchanged). nextToken is
 * null only when DynamoDB returned no LastEvaluatedKey.
 */
import { QueryCommand, ScanCommand, type QueryCommandInput, type Select } from '@aws-sdk/client-dynamodb';
import type { DynamoDbCallContext } from './context.js';
import { DYNAMODB_MAPPING, mappingTemplateError } from '../../errors.js';
import type { PaginationScope } from './pagination.js';
import {
  mergeExpressionAttributes,
  readExpression,
  readOptionalBoolean,
  readOptionalInteger,
  readOptionalString,
  readProjection,
  type RequestObject,
} from './request.js';
import { fromAttributeMap, type TypedMap } from './values.js';

const SELECT_VALUES = new Set(['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT']);

export interface ListingResult {
  items: unknown[];
  nextToken: string | null;
  scannedCount: number;
}

function readCommon(context: DynamoDbCallContext, request: RequestObject, operation: 'Query' | 'Scan') {
  const index = readOptionalString(request, 'index', operation);
  const filter = readExpression(request.filter, `${operation}.filter`);
  const projection = readProjection(request, operation);
  const select = readOptionalString(request, 'select', operation);
  if (select !== undefined && !SELECT_VALUES.has(select)) throw mappingTemplateError(DYNAMODB_MAPPING.invalidSelect(operation, select));
  const scope: PaginationScope = { operation, table: context.tableName, ...(index !== undefined && { index }) };
  const nextToken = readOptionalString(request, 'nextToken', operation);
  const exclusiveStartKey: TypedMap | undefined = nextToken ? context.tokens.decode(nextToken, scope) : undefined;
  return {
    scope,
    filter,
    projection,
    input: {
      TableName: context.tableName,
      ...(index !== undefined && { IndexName: index }),
      ...(filter && { FilterExpression: filter.expression }),
      ...(projection && { ProjectionExpression: projection.expression }),
      ...(select !== undefined && { Select: select as Select }),
      Limit: readOptionalInteger(request, 'limit', operation),
      ConsistentRead: readOptionalBoolean(request, 'consistentRead', operation),
      ExclusiveStartKey: exclusiveStartKey,
    },
  };
}

function toResult(
  context: DynamoDbCallContext,
  scope: PaginationScope,
  output: { Items?: TypedMap[]; LastEvaluatedKey?: TypedMap; ScannedCount?: number },
): ListingResult {
  return {
    items: (output.Items ?? []).map(fromAttributeMap),
    nextToken: output.LastEvaluatedKey ? context.tokens.encode(output.LastEvaluatedKey, scope) : null,
    scannedCount: output.ScannedCount ?? 0,
  };
}

export async function query(context: DynamoDbCallContext, request: RequestObject): Promise<ListingResult> {
  const keyCondition = readExpression(request.query, 'Query.query');
  if (!keyCondition) throw mappingTemplateError(DYNAMODB_MAPPING.queryNeedsKeyCondition);
  const { scope, filter, projection, input } = readCommon(context, request, 'Query');
  const command: QueryCommandInput = {
    ...input,
    KeyConditionExpression: keyCondition.expression,
    ScanIndexForward: readOptionalBoolean(request, 'scanIndexForward', 'Query'),
    ...mergeExpressionAttributes(keyCondition, filter, projection),
  };
  return toResult(context, scope, await context.client.send(new QueryCommand(command)));
}

export async function scan(context: DynamoDbCallContext, request: RequestObject): Promise<ListingResult> {
  const { scope, filter, projection, input } = readCommon(context, request, 'Scan');
  const segment = readOptionalInteger(request, 'segment', 'Scan');
  const totalSegments = readOptionalInteger(request, 'totalSegments', 'Scan');
  return toResult(
    context,
    scope,
    await context.client.send(
      new ScanCommand({ ...input, Segment: segment, TotalSegments: totalSegments, ...mergeExpressionAttributes(filter, projection) }),
    ),
  );
}
