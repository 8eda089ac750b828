import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { CloseIcon } from './Icons';

interface DialogProps {
  /** The dialog's heading and accessible name. */
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly description?: ReactNode;
  readonly className?: string;
}

/**
 * A modal dialog on the native <dialog> element (role dialog, named by its heading): showModal()
 * makes the rest of the page inert and traps focus, Escape closes it, and focus goes back to the
 * element that opened it when it closes (unless the caller moved focus elsewhere meanwhile).
 * The first element marked `data-autofocus` gets the focus when it opens.
 */
export function Dialog({ title, onClose, children, description, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  });

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // showModal() focuses the first focusable element; a [data-autofocus] one is preferred.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    // Escape (and the browser's other close requests) close the element itself: follow it. The
    // event is queued, so one from an earlier close() (e.g. StrictMode's remount) finds it open again.
    const onNativeClose = () => {
      if (!dialog.open) onCloseRef.current();
    };
    dialog.addEventListener('close', onNativeClose);
    return () => {
      dialog.removeEventListener('close', onNativeClose);
      const focusLost = document.activeElement === document.body || dialog.contains(document.activeElement);
      if (dialog.open) dialog.close();
      if (focusLost && opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> itself (the content fills it).
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="dialog__content">
        <header className="dialog__header">
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close" title="Close">
            <CloseIcon />
          </button>
        </header>
        {description && (
          <div id={descriptionId} className="dialog__description">
            {description}
          </div>
        )}
        {children}
      </div>
    </dialog>
  );
}
