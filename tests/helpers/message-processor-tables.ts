import { CreateTableCommand, type KeySchemaElement, type AttributeDefinition } from '@aws-sdk/client-dynamodb';
import { startDynamoDb, type LocalDynamoDb } from '../../offline/dynamodb/index';

/**
 * A local DynamoDB (dynalite) with the tables the message processor uses, under the given names and with the key
 * schemas the synthesized backend gives them: Conversation and Message keyed by `id` (Amplify models), Reaction by
 * `messageId` + `reactionKey` (its identifier), ReadReceipt by `conversationId` + `userId`, SendRateLimit by `userId` + `windowStart`
 * (amplify/data/send-rate-limit-table.ts). For tests of the processor's store and limiter.
 */
export interface MessageProcessorTableNames {
  conversation?: string;
  message?: string;
  sendRateLimit?: string;
  reaction?: string;
  readReceipt?: string;
}

const MODEL_KEY: { keys: KeySchemaElement[]; attributes: AttributeDefinition[] } = {
  keys: [{ AttributeName: 'id', KeyType: 'HASH' }],
  attributes: [{ AttributeName: 'id', AttributeType: 'S' }],
};

const SEND_RATE_LIMIT_KEY: { keys: KeySchemaElement[]; attributes: AttributeDefinition[] } = {
  keys: [
    { AttributeName: 'userId', KeyType: 'HASH' },
    { AttributeName: 'windowStart', KeyType: 'RANGE' },
  ],
  attributes: [
    { AttributeName: 'userId', AttributeType: 'S' },
    { AttributeName: 'windowStart', AttributeType: 'N' },
  ],
};

const REACTION_KEY: { keys: KeySchemaElement[]; attributes: AttributeDefinition[] } = {
  keys: [
    { AttributeName: 'messageId', KeyType: 'HASH' },
    { AttributeName: 'reactionKey', KeyType: 'RANGE' },
  ],
  attributes: [
    { AttributeName: 'messageId', AttributeType: 'S' },
    { AttributeName: 'reactionKey', AttributeType: 'S' },
  ],
};

const READ_RECEIPT_KEY: { keys: KeySchemaElement[]; attributes: AttributeDefinition[] } = {
  keys: [
    { AttributeName: 'conversationId', KeyType: 'HASH' },
    { AttributeName: 'userId', KeyType: 'RANGE' },
  ],
  attributes: [
    { AttributeName: 'conversationId', AttributeType: 'S' },
    { AttributeName: 'userId', AttributeType: 'S' },
  ],
};

export async function startDynamoDbWithTables(names: MessageProcessorTableNames): Promise<LocalDynamoDb> {
  const dynamo = await startDynamoDb({});
  const tables = [
    [names.conversation, MODEL_KEY],
    [names.message, MODEL_KEY],
    [names.sendRateLimit, SEND_RATE_LIMIT_KEY],
    [names.reaction, REACTION_KEY],
    [names.readReceipt, READ_RECEIPT_KEY],
  ] as const;
  for (const [name, key] of tables) {
    if (!name) continue;
    await dynamo.client.send(
      new CreateTableCommand({ TableName: name, KeySchema: key.keys, AttributeDefinitions: key.attributes, BillingMode: 'PAY_PER_REQUEST' }),
    );
  }
  return dynamo;
}
