/** The search form of one table: a query by key (table or index) or a scan, with an optional filter. */
import type { FormEvent } from 'react';
import { SORT_OPERATORS, type SearchForm, type SortOperator } from './query-request';
import { keySchemaOf, partitionKey, sortKey, type ConsoleTable } from './types';

interface Props {
  table: ConsoleTable;
  form: SearchForm;
  busy: boolean;
  onChange: (form: SearchForm) => void;
  onRun: () => void;
}

const OPERATOR_LABELS: Record<SortOperator, string> = {
  '': 'any',
  '=': '=',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  begins_with: 'begins with',
  between: 'between',
};

export function SearchPanel({ table, form, busy, onChange, onRun }: Props) {
  const set = <K extends keyof SearchForm>(field: K, value: SearchForm[K]) => onChange({ ...form, [field]: value });
  const indexes = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes];
  const schema = keySchemaOf(table, form.indexName === '' ? undefined : form.indexName);
  const hash = partitionKey(schema);
  const range = sortKey(schema);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onRun();
  };
  return (
    <form className="data-search" aria-label="Search" onSubmit={submit}>
      <fieldset className="row">
        <legend className="visually-hidden">Operation</legend>
        <label>
          <input type="radio" name="operation" checked={form.mode === 'scan'} onChange={() => set('mode', 'scan')} /> Scan
        </label>
        <label>
          <input type="radio" name="operation" checked={form.mode === 'query'} onChange={() => set('mode', 'query')} /> Query by key
        </label>
        <label>
          Index{' '}
          <select value={form.indexName} onChange={(event) => set('indexName', event.target.value)}>
            <option value="">the table itself</option>
            {indexes.map((index) => (
              <option key={index.indexName} value={index.indexName}>
                {index.indexName}
              </option>
            ))}
          </select>
        </label>
        <label>
          Page size{' '}
          <select value={form.limit} onChange={(event) => set('limit', Number(event.target.value))}>
            {[10, 25, 100, 1000].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      {form.mode === 'query' && (
        <fieldset className="row">
          <legend className="visually-hidden">Key condition</legend>
          <label>
            Partition key value <code className="muted">{hash}</code>{' '}
            <input value={form.partitionValue} onChange={(event) => set('partitionValue', event.target.value)} />
          </label>
          {range !== undefined && (
            <>
              <label>
                Sort key condition <code className="muted">{range}</code>{' '}
                <select value={form.sortOperator} onChange={(event) => set('sortOperator', event.target.value as SortOperator)}>
                  {SORT_OPERATORS.map((op) => (
                    <option key={op} value={op}>
                      {OPERATOR_LABELS[op]}
                    </option>
                  ))}
                </select>
              </label>
              {form.sortOperator !== '' && (
                <label>
                  Sort key value <input value={form.sortValue} onChange={(event) => set('sortValue', event.target.value)} />
                </label>
              )}
              {form.sortOperator === 'between' && (
                <label>
                  and <input aria-label="Sort key upper bound" value={form.sortValueTo} onChange={(event) => set('sortValueTo', event.target.value)} />
                </label>
              )}
            </>
          )}
          <label>
            <input type="checkbox" checked={form.newestFirst} onChange={(event) => set('newestFirst', event.target.checked)} /> Newest first
          </label>
        </fieldset>
      )}
      <fieldset className="row filter">
        <legend className="visually-hidden">Filter</legend>
        <label className="grow">
          Filter expression{' '}
          <input value={form.filterExpression} placeholder="#c = :v, contains(#c, :v), attribute_exists(editedAt)…" onChange={(event) => set('filterExpression', event.target.value)} />
        </label>
        <label className="grow">
          Expression attribute names{' '}
          <input value={form.names} placeholder='{"#c": "content"}' onChange={(event) => set('names', event.target.value)} />
        </label>
        <label className="grow">
          Expression attribute values{' '}
          <input value={form.values} placeholder='{":v": {"S": "hello"}}' onChange={(event) => set('values', event.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {form.mode === 'query' ? 'Run query' : 'Run scan'}
        </button>
      </fieldset>
    </form>
  );
}
