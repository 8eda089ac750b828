/** One object: its details, an image preview, download, and delete with a confirmation step. */
import { useState } from 'react';
import { api, describeError } from '../api';
import { ErrorAlert } from '../common';
import { formatTime } from '../auth/types';
import { formatBytes, objectUrl, PREVIEW_TYPES, type ConsoleObject } from './types';

interface Props {
  bucket: string;
  object: ConsoleObject;
  onDeleted: () => void;
}

export function ObjectDetail({ bucket, object, onDeleted }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const remove = () => {
    setBusy(true);
    api('DELETE', objectUrl(bucket, object.key)).then(
      () => {
        setBusy(false);
        setAsking(false);
        onDeleted();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(describeError(failure));
      },
    );
  };
  const metadata = Object.entries(object.metadata);
  return (
    <section className="object-detail" aria-label="Object">
      <h2>{object.key.slice(object.key.lastIndexOf('/') + 1)}</h2>
      <dl className="attributes">
        <div className="attribute">
          <dt>Key</dt>
          <dd>
            <code>{object.key}</code>
          </dd>
        </div>
        <div className="attribute">
          <dt>Size</dt>
          <dd>
            {formatBytes(object.size)} ({object.size} bytes)
          </dd>
        </div>
        <div className="attribute">
          <dt>Type</dt>
          <dd>{object.contentType}</dd>
        </div>
        <div className="attribute">
          <dt>Modified</dt>
          <dd>{formatTime(object.lastModified)}</dd>
        </div>
        <div className="attribute">
          <dt>ETag</dt>
          <dd>
            <code>{object.etag}</code>
          </dd>
        </div>
        {metadata.map(([name, value]) => (
          <div className="attribute" key={name}>
            <dt>x-amz-meta-{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {PREVIEW_TYPES.has(object.contentType) && <img className="object-preview" src={objectUrl(bucket, object.key)} alt={`Preview of ${object.key}`} />}
      <div className="row">
        <a href={objectUrl(bucket, object.key, true)} download>
          Download
        </a>
        {!asking ? (
          <button type="button" className="danger push-right" disabled={busy} onClick={() => setAsking(true)}>
            Delete…
          </button>
        ) : (
          <span className="confirm push-right" role="group" aria-label="Confirm delete">
            <span>Delete this object from the bucket? No function is told.</span>{' '}
            <button type="button" className="danger" disabled={busy} onClick={remove} autoFocus>
              Delete object
            </button>{' '}
            <button type="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </span>
        )}
      </div>
      <ErrorAlert error={error} />
    </section>
  );
}
