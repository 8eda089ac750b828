/**
 * The shapes of the console API's answers, defined once for the routes that make them and the pages that read them
 * (ui/). Types only, importing nothing but the loader's import-free types, so that the pages' own type check does not
 * reach the sandbox's Node code.
 */
import type { TableDescription } from '../loader/types.js';

/** What the console shows of a table: its name, model, keys and indexes, and how many items it holds. */
export interface ConsoleTable {
  name: string;
  model?: string;
  keySchema: TableDescription['keySchema'];
  attributeDefinitions: TableDescription['attributeDefinitions'];
  globalSecondaryIndexes: TableDescription['globalSecondaryIndexes'];
  localSecondaryIndexes: TableDescription['localSecondaryIndexes'];
  itemCount?: number;
}

/** A user of the pool as the console shows it. */
export interface ConsoleUser {
  username: string;
  sub: string | undefined;
  email: string | undefined;
  status: string;
  enabled: boolean;
  attributes: Record<string, string>;
  groups: string[];
  created: string;
  updated: string;
  /** The last confirmation, reset or verification code the pool sent to the user's e-mail. */
  lastCode: string | undefined;
  /** What that code is for while it is pending (`signUp`, `forgotPassword`, `email`); `used` once spent or replaced. */
  lastCodeKind: 'signUp' | 'forgotPassword' | 'email' | 'used' | undefined;
}
