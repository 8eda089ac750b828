/**
 * The shapes of the console API's answers, defined once for the routes that make them and the pages that read them
 * (ui/). Types only, importing nothing, so that the pages' own type check does not reach the sandbox's Node code; the
 * routes fill them from the loader's descriptions, which the compiler checks against these shapes.
 */

/** An attribute of a key, as the loader describes tables. */
export interface ConsoleKeyElement {
  attributeName: string;
  keyType: 'HASH' | 'RANGE';
}

/** A table's global or local secondary index. */
export interface ConsoleIndex {
  indexName: string;
  keySchema: ConsoleKeyElement[];
  projectionType: string;
}

/** What the console shows of a table: its name, model, keys and indexes, and how many items it holds. */
export interface ConsoleTable {
  name: string;
  model?: string;
  keySchema: ConsoleKeyElement[];
  /** The type of each key attribute (of the table and its indexes). */
  attributeDefinitions: { attributeName: string; attributeType: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes: ConsoleIndex[];
  localSecondaryIndexes: ConsoleIndex[];
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

/** A bucket the sandbox serves, as the console lists it. */
export interface ConsoleBucket {
  /** The defineStorage name. */
  name: string;
  /** The name clients use (`<synthesized>.local`). */
  bucketName: string;
  /** The synthesized (CloudFormation) name the policies use. */
  synthesizedName: string;
  objects: number;
  bytes: number;
}

/** An object of a bucket, as the console lists it. */
export interface ConsoleObject {
  key: string;
  size: number;
  contentType: string;
  lastModified: string;
  etag: string;
  metadata: Record<string, string>;
}

/** A page of a bucket's objects; `nextAfter` is the key to continue after, when there are more. */
export interface ConsoleObjectPage {
  objects: ConsoleObject[];
  nextAfter?: string;
}
