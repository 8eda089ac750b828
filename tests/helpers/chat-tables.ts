/** Hand-made TableDescriptions of the chat backend's four model tables, for tests. */
import type { TableDescription } from '../../offline/loader/types.js';

export const TEST_API_ID = 'abcdefghijklmnopqrstuvwxyz';

const idKey = { keySchema: [{ attributeName: 'id', keyType: 'HASH' as const }] };

export function chatTables(apiId = TEST_API_ID): TableDescription[] {
  return [
    {
      name: `Conversation-${apiId}-NONE`,
      model: 'Conversation',
      ...idKey,
      attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
      globalSecondaryIndexes: [],
      localSecondaryIndexes: [],
      streamViewType: 'NEW_AND_OLD_IMAGES',
    },
    {
      name: `Message-${apiId}-NONE`,
      model: 'Message',
      ...idKey,
      attributeDefinitions: [
        { attributeName: 'id', attributeType: 'S' },
        { attributeName: 'conversationId', attributeType: 'S' },
        { attributeName: 'createdAt', attributeType: 'S' },
      ],
      globalSecondaryIndexes: [
        {
          indexName: 'messagesByConversationIdAndCreatedAt',
          keySchema: [
            { attributeName: 'conversationId', keyType: 'HASH' },
            { attributeName: 'createdAt', keyType: 'RANGE' },
          ],
          projectionType: 'ALL',
        },
      ],
      localSecondaryIndexes: [],
      streamViewType: 'NEW_AND_OLD_IMAGES',
    },
    {
      name: `UserPresence-${apiId}-NONE`,
      model: 'UserPresence',
      ...idKey,
      attributeDefinitions: [
        { attributeName: 'id', attributeType: 'S' },
        { attributeName: 'status', attributeType: 'S' },
        { attributeName: 'lastSeen', attributeType: 'S' },
      ],
      globalSecondaryIndexes: [
        {
          indexName: 'userPresencesByStatusAndLastSeen',
          keySchema: [
            { attributeName: 'status', keyType: 'HASH' },
            { attributeName: 'lastSeen', keyType: 'RANGE' },
          ],
          projectionType: 'ALL',
        },
      ],
      localSecondaryIndexes: [],
      timeToLiveAttribute: 'expiresAt',
      streamViewType: 'NEW_AND_OLD_IMAGES',
    },
    {
      name: `UserProfile-${apiId}-NONE`,
      model: 'UserProfile',
      ...idKey,
      attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
      globalSecondaryIndexes: [],
      localSecondaryIndexes: [],
    },
  ];
}

export function tableFor(model: string, tables = chatTables()): TableDescription {
  const table = tables.find((t) => t.model === model);
  if (!table) throw new Error(`no test table for ${model}`);
  return table;
}
