import { randomUUID } from 'node:crypto';
import { CreateTableCommand, PutItemCommand, UpdateItemCommand, type KeySchemaElement, type AttributeDefinition } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { startDynamoDb, type LocalDynamoDb } from '../../offline/dynamodb/index';

/**
 * A local DynamoDB (dynalite) with the tables the message processor uses, under the given names and with the key
 * schemas the synthesized backend gives them: Conversation and Message keyed by `id` (Amplify models), Reaction by
 * `messageId` + `reactionKey` (its identifier), ReadReceipt by `conversationId` + `userId`, MessageSearchIndex by `term` + `position`, SendRateLimit by `userId` + `windowStart`
 * (amplify/data/send-rate-limit-table.ts). For tests of the processor's store and limiter.
 */
export interface MessageProcessorTableNames {
  conversation?: string;
  message?: string;
  sendRateLimit?: string;
  reaction?: string;
  readReceipt?: string;
  searchIndex?: string;
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

const SEARCH_INDEX_KEY: { keys: KeySchemaElement[]; attributes: AttributeDefinition[] } = {
  keys: [
    { AttributeName: 'term', KeyType: 'HASH' },
    { AttributeName: 'position', KeyType: 'RANGE' },
  ],
  attributes: [
    { AttributeName: 'term', AttributeType: 'S' },
    { AttributeName: 'position', AttributeType: 'S' },
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
    [names.searchIndex, SEARCH_INDEX_KEY],
  ] as const;
  for (const [name, key] of tables) {
    if (!name) continue;
    await dynamo.client.send(
      new CreateTableCommand({ TableName: name, KeySchema: key.keys, AttributeDefinitions: key.attributes, BillingMode: 'PAY_PER_REQUEST' }),
    );
  }
  return dynamo;
}

/** A user of the pool as the processor sees a caller (username = sub, as in a pool signed into by e-mail). */
export interface TestUser {
  sub: string;
  username: string;
}

export const newUser = (): TestUser => {
  const sub = randomUUID();
  return { sub, username: sub };
};

/** The user's entry in a conversation's `participants` (`<sub>::<username>`). */
export const canonical = (user: TestUser): string => `${user.sub}::${user.username}`;

/** A conversation item with these participants, written straight to `table`; its id. */
export async function seedConversation(dynamo: LocalDynamoDb, table: string, participants: string[]): Promise<string> {
  const id = randomUUID();
  const createdAt = '2026-01-01T00:00:00.000Z';
  await dynamo.client.send(new PutItemCommand({ TableName: table, Item: marshall({ __typename: 'Conversation', id, participants, createdAt, updatedAt: createdAt }) }));
  return id;
}

/** Replaces a conversation's participants (a member removed or added by an operator). */
export async function setParticipants(dynamo: LocalDynamoDb, table: string, conversationId: string, participants: string[]): Promise<void> {
  await dynamo.client.send(
    new UpdateItemCommand({
      TableName: table,
      Key: marshall({ id: conversationId }),
      UpdateExpression: 'SET participants = :p',
      ExpressionAttributeValues: marshall({ ':p': participants }),
    }),
  );
}
