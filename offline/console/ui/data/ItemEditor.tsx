/**
 * One item as DynamoDB typed JSON in a text area, checked before anything is sent, with the two ways to save it said
 * plainly (straight to DynamoDB, or through AppSync as IAM) and delete.
 */
import { useId, useState } from 'react';
import { api, describeError } from '../api';
import { AppSyncSave } from './AppSyncSave';
import { DeleteItem } from './DeleteItem';
import { parseItem } from './dynamo-values';
import { keyOf, keyType, tableLabel, type ConsoleTable, type Item } from './types';

interface Props {
  table: ConsoleTable;
  /** The stored item; undefined for a new one (the page gives the editor a new key for another item). */
  stored: Item | undefined;
  /** After a write: the page reads its results again. */
  onChanged: () => void;
  onClose: () => void;
}

type Outcome = { ok: boolean; message: string } | undefined;

function newItemTemplate(table: ConsoleTable): Item {
  const item: Item = {};
  for (const { attributeName } of table.keySchema) item[attributeName] = { [keyType(table, attributeName)]: '' };
  if (table.model) item['__typename'] = { S: table.model };
  return item;
}

const pretty = (item: Item) => JSON.stringify(item, null, 2);

export function ItemEditor({ table, stored, onChanged, onClose }: Props) {
  const [current, setCurrent] = useState<Item | undefined>(stored);
  const [text, setText] = useState(() => pretty(stored ?? newItemTemplate(table)));
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const textId = useId();

  const path = `/api/tables/${encodeURIComponent(table.name)}`;
  const parsed = parseItem(text);
  const validItem = (): Item | undefined => {
    if ('error' in parsed) {
      setOutcome({ ok: false, message: parsed.error });
      return undefined;
    }
    return parsed.item;
  };
  /** Reads the item back, so the editor shows what is stored now. */
  const reread = async (item: Item) => {
    const { Item: fresh } = await api<{ Item: Item }>('POST', `${path}/get`, { Key: keyOf(table, item) });
    setCurrent(fresh);
    setText(pretty(fresh));
  };
  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setOutcome({ ok: true, message: await work() });
      onChanged();
    } catch (error) {
      setOutcome({ ok: false, message: describeError(error) });
    } finally {
      setBusy(false);
    }
  };
  const saveToDynamoDb = () => {
    const item = validItem();
    if (!item) return;
    void run(async () => {
      await api('PUT', `${path}/items`, { Item: item });
      await reread(item);
      return 'Saved to DynamoDB: no resolver ran and no subscription fired; open apps see it when they read again.';
    });
  };
  const deleteItem = () => {
    if (!current) return;
    void run(async () => {
      await api('POST', `${path}/delete`, { Key: keyOf(table, current) });
      setCurrent(undefined);
      return 'Deleted from DynamoDB. The text is still here: "Save to DynamoDB" puts it back.';
    });
  };
  const afterAppSync = (result: { ok: boolean; message: string }) => {
    setOutcome(result);
    if (!result.ok) return;
    onChanged();
    const item = validItem();
    if (item) reread(item).catch((error: unknown) => setOutcome({ ok: false, message: `${result.message} Reading it back failed: ${describeError(error)}` }));
  };

  return (
    <section className="item-editor" aria-labelledby={headingId} onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <div className="row">
        <h2 id={headingId}>
          {current ? 'Item' : 'New item'} in {tableLabel(table)}
        </h2>
        <button type="button" className="push-right" title="Close (Esc)" onClick={onClose}>
          Close
        </button>
      </div>
      <label htmlFor={textId}>Item (DynamoDB JSON)</label>
      <textarea
        id={textId}
        value={text}
        spellCheck={false}
        rows={Math.min(24, Math.max(8, text.split('\n').length + 1))}
        aria-invalid={'error' in parsed}
        aria-describedby={`${textId}-check`}
        onChange={(event) => setText(event.target.value)}
      />
      <p id={`${textId}-check`} className={'error' in parsed ? 'error small' : 'muted small'}>
        {'error' in parsed ? parsed.error : 'Valid item. Typed values: {"S": "text"}, {"N": "1"}, {"BOOL": true}, {"L": [...]}, {"M": {...}}.'}
      </p>
      <div className="save-paths">
        <div className="save-path">
          <button type="button" className="primary" disabled={busy} onClick={saveToDynamoDb}>
            Save to DynamoDB
          </button>
          <p className="muted small">Writes the item straight to the table: no resolver runs, no subscription fires; open apps see it only when they read again.</p>
        </div>
        <AppSyncSave
          model={table.model}
          kind={current ? 'update' : 'create'}
          stored={current ? { item: current, keyNames: table.keySchema.map((k) => k.attributeName) } : undefined}
          busy={busy} item={validItem} onResult={afterAppSync} onSaving={setBusy} />
      </div>
      {current && <DeleteItem busy={busy} onDelete={deleteItem} />}
      {outcome && (
        <p role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'notice' : 'error notice'}>
          {outcome.message}
        </p>
      )}
    </section>
  );
}
