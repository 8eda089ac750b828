/** A page of items as a table: the key attributes first, then every other attribute any item has. */
import { compactValue } from './dynamo-values';
import { keyOf, type ConsoleTable, type Item } from './types';

interface Props {
  table: ConsoleTable;
  items: Item[];
  onOpen: (item: Item) => void;
}

export function columnsOf(table: ConsoleTable, items: Item[]): string[] {
  const keys = table.keySchema.map((k) => k.attributeName);
  const rest = new Set<string>();
  for (const item of items) for (const name of Object.keys(item)) if (!keys.includes(name)) rest.add(name);
  return [...keys, ...[...rest].sort()];
}

export function ResultsTable({ table, items, onOpen }: Props) {
  const columns = columnsOf(table, items);
  return (
    <div className="data-results">
      <table aria-label="Items">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const key = Object.values(keyOf(table, item)).map(compactValue).join(' / ');
            return (
              <tr key={JSON.stringify(keyOf(table, item))}>
                <td>
                  <button type="button" aria-label={`Open item ${key}`} onClick={() => onOpen(item)}>
                    Open
                  </button>
                </td>
                {columns.map((column) => {
                  const value = item[column];
                  const type = value ? Object.keys(value)[0] : undefined;
                  return (
                    <td key={column} title={value ? JSON.stringify(value) : undefined}>
                      {value === undefined ? '' : compactValue(value)}
                      {type !== undefined && type !== 'S' && <span className="type-tag">{type}</span>}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
