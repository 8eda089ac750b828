/** A bucket's objects, one row each: key, size, type, modified; the key opens the object's details. */
import { formatTime } from '../auth/types';
import { formatBytes, type ConsoleObject } from './types';

interface Props {
  objects: ConsoleObject[];
  selected: string | undefined;
  onSelect: (key: string) => void;
}

export function ObjectsTable({ objects, selected, onSelect }: Props) {
  if (objects.length === 0) return <p className="muted">No objects here.</p>;
  return (
    <table className="objects-table" aria-label="Objects">
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col" className="number">
            Size
          </th>
          <th scope="col">Type</th>
          <th scope="col">Modified</th>
        </tr>
      </thead>
      <tbody>
        {objects.map((object) => (
          <tr key={object.key} aria-selected={object.key === selected}>
            <td>
              <button type="button" className="link" aria-pressed={object.key === selected} onClick={() => onSelect(object.key)}>
                {object.key}
              </button>
            </td>
            <td className="number small">{formatBytes(object.size)}</td>
            <td className="small">{object.contentType}</td>
            <td className="small">{formatTime(object.lastModified)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
