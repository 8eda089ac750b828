import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * The per-user sendMessage counters (amplify/functions/message-processor/send-rate-limiter.ts): one
 * item per user and window, keyed by `userId` and `windowStart`, `expiresAt` as TTL. Not a model: clients never read or write
 * it, so it has no AppSync operations; only the message processor may update items
 * (backend.ts passes it the table name as SEND_RATE_LIMIT_TABLE).
 */
export class SendRateLimitTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, messageProcessor: lambda.IFunction) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'windowStart', type: dynamodb.AttributeType.NUMBER },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      // Counters of the last few seconds: nothing to recover or keep when the backend is deleted.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason: 'Send-rate counters are only meaningful for one rate window (seconds); point-in-time recovery would restore nothing of value.',
    });
    // UpdateItem only (the conditional counters, alone or in the send transaction): no reads, no deletes, no scans.
    this.table.grant(messageProcessor, 'dynamodb:UpdateItem');
  }
}
