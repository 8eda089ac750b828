import { useState } from 'react';
import { highlightParts } from '../chat/search';
import type { MessageSearch as Search, SearchHit } from '../hooks/useMessageSearch';
import { formatListTime } from '../state/conversation-list';

interface MessageSearchProps {
  readonly search: Search;
  readonly now: Date;
  /** The conversations searched, most recently active first. */
  readonly conversationIds: readonly string[];
  readonly titleOf: (hit: SearchHit) => string;
  readonly senderOf: (hit: SearchHit) => string;
  readonly onOpen: (hit: SearchHit) => void;
}

/**
 * The search field (role="search", input "Search messages") and, once a search ran, its results: one button per hit
 * (conversation, sender, time, snippet with the matched words in <mark>), "Load more" while there are more.
 */
export function MessageSearch({ search, now, conversationIds, titleOf, senderOf, onOpen }: MessageSearchProps) {
  const [text, setText] = useState('');
  return (
    <div className="message-search">
      <form
        role="search"
        className="message-search__form"
        onSubmit={(event) => {
          event.preventDefault();
          search.search(text, conversationIds);
        }}
      >
        <input
          type="search"
          className="message-search__input"
          aria-label="Search messages"
          placeholder="Search messages"
          value={text}
          maxLength={200}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value === '') search.clear();
          }}
        />
      </form>
      {(search.searched || search.loading) && (
        <section className="message-search__results" aria-label="Search results" aria-busy={search.loading}>
          {search.error && <p className="message-search__error" role="alert">{search.error}</p>}
          {search.searched && !search.error && search.hits.length === 0 && !search.loading && <p className="message-search__empty">No messages found.</p>}
          {search.hits.length > 0 && (
            <ul className="message-search__list">
              {search.hits.map((hit) => (
                <li key={hit.messageId}>
                  <button type="button" className="search-hit" data-hit-id={hit.messageId} onClick={() => onOpen(hit)}>
                    <span className="search-hit__title">{titleOf(hit)}</span>
                    <time className="search-hit__time" dateTime={hit.createdAt}>
                      {formatListTime(hit.createdAt, now)}
                    </time>
                    <span className="search-hit__sender">{senderOf(hit)}</span>
                    <span className="search-hit__snippet">
                      {highlightParts(hit.snippet, hit.terms.filter((t): t is string => typeof t === 'string')).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {search.hasMore && (
            <button type="button" className="link-button message-search__more" disabled={search.loading} onClick={search.loadMore}>
              Load more
            </button>
          )}
        </section>
      )}
    </div>
  );
}
