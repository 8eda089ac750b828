/** What the last export, import or reset did, as one line for the page. */
export interface Outcome {
  ok: boolean;
  message: string;
}

export interface TableCount {
  name: string;
  items: number;
}

/** "12 items in 3 tables and 2 users" */
export function describeCounts(tables: readonly TableCount[], users: number): string {
  const items = tables.reduce((sum, table) => sum + table.items, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(items, 'item')} in ${plural(tables.length, 'table')} and ${plural(users, 'user')}`;
}
