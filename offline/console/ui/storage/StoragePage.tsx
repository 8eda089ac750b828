/**
 * The Storage page: the buckets the sandbox serves (defineStorage), a bucket's objects by key prefix, page by page, and
 * one object's details, preview (images), download and delete. Straight to the bucket's files: no IAM policy applies.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../api';
import { ErrorAlert, HeadingWithRefresh } from '../common';
import { ObjectDetail } from './ObjectDetail';
import { ObjectsTable } from './ObjectsTable';
import { formatBytes, type ConsoleBucket, type ConsoleObject, type ConsoleObjectPage } from './types';
import './storage.css';

const PAGE_SIZE = 100;

export function StoragePage() {
  const [buckets, setBuckets] = useState<ConsoleBucket[]>();
  const [bucket, setBucket] = useState<string>();
  const [prefix, setPrefix] = useState('');
  const [objects, setObjects] = useState<ConsoleObject[]>([]);
  const [nextAfter, setNextAfter] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<string>();

  const loadBuckets = useCallback(() => {
    api<ConsoleBucket[]>('GET', '/api/buckets').then(
      (list) => {
        setBuckets(list);
        setBucket((current) => current ?? list[0]?.name);
        setError(undefined);
      },
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);

  const loadObjects = useCallback(
    (after?: string) => {
      if (!bucket) return;
      const query = new URLSearchParams({ prefix, limit: String(PAGE_SIZE), ...(after ? { after } : {}) });
      api<ConsoleObjectPage>('GET', `/api/buckets/${encodeURIComponent(bucket)}/objects?${query.toString()}`).then(
        (page) => {
          setObjects((current) => (after ? [...current, ...page.objects] : page.objects));
          setNextAfter(page.nextAfter);
          setError(undefined);
        },
        (failure: unknown) => setError(describeError(failure)),
      );
    },
    [bucket, prefix],
  );

  useEffect(loadBuckets, [loadBuckets]);
  useEffect(() => loadObjects(), [loadObjects]);

  const refresh = () => {
    loadBuckets();
    loadObjects();
  };
  const object = objects.find((o) => o.key === selected);
  if (buckets && buckets.length === 0) return <p className="muted">This backend has no bucket (defineStorage).</p>;
  return (
    <div className="storage-page">
      <div className="storage-list">
        <HeadingWithRefresh heading={<h1>Storage</h1>} refreshLabel="Refresh objects" onRefresh={refresh} />
        <ErrorAlert error={error} />
        <div className="row">
          <label>
            Bucket{' '}
            <select value={bucket ?? ''} onChange={(event) => setBucket(event.target.value)}>
              {(buckets ?? []).map((b) => (
                <option key={b.name} value={b.name}>
                  {b.name} ({b.objects} objects, {formatBytes(b.bytes)})
                </option>
              ))}
            </select>
          </label>
          <label>
            Key prefix <input value={prefix} onChange={(event) => setPrefix(event.target.value)} placeholder="e.g. uploads/" />
          </label>
        </div>
        {buckets && bucket && <p className="muted small">Clients address it as {buckets.find((b) => b.name === bucket)?.bucketName}.</p>}
        <ObjectsTable objects={objects} selected={selected} onSelect={setSelected} />
        {nextAfter && (
          <button type="button" onClick={() => loadObjects(nextAfter)}>
            More objects
          </button>
        )}
      </div>
      {object && bucket ? (
        <ObjectDetail
          key={object.key}
          bucket={bucket}
          object={object}
          onDeleted={() => {
            setSelected(undefined);
            refresh();
          }}
        />
      ) : (
        <p className="muted">Choose an object to see it, download it or delete it.</p>
      )}
    </div>
  );
}
