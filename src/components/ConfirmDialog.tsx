import { useState } from 'react';
import { Dialog } from './Dialog';

interface ConfirmDialogProps {
  readonly title: string;
  readonly message: React.ReactNode;
  readonly confirmLabel: string;
  readonly busyLabel: string;
  /** Resolves when done (the dialog then closes); rejects with a readable error shown in the dialog. */
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
}

/** "Are you sure?" for a destructive action; Cancel has the focus first. */
export function ConfirmDialog({ title, message, confirmLabel, busyLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose} description={message} className="dialog--small">
      <div aria-live="polite">{error && <p className="form-error">{error}</p>}</div>
      <div className="dialog__actions">
        <button type="button" className="button button--ghost" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className="button button--danger" onClick={() => void confirm()} disabled={busy}>
          {busy ? busyLabel : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
