/** Who is typing in the open conversation, announced politely; empty when nobody types. */
export function TypingIndicator({ label }: { readonly label: string }) {
  return (
    <div role="status" className="typing-indicator">
      {label && (
        <>
          <span className="typing-indicator__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span>{label}</span>
        </>
      )}
    </div>
  );
}
