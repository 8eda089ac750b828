/** Delete a user (AdminDeleteUser), after a confirmation step. */
import { useState } from 'react';

interface Props {
  label: string;
  busy: boolean;
  onDelete: () => void;
}

export function ConfirmDelete({ label, busy, onDelete }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" disabled={busy} onClick={() => setAsking(true)}>
        Delete user…
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label="Confirm delete">
      <span>Delete {label} from the pool? Their sessions end; their data in the tables stays.</span>
      <button type="button" className="danger" disabled={busy} onClick={onDelete} autoFocus>
        Delete {label}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </div>
  );
}
