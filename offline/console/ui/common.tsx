/** Small pieces every page uses. */
import type { ReactNode } from 'react';

/** A failure the page reports, announced to screen readers; nothing when there is none. */
export function ErrorAlert({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error}
    </p>
  );
}

/** A page's or panel's heading with its "Refresh …" button on the right. */
export function HeadingWithRefresh({ heading, refreshLabel, onRefresh }: { heading: ReactNode; refreshLabel: string; onRefresh: () => void }) {
  return (
    <div className="row">
      {heading}
      <button type="button" className="push-right" onClick={onRefresh}>
        {refreshLabel}
      </button>
    </div>
  );
}
