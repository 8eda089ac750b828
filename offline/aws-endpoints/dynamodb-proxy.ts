/**
 * The direct DynamoDB path of the functions (`AWS_ENDPOINT_URL_DYNAMODB`): which IAM action on which resource ARN each
 * DynamoDB JSON request needs, as AWS authorizes it, and the errors AWS answers when it may not.
 *
 * - Table operations → `dynamodb:<Operation>` on `arn:aws:dynamodb:<region>:<account>:table/<TableName>`; Query and
 *   Scan with an `IndexName` → `…/table/<T>/index/<I>`. A `TableName` that is already an ARN is used as is.
 * - BatchGetItem / BatchWriteItem → `dynamodb:BatchGetItem` / `dynamodb:BatchWriteItem` on every table of `RequestItems`.
 * - TransactGetItems / TransactWriteItems have no action of their own: each item needs the action of its kind
 *   (`GetItem`, `PutItem`, `UpdateItem`, `DeleteItem`, `ConditionCheckItem`) on its table. The kind of an item is its one
 *   non-null member among `ConditionCheck` / `Put` / `Update` / `Delete` (resp. `Get`) — the member the local DynamoDB
 *   executes, as its type check drops null and unknown members. server.ts refuses an item with none or several before
 *   authorizing (offline/dynamodb/transactions.ts `checkTransactionRequest`); should one get here anyway, it is
 *   authorized as the operation itself on an unknown resource, which only an Allow on `*` grants.
 * - Operations on an ARN (`ResourceArn`: tags, resource policies; `TableArn`: exports) → that ARN.
 * - Anything else (ListTables, PartiQL statements, …) → the resource is unknown, so only a statement allowing the
 *   action on `*` grants it (offline/iam/policy.ts), and any Deny of the action refuses it.
 */
import { iamAccessDenied } from '../errors';
import type { IamRequest } from '../iam/index.js';
import type { JsonResponse } from './ssm';

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';
export const DYNAMODB_CONTENT_TYPE = 'application/x-amz-json-1.0';

const TRANSACT_GET_ACTIONS: Record<string, string> = { Get: 'dynamodb:GetItem' };
const TRANSACT_WRITE_ACTIONS: Record<string, string> = {
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The IAM requests one DynamoDB operation needs (never empty). */
export function dynamoDbAuthorizations(operation: string, body: unknown, region: string, accountId: string): IamRequest[] {
  const tableArn = (name: unknown): string | undefined =>
    typeof name !== 'string' || name === ''
      ? undefined
      : name.startsWith('arn:')
        ? name
        : `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
  const input = isRecord(body) ? body : {};
  const action = `dynamodb:${operation}`;
  const requests: IamRequest[] = [];

  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      for (const name of Object.keys(isRecord(input['RequestItems']) ? input['RequestItems'] : {})) {
        requests.push({ action, resource: tableArn(name) });
      }
      break;
    case 'TransactGetItems':
    case 'TransactWriteItems': {
      const itemActions = operation === 'TransactGetItems' ? TRANSACT_GET_ACTIONS : TRANSACT_WRITE_ACTIONS;
      for (const item of Array.isArray(input['TransactItems']) ? input['TransactItems'] : []) {
        const kinds = isRecord(item) ? Object.keys(itemActions).filter((kind) => item[kind] !== undefined && item[kind] !== null) : [];
        if (kinds.length !== 1) {
          // Malformed (DynamoDB answers ValidationException): authorize it as "unknown" so it cannot pass silently.
          requests.push({ action, resource: undefined });
          continue;
        }
        const detail = (item as Record<string, unknown>)[kinds[0]!];
        requests.push({ action: itemActions[kinds[0]!]!, resource: isRecord(detail) ? tableArn(detail['TableName']) : undefined });
      }
      break;
    }
    case 'Query':
    case 'Scan': {
      const table = tableArn(input['TableName']);
      const index = input['IndexName'];
      requests.push({ action, resource: table && typeof index === 'string' && index !== '' ? `${table}/index/${index}` : table });
      break;
    }
    default:
      if (typeof input['TableName'] === 'string') requests.push({ action, resource: tableArn(input['TableName']) });
      else if (typeof input['ResourceArn'] === 'string') requests.push({ action, resource: input['ResourceArn'] });
      else if (typeof input['TableArn'] === 'string') requests.push({ action, resource: input['TableArn'] });
  }
  return requests.length > 0 ? requests : [{ action, resource: undefined }];
}

/** A DynamoDB JSON error (`__type` with the service namespace, as DynamoDB sends it; the SDK keeps what follows `#`). */
export function dynamoDbError(status: number, type: string, message: string, messageKey: 'message' | 'Message' = 'message'): JsonResponse {
  return { status, body: { __type: `com.amazon.coral.service#${type}`, [messageKey]: message } };
}

/** What DynamoDB answers a caller whose role may not: HTTP 400, `AccessDeniedException`, `Message` with a capital M. */
export function accessDenied(principal: string, request: IamRequest, reason: 'explicit' | 'implicit' | 'boundary'): JsonResponse {
  const { errorType, message } = iamAccessDenied(principal, request.action, request.resource ?? '*', reason);
  return dynamoDbError(400, errorType, message, 'Message');
}
