import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_LENGTH, MESSAGE_PREVIEW_LENGTH } from '../../shared/limits';
import { ChatError, chatErrorCode } from '../../shared/errors';
import {
  editMessage,
  messageIdFor,
  previewOf,
  removeMessage,
  sendMessage,
  sendTyping,
  type ConversationEvent,
  type ConversationRecord,
  type MessageRecord,
  type MessageStore,
  type NewMessage,
} from './logic';

const ann = { sub: '11111111-1111-4111-8111-111111111111', username: '11111111-1111-4111-8111-111111111111' };
const bob = { sub: '22222222-2222-4222-8222-222222222222', username: '22222222-2222-4222-8222-222222222222' };
const eve = { sub: '33333333-3333-4333-8333-333333333333', username: '33333333-3333-4333-8333-333333333333' };

/** An in-memory MessageStore with the semantics the AppSync store relies on (atomic create-if-absent). */
class MemoryStore implements MessageStore {
  conversations = new Map<string, ConversationRecord & { lastMessagePreview?: string }>();
  messages = new Map<string, MessageRecord>();
  createCalls = 0;
  failNextTouch = false;

  async getConversation(id: string) {
    const c = this.conversations.get(id);
    return c ? structuredClone(c) : null;
  }
  async getMessage(id: string) {
    const m = this.messages.get(id);
    return m ? structuredClone(m) : null;
  }
  async createMessageIfAbsent(message: NewMessage) {
    this.createCalls += 1;
    await Promise.resolve();
    if (this.messages.has(message.id)) return false;
    this.messages.set(message.id, { ...structuredClone(message), editedAt: null });
    return true;
  }
  async updateMessageContent(id: string, content: string, editedAt: string) {
    const m = this.messages.get(id)!;
    Object.assign(m, { content, editedAt });
    return structuredClone(m);
  }
  async deleteMessage(id: string) {
    const m = this.messages.get(id)!;
    this.messages.delete(id);
    return m;
  }
  async touchConversation(id: string, lastMessageAt: string, preview: string) {
    if (this.failNextTouch) {
      this.failNextTouch = false;
      throw new Error('network error');
    }
    const c = this.conversations.get(id)!;
    if (!c.lastMessageAt || c.lastMessageAt < lastMessageAt) Object.assign(c, { lastMessageAt, lastMessagePreview: preview });
  }
  published: ConversationEvent[] = [];
  async publish(event: ConversationEvent) {
    this.published.push(structuredClone(event));
  }
}

function storeWithConversation(participants: (string | null)[] = [`${ann.sub}::${ann.username}`, bob.sub]) {
  const store = new MemoryStore();
  store.conversations.set('conv-1', { id: 'conv-1', participants, lastMessageAt: null });
  return store;
}

const at = (iso: string) => () => new Date(iso);

async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('sendMessage', () => {
  it('asks the rate limiter first, for the caller, and stores nothing when it refuses', async () => {
    const store = storeWithConversation();
    const asked: string[] = [];
    const refusing = {
      consume: async (userId: string) => {
        asked.push(userId);
        throw new ChatError('RateLimited', 'you sent 3 messages in the last 10 s, the most allowed; try again in 4 s');
      },
    };
    const attempt = sendMessage(store, ann, { conversationId: 'conv-1', content: 'hi' }, at('2026-01-02T00:00:00.000Z'), refusing);
    await expect(attempt).rejects.toThrow(/^RateLimited: /);
    expect(asked).toEqual([ann.sub]);
    expect(store.createCalls).toBe(0);
    expect(store.messages.size).toBe(0);
  });

  it('counts a well-formed attempt on a conversation the caller is not in (floods are limited too)', async () => {
    const store = storeWithConversation();
    const asked: string[] = [];
    const counting = { consume: async (userId: string) => void asked.push(userId) };
    await expect(sendMessage(store, eve, { conversationId: 'conv-1', content: 'hi' }, undefined, counting)).rejects.toThrow(/^Unauthorized/);
    // A malformed one is refused before counting: it costs nothing.
    await expect(sendMessage(store, eve, { conversationId: 'conv-1', content: '   ' }, undefined, counting)).rejects.toThrow(/^ValidationError/);
    expect(asked).toEqual([eve.sub]);
  });

  it('stores a message from a participant and returns the brief\'s fields', async () => {
    const store = storeWithConversation();
    const sent = await sendMessage(store, ann, { conversationId: 'conv-1', content: '  Hello, World!  ' }, at('2026-01-02T03:04:05.000Z'));
    expect(sent).toEqual({
      messageId: sent.id,
      id: sent.id,
      conversationId: 'conv-1',
      userId: ann.sub,
      sender: ann.sub,
      content: 'Hello, World!',
      messageType: 'TEXT',
      clientMessageId: null,
      createdAt: '2026-01-02T03:04:05.000Z',
      participants: [`${ann.sub}::${ann.username}`, `${bob.sub}::${bob.sub}`],
    });
    expect(store.messages.get(sent.id)).toMatchObject({ sender: ann.sub, content: 'Hello, World!' });
  });

  it('copies the conversation\'s participants in <sub>::<username> form, whatever the client sent', async () => {
    const store = storeWithConversation([`${ann.sub}::${ann.username}`, bob.sub, bob.sub, null]);
    const forged = {
      conversationId: 'conv-1',
      content: 'hi',
      participants: [eve.sub],
      sender: eve.sub,
      createdAt: '1999-01-01T00:00:00.000Z',
    } as unknown as Parameters<typeof sendMessage>[2];
    const sent = await sendMessage(store, ann, forged, at('2026-01-02T00:00:00.000Z'));
    const stored = store.messages.get(sent.id)!;
    expect(stored.participants).toEqual([`${ann.sub}::${ann.username}`, `${bob.sub}::${bob.sub}`]);
    expect(stored.sender).toBe(ann.sub);
    expect(stored.createdAt).toBe('2026-01-02T00:00:00.000Z');
  });

  it.each([
    ['<sub>::<username>', (u: typeof ann) => `${u.sub}::${u.username}`],
    ['<sub>', (u: typeof ann) => u.sub],
    ['<username>', (u: typeof ann) => u.username],
  ])('recognizes a participant listed as %s', async (_, form) => {
    const caller = { sub: 'aaaa', username: 'ann' };
    const store = storeWithConversation([form(caller)]);
    await expect(sendMessage(store, caller, { conversationId: 'conv-1', content: 'x' })).resolves.toMatchObject({ sender: 'aaaa' });
  });

  it('refuses a caller who is not a participant, and writes nothing', async () => {
    const store = storeWithConversation();
    const error = await errorOf(sendMessage(store, eve, { conversationId: 'conv-1', content: 'let me in' }));
    expect(chatErrorCode(error.message)).toBe('Unauthorized');
    expect(store.createCalls).toBe(0);
    expect(store.conversations.get('conv-1')!.lastMessageAt).toBeNull();
  });

  it('answers a missing conversation exactly like a foreign one (no existence oracle)', async () => {
    const store = storeWithConversation();
    const missing = await errorOf(sendMessage(store, eve, { conversationId: 'conv-404', content: 'x' }));
    const foreign = await errorOf(sendMessage(store, eve, { conversationId: 'conv-1', content: 'x' }));
    expect(missing.message.replace('conv-404', 'ID')).toBe(foreign.message.replace('conv-1', 'ID'));
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n\t '],
    ['too long', 'x'.repeat(MAX_MESSAGE_LENGTH + 1)],
  ])('rejects %s content with a validation error', async (_, content) => {
    const store = storeWithConversation();
    const error = await errorOf(sendMessage(store, ann, { conversationId: 'conv-1', content }));
    expect(chatErrorCode(error.message)).toBe('ValidationError');
    expect(store.createCalls).toBe(0);
  });

  it('accepts exactly the limit, counted in characters as users see them (after trimming)', async () => {
    const store = storeWithConversation();
    const emoji = '😀'.repeat(MAX_MESSAGE_LENGTH); // 8,000 UTF-16 units, 4,000 characters
    await expect(sendMessage(store, ann, { conversationId: 'conv-1', content: ` ${emoji} ` })).resolves.toBeDefined();
    await expect(sendMessage(store, ann, { conversationId: 'conv-1', content: 'y'.repeat(MAX_MESSAGE_LENGTH) })).resolves.toBeDefined();
  });

  it('accepts TEXT, IMAGE and FILE, defaults to TEXT, and refuses SYSTEM and unknown types', async () => {
    const store = storeWithConversation();
    for (const messageType of ['TEXT', 'IMAGE', 'FILE']) {
      await expect(sendMessage(store, ann, { conversationId: 'conv-1', content: 'x', messageType })).resolves.toMatchObject({ messageType });
    }
    for (const messageType of ['SYSTEM', 'VIDEO', 'text']) {
      const error = await errorOf(sendMessage(store, ann, { conversationId: 'conv-1', content: 'x', messageType }));
      expect(chatErrorCode(error.message), messageType).toBe('ValidationError');
    }
  });

  it('updates the conversation\'s last message time and preview', async () => {
    const store = storeWithConversation();
    await sendMessage(store, ann, { conversationId: 'conv-1', content: 'a'.repeat(500) }, at('2026-03-01T10:00:00.000Z'));
    const conversation = store.conversations.get('conv-1')!;
    expect(conversation.lastMessageAt).toBe('2026-03-01T10:00:00.000Z');
    expect([...conversation.lastMessagePreview!]).toHaveLength(MESSAGE_PREVIEW_LENGTH);
  });

  describe('idempotency on clientMessageId', () => {
    it('returns the same message for a retried send and stores it once', async () => {
      const store = storeWithConversation();
      const input = { conversationId: 'conv-1', content: 'once', clientMessageId: 'c-1' };
      const first = await sendMessage(store, ann, input, at('2026-01-01T00:00:00.000Z'));
      const retry = await sendMessage(store, ann, input, at('2026-01-01T00:00:09.000Z'));
      expect(retry).toEqual(first);
      expect(store.messages.size).toBe(1);
    });

    it('returns canonical participants on a retry even though AppSync reads them back as bare usernames', async () => {
      const store = storeWithConversation();
      const input = { conversationId: 'conv-1', content: 'once', clientMessageId: 'c-bare' };
      const first = await sendMessage(store, ann, input, at('2026-01-01T00:00:00.000Z'));
      store.messages.get(first.id)!.participants = [ann.username, bob.sub];
      const retry = await sendMessage(store, ann, input, at('2026-01-01T00:00:09.000Z'));
      expect(retry.participants).toEqual([`${ann.username}::${ann.username}`, `${bob.sub}::${bob.sub}`]);
    });

    it('stores one message when the same send arrives several times concurrently', async () => {
      const store = storeWithConversation();
      const input = { conversationId: 'conv-1', content: 'burst', clientMessageId: 'c-2' };
      const results = await Promise.all(Array.from({ length: 5 }, () => sendMessage(store, ann, input)));
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(store.messages.size).toBe(1);
    });

    it('keeps different clientMessageIds, and the same clientMessageId of different senders, apart', async () => {
      const store = storeWithConversation();
      const a = await sendMessage(store, ann, { conversationId: 'conv-1', content: 'x', clientMessageId: 'c-1' });
      const b = await sendMessage(store, ann, { conversationId: 'conv-1', content: 'x', clientMessageId: 'c-2' });
      const c = await sendMessage(store, bob, { conversationId: 'conv-1', content: 'x', clientMessageId: 'c-1' });
      expect(new Set([a.id, b.id, c.id]).size).toBe(3);
      expect(messageIdFor(ann.sub, 'c-1')).toBe(a.id);
      expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('refuses to reuse a clientMessageId for different content', async () => {
      const store = storeWithConversation();
      await sendMessage(store, ann, { conversationId: 'conv-1', content: 'first', clientMessageId: 'c-1' });
      const error = await errorOf(sendMessage(store, ann, { conversationId: 'conv-1', content: 'second', clientMessageId: 'c-1' }));
      expect(chatErrorCode(error.message)).toBe('Conflict');
      expect([...store.messages.values()].map((m) => m.content)).toEqual(['first']);
    });

    it('completes the conversation update on retry when the first attempt failed after writing the message', async () => {
      const store = storeWithConversation();
      const input = { conversationId: 'conv-1', content: 'retry me', clientMessageId: 'c-3' };
      store.failNextTouch = true;
      await expect(sendMessage(store, ann, input, at('2026-05-05T05:05:05.000Z'))).rejects.toThrow('network error');
      expect(store.messages.size).toBe(1);
      await sendMessage(store, ann, input, at('2026-05-05T05:06:00.000Z'));
      expect(store.conversations.get('conv-1')).toMatchObject({
        lastMessageAt: '2026-05-05T05:05:05.000Z',
        lastMessagePreview: 'retry me',
      });
      expect(store.messages.size).toBe(1);
    });
  });
});

describe('editMessage and removeMessage', () => {
  async function sentBy(store: MemoryStore, caller: typeof ann) {
    return sendMessage(store, caller, { conversationId: 'conv-1', content: 'original' }, at('2026-01-01T00:00:00.000Z'));
  }

  it('lets the sender edit and marks the message edited', async () => {
    const store = storeWithConversation();
    const sent = await sentBy(store, ann);
    const edited = await editMessage(store, ann, { messageId: sent.id, content: ' fixed ' }, at('2026-01-01T00:05:00.000Z'));
    expect(edited).toMatchObject({ id: sent.id, content: 'fixed', editedAt: '2026-01-01T00:05:00.000Z' });
  });

  it('refuses edits and removals by anyone but the sender, including other participants', async () => {
    const store = storeWithConversation();
    const sent = await sentBy(store, ann);
    for (const caller of [bob, eve]) {
      expect(chatErrorCode((await errorOf(editMessage(store, caller, { messageId: sent.id, content: 'hijack' }))).message)).toBe('Unauthorized');
      expect(chatErrorCode((await errorOf(removeMessage(store, caller, { messageId: sent.id }))).message)).toBe('Unauthorized');
    }
    expect(store.messages.get(sent.id)).toMatchObject({ content: 'original', editedAt: null });
  });

  it('validates edited content like new content', async () => {
    const store = storeWithConversation();
    const sent = await sentBy(store, ann);
    const error = await errorOf(editMessage(store, ann, { messageId: sent.id, content: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) }));
    expect(chatErrorCode(error.message)).toBe('ValidationError');
  });

  it('lets the sender remove their message', async () => {
    const store = storeWithConversation();
    const sent = await sentBy(store, ann);
    await expect(removeMessage(store, ann, { messageId: sent.id })).resolves.toMatchObject({ id: sent.id });
    expect(store.messages.has(sent.id)).toBe(false);
  });

  it('answers a missing message like a foreign one', async () => {
    const store = storeWithConversation();
    const error = await errorOf(removeMessage(store, ann, { messageId: 'nope' }));
    expect(chatErrorCode(error.message)).toBe('Unauthorized');
  });
});

describe('previewOf', () => {
  it('flattens whitespace, truncates with an ellipsis and names non-text messages', () => {
    expect(previewOf('a\n\nb   c', 'TEXT')).toBe('a b c');
    expect(previewOf('x'.repeat(MESSAGE_PREVIEW_LENGTH + 10), 'TEXT').endsWith('…')).toBe(true);
    expect(previewOf('https://example.com/cat.png', 'IMAGE')).toBe('📷 Image');
  });
});

describe('events', () => {
  const annCanonical = `${ann.sub}::${ann.username}`;
  const bobCanonical = `${bob.sub}::${bob.sub}`;

  it('a send publishes MESSAGE_SENT with the whole message to the canonical participants, after the writes', async () => {
    const store = storeWithConversation();
    const sent = await sendMessage(store, ann, { conversationId: 'conv-1', content: ' hi ', clientMessageId: 'c-1' }, at('2026-01-02T03:04:05.000Z'));
    expect(store.published).toEqual([
      {
        conversationId: 'conv-1',
        type: 'MESSAGE_SENT',
        userId: ann.sub,
        at: '2026-01-02T03:04:05.000Z',
        participants: [annCanonical, bobCanonical],
        messageId: sent.messageId,
        id: sent.messageId,
        sender: ann.sub,
        content: 'hi',
        messageType: 'TEXT',
        clientMessageId: 'c-1',
        createdAt: '2026-01-02T03:04:05.000Z',
        editedAt: null,
      },
    ]);
    expect(store.messages.has(sent.messageId)).toBe(true);
  });

  it('a refused send publishes nothing', async () => {
    const store = storeWithConversation();
    await expect(sendMessage(store, eve, { conversationId: 'conv-1', content: 'x' })).rejects.toThrow(/^Unauthorized: /);
    await expect(sendMessage(store, ann, { conversationId: 'conv-1', content: '   ' })).rejects.toThrow(/^ValidationError: /);
    expect(store.published).toEqual([]);
  });

  it('an edit publishes MESSAGE_EDITED (not when nothing changed); a removal publishes MESSAGE_DELETED without the text', async () => {
    const store = storeWithConversation();
    const sent = await sendMessage(store, ann, { conversationId: 'conv-1', content: 'first' }, at('2026-01-02T00:00:00.000Z'));
    await editMessage(store, ann, { messageId: sent.messageId, content: 'first' }, at('2026-01-02T00:00:01.000Z'));
    await editMessage(store, ann, { messageId: sent.messageId, content: 'second' }, at('2026-01-02T00:00:02.000Z'));
    await removeMessage(store, ann, { messageId: sent.messageId }, at('2026-01-02T00:00:03.000Z'));
    expect(store.published.map((e) => [e.type, e.content, e.editedAt, e.at])).toEqual([
      ['MESSAGE_SENT', 'first', null, '2026-01-02T00:00:00.000Z'],
      ['MESSAGE_EDITED', 'second', '2026-01-02T00:00:02.000Z', '2026-01-02T00:00:02.000Z'],
      ['MESSAGE_DELETED', null, '2026-01-02T00:00:02.000Z', '2026-01-02T00:00:03.000Z'],
    ]);
    expect(new Set(store.published.map((e) => e.messageId))).toEqual(new Set([sent.messageId]));
    expect(store.published.every((e) => e.participants.join() === [annCanonical, bobCanonical].join())).toBe(true);
  });

  it('events about a message go to its readers still in the conversation: not to a removed member, not to a later one', async () => {
    const store = storeWithConversation([annCanonical, bob.sub]);
    const sent = await sendMessage(store, ann, { conversationId: 'conv-1', content: 'before', clientMessageId: 'c-1' }, at('2026-01-02T00:00:00.000Z'));
    // An operator removes Bob and adds Eve.
    store.conversations.get('conv-1')!.participants = [annCanonical, eve.sub];
    await editMessage(store, ann, { messageId: sent.messageId, content: 'after' }, at('2026-01-02T00:00:01.000Z'));
    // A retried send of the old message: Eve may not read it, Bob is gone.
    await sendMessage(store, ann, { conversationId: 'conv-1', content: 'before', clientMessageId: 'c-1' }, at('2026-01-02T00:00:02.000Z')).catch(
      (error: Error) => expect(error.message).toMatch(/^Conflict: /),
    );
    await removeMessage(store, ann, { messageId: sent.messageId }, at('2026-01-02T00:00:03.000Z'));
    expect(store.published.map((e) => [e.type, e.participants])).toEqual([
      ['MESSAGE_SENT', [annCanonical, bobCanonical]],
      ['MESSAGE_EDITED', [annCanonical]],
      ['MESSAGE_DELETED', [annCanonical]],
    ]);
  });

  it('a retried send republishes to the stored readers still in the conversation', async () => {
    const store = storeWithConversation([annCanonical, bob.sub]);
    await sendMessage(store, ann, { conversationId: 'conv-1', content: 'hello', clientMessageId: 'c-2' }, at('2026-01-02T00:00:00.000Z'));
    store.conversations.get('conv-1')!.participants = [annCanonical, bob.sub, eve.sub];
    await sendMessage(store, ann, { conversationId: 'conv-1', content: 'hello', clientMessageId: 'c-2' }, at('2026-01-02T00:00:05.000Z'));
    expect(store.published.map((e) => [e.type, e.participants, e.createdAt])).toEqual([
      ['MESSAGE_SENT', [annCanonical, bobCanonical], '2026-01-02T00:00:00.000Z'],
      ['MESSAGE_SENT', [annCanonical, bobCanonical], '2026-01-02T00:00:00.000Z'],
    ]);
  });

  it('typing is checked like a send, published as TYPING, and stores nothing', async () => {
    const store = storeWithConversation();
    const event = await sendTyping(store, bob, { conversationId: 'conv-1', typing: true }, at('2026-01-02T00:00:00.000Z'));
    expect(event).toEqual({ conversationId: 'conv-1', userId: bob.sub, typing: true, at: '2026-01-02T00:00:00.000Z' });
    expect(store.published).toEqual([{ ...event, type: 'TYPING', participants: [annCanonical, bobCanonical] }]);
    await expect(sendTyping(store, eve, { conversationId: 'conv-1', typing: true })).rejects.toThrow(/^Unauthorized: /);
    await expect(sendTyping(store, bob, { conversationId: 'nope', typing: true })).rejects.toThrow(/^Unauthorized: /);
    await expect(sendTyping(store, bob, { conversationId: 'conv-1', typing: 'yes' })).rejects.toThrow(/^ValidationError: /);
    expect(store.published).toHaveLength(1);
    expect(store.messages.size).toBe(0);
  });
});
