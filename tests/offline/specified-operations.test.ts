/**
 * The three GraphQL operations the project was specified with (Create a Conversation, Send a Message, Subscribe to
 * Messages), reproduced below exactly as specified so that this test is self-contained, run against the running
 * sandbox: only their placeholders are replaced — the example usernames by the ids of two real users,
 * "conversation-id-here" by the conversation the first operation created. They validate against the schema, and the
 * message is delivered live to the subscribed participant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, RealtimeSocket, signInUser, signUpUser, userHeader, type SignedInUser } from '../security/support';
import { startTestSandbox, type TestSandbox } from './helpers';

// ---- the operations as specified, unchanged ----
const CREATE_CONVERSATION = `mutation CreateConversation {
  createConversation(input: {
    name: "Test Chat Room"
    participants: ["testuser1", "testuser2"]
  }) {
    conversationId
    name
    participants
    createdAt
  }
}`;

const SEND_MESSAGE = `mutation SendMessage {
  sendMessage(input: {
    conversationId: "conversation-id-here"
    content: "Hello, World!"
    messageType: TEXT
  }) {
    messageId
    conversationId
    userId
    content
    createdAt
  }
}`;

const ON_MESSAGE_SENT = `subscription OnMessageSent {
  onMessageSent(conversationId: "conversation-id-here") {
    messageId
    conversationId
    userId
    content
    createdAt
  }
}`;
// ---- end of the specified operations ----

let env: TestSandbox;
let user1: SignedInUser;
let user2: SignedInUser;
let outsider: SignedInUser;

beforeAll(async () => {
  env = await startTestSandbox();
  for (const email of ['testuser1@example.com', 'testuser2@example.com', 'outsider@example.com']) await signUpUser(env, email);
  user1 = await signInUser(env, 'testuser1@example.com');
  user2 = await signInUser(env, 'testuser2@example.com');
  outsider = await signInUser(env, 'outsider@example.com');
});

afterAll(async () => {
  await env?.sandbox.close();
});

const withUsers = (document: string) => document.replace('"testuser1"', JSON.stringify(user1.sub)).replace('"testuser2"', JSON.stringify(user2.sub));
const inConversation = (document: string, conversationId: string) => document.replace('conversation-id-here', conversationId);

describe('the GraphQL operations the project was specified with, verbatim', () => {
  it('CreateConversation, OnMessageSent and SendMessage: valid, and the message reaches the other participant live', async () => {
    const created = await graphql(env, user1.accessToken, withUsers(CREATE_CONVERSATION));
    expect(created.json.errors).toBeUndefined();
    const conversation = created.json.data!['createConversation'] as { conversationId: string; name: string; participants: string[]; createdAt: string };
    expect(conversation).toEqual({
      conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Test Chat Room',
      participants: [user1.sub, user2.sub],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    // testuser2 subscribes with the specified subscription; the outsider tries the same and is refused.
    const socket = await RealtimeSocket.connect(env, user2.accessToken);
    const subscribed = await socket.start('specified', inConversation(ON_MESSAGE_SENT, conversation.conversationId), undefined, userHeader(env, user2.accessToken));
    expect(subscribed.type, JSON.stringify(subscribed)).toBe('start_ack');
    const spy = await RealtimeSocket.connect(env, outsider.accessToken);
    const refused = await spy.start('specified', inConversation(ON_MESSAGE_SENT, conversation.conversationId), undefined, userHeader(env, outsider.accessToken));
    expect(refused.type).toBe('error');

    const sent = await graphql(env, user1.accessToken, inConversation(SEND_MESSAGE, conversation.conversationId));
    expect(sent.json.errors).toBeUndefined();
    const message = sent.json.data!['sendMessage'] as Record<string, string>;
    expect(message).toEqual({
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      conversationId: conversation.conversationId,
      userId: user1.sub,
      content: 'Hello, World!',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const delivered = await socket.waitForData('specified', () => true);
    expect(delivered.payload).toEqual({ data: { onMessageSent: message } });
    // testuser1 created the conversation through the specified operation and is a participant too.
    const history = await graphql(env, user1.accessToken, 'query H($c: ID!) { listConversationMessages(conversationId: $c) { items { id content sender } } }', {
      c: conversation.conversationId,
    });
    expect(history.json.data).toEqual({ listConversationMessages: { items: [{ id: message['messageId'], content: 'Hello, World!', sender: user1.sub }] } });
    socket.close();
    spy.close();
  });
});
