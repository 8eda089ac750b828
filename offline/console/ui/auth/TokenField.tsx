/** One token: read-only, its expiry, and a copy button. */
import { useId, useState } from 'react';
import { expiryOf } from './token-claims';

interface Props {
  label: string;
  token: string;
}

export function TokenField({ label, token }: Props) {
  const id = useId();
  const [copied, setCopied] = useState<string>();
  const copy = () => {
    navigator.clipboard.writeText(token).then(
      () => setCopied('Copied.'),
      () => setCopied('The browser refused the clipboard: select the text and copy it.'),
    );
  };
  return (
    <div className="token">
      <div className="row">
        <label htmlFor={id}>{label}</label>
        <span className="muted small">expires {expiryOf(token)}</span>
        <button type="button" className="push-right" aria-label={`Copy ${label}`} onClick={copy}>
          Copy
        </button>
        {copied && (
          <span role="status" className="muted small">
            {copied}
          </span>
        )}
      </div>
      <textarea id={id} readOnly rows={3} value={token} />
    </div>
  );
}
