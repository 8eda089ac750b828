/** Every table of the backend: its model, name, key, indexes and item count; a table's name opens it. */
import { tableLabel, type ConsoleTable, type KeyElement } from './types';

function keys(schema: KeyElement[]): string {
  return schema.map((k) => `${k.attributeName} (${k.keyType === 'HASH' ? 'partition' : 'sort'})`).join(', ');
}

interface Props {
  tables: ConsoleTable[];
  selected: string | undefined;
  onSelect: (name: string) => void;
}

export function TableList({ tables, selected, onSelect }: Props) {
  return (
    <table className="data-tables" aria-label="Tables">
      <thead>
        <tr>
          <th scope="col">Table</th>
          <th scope="col">Key and indexes</th>
          <th scope="col" className="number">
            Items
          </th>
        </tr>
      </thead>
      <tbody>
        {tables.map((table) => {
          const indexes = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes];
          return (
            <tr key={table.name} aria-selected={table.name === selected}>
              <td>
                <button type="button" className="link" aria-pressed={table.name === selected} onClick={() => onSelect(table.name)}>
                  {tableLabel(table)}
                </button>
                <div className="muted small physical-name" title={table.name}>
                  {table.name}
                </div>
              </td>
              <td className="small">
                <div>{keys(table.keySchema)}</div>
                {indexes.map((index) => (
                  <div key={index.indexName} className="muted" title={`projection ${index.projectionType}`}>
                    index <code>{index.indexName}</code>: {keys(index.keySchema)}
                  </div>
                ))}
              </td>
              <td className="number">{table.itemCount ?? '?'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
