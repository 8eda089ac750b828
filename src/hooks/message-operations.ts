import type { GraphQLResult } from 'aws-amplify/api';
import type { MessageType } from '../../amplify/shared/limits';
import { client } from '../data-client';

/**
 * editMessage and removeMessage with the selection the app reads. The generated client (client.mutations.*) selects
 * every field of their return type, Message, including `updatedAt` (non-null in the schema), which the message
 * processor's answers do not carry: AppSync then nulls the whole answer and reports an error although the edit or
 * removal was made. Selecting what the app uses keeps the answer, whatever else the backend fills in.
 */

/** The fields of an edited message the timeline reads (a Message). */
export interface EditedMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly content: string;
  readonly messageType: MessageType;
  readonly sender: string;
  readonly clientMessageId?: string | null;
  readonly createdAt: string;
  readonly editedAt?: string | null;
}

const EDIT_MESSAGE = /* GraphQL */ `
  mutation EditMessage($messageId: ID!, $content: String!) {
    editMessage(messageId: $messageId, content: $content) {
      id
      conversationId
      content
      messageType
      sender
      clientMessageId
      createdAt
      editedAt
    }
  }
`;

const REMOVE_MESSAGE = /* GraphQL */ `
  mutation RemoveMessage($messageId: ID!) {
    removeMessage(messageId: $messageId) {
      id
      conversationId
    }
  }
`;

export interface OperationAnswer<T> {
  readonly data: T | null;
  readonly errors?: readonly { message: string }[] | null;
}

export async function editMessage(messageId: string, content: string): Promise<OperationAnswer<EditedMessage>> {
  const answer = await run<{ editMessage: EditedMessage | null }>(EDIT_MESSAGE, { messageId, content });
  return { data: answer.data?.editMessage ?? null, errors: answer.errors ?? null };
}

export async function removeMessage(messageId: string): Promise<OperationAnswer<{ id: string; conversationId: string }>> {
  const answer = await run<{ removeMessage: { id: string; conversationId: string } | null }>(REMOVE_MESSAGE, { messageId });
  return { data: answer.data?.removeMessage ?? null, errors: answer.errors ?? null };
}

/** client.graphql, answering GraphQL errors as client.mutations does (returned, not thrown); other failures throw. */
async function run<T>(query: string, variables: Record<string, string>): Promise<GraphQLResult<T>> {
  try {
    return (await client.graphql<unknown>({ query, variables })) as GraphQLResult<T>;
  } catch (reason) {
    if (reason && typeof reason === 'object' && Array.isArray((reason as { errors?: unknown }).errors)) return reason as GraphQLResult<T>;
    throw reason;
  }
}
