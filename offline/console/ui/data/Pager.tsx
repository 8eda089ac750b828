/** Where the results are in the paging, with "first page" and "next page" (DynamoDB's LastEvaluatedKey). */
interface Props {
  count: number;
  pageNumber: number;
  hasNext: boolean;
  busy: boolean;
  onFirst: () => void;
  onNext: () => void;
}

export function Pager({ count, pageNumber, hasNext, busy, onFirst, onNext }: Props) {
  return (
    <div className="row data-pager">
      <span role="status">
        Page {pageNumber}: {count} {count === 1 ? 'item' : 'items'}
        {hasNext ? ' — more pages' : ' — the last page'}
      </span>
      <button type="button" onClick={onFirst} disabled={busy || pageNumber === 1}>
        First page
      </button>
      <button type="button" onClick={onNext} disabled={busy || !hasNext}>
        Next page
      </button>
    </div>
  );
}
