import { useEffect, useState } from 'react';
import { client, type Schema } from './data-client';

type Conversation = Schema['Conversation']['type'];

/** Lists the signed-in user's conversations (the API returns only those the user participates in). */
export function ConversationList() {
  const [conversations, setConversations] = useState<Conversation[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    client.models.Conversation.list()
      .then(({ data, errors }) => {
        if (!active) return;
        if (errors?.length) setError(errors.map((e) => e.message).join('; '));
        setConversations(data);
      })
      .catch((reason: unknown) => active && setError(reason instanceof Error ? reason.message : String(reason)));
    return () => {
      active = false;
    };
  }, []);

  if (error) return <p role="alert">Could not load conversations: {error}</p>;
  if (!conversations) return <p aria-busy="true">Loading conversations…</p>;
  if (conversations.length === 0) return <p>No conversations yet.</p>;
  return (
    <ul aria-label="Conversations">
      {conversations.map((c) => (
        <li key={c.id}>
          <strong>{c.name ?? 'Conversation'}</strong> {c.lastMessagePreview}
        </li>
      ))}
    </ul>
  );
}
