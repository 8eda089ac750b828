/** Delete with a confirmation step (straight from DynamoDB, like "Save to DynamoDB"). */
import { useState } from 'react';

interface Props {
  busy: boolean;
  onDelete: () => void;
}

export function DeleteItem({ busy, onDelete }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" disabled={busy} onClick={() => setAsking(true)}>
        Delete…
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label="Confirm delete">
      <span>Delete this item from DynamoDB? No resolver runs.</span>
      <button type="button" className="danger" disabled={busy} onClick={onDelete} autoFocus>
        Delete item
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </div>
  );
}
