import { useMemo } from 'react';
import { linkify } from '../chat/text';

/** Message text as React text nodes, with http(s) URLs as links opening in a new tab. Never HTML. */
export function MessageText({ content }: { readonly content: string }) {
  const segments = useMemo(() => linkify(content), [content]);
  return (
    <p className="message__text">
      {segments.map((segment, index) =>
        segment.kind === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </p>
  );
}
