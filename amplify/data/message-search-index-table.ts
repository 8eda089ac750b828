import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * The message search index (amplify/functions/message-processor/search.ts): one item per (conversation, word, message),
 * partition `term` = `<conversationId>#<word>`, sort `position` = `<createdAt>#<messageId>`. Not a model: clients never
 * read or write it (searchMessages is answered by the message processor, which queries only the partitions of the
 * caller's conversations); backend.ts passes the table name as SEARCH_INDEX_TABLE_NAME. docs/data-model.md.
 */
export class MessageSearchIndexTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, messageProcessor: lambda.IFunction) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'term', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'position', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Derived from the Message table: nothing of its own to keep when the backend is deleted.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A message's entries written and deleted in BatchWriteItem calls, a word's entry looked up by key, one partition queried: no scans.
    this.table.grant(messageProcessor, 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:Query');
  }
}
