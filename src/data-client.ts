import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../amplify/data/resource';

/** The typed Amplify Data client (user-pool auth, the API's default). */
export const client = generateClient<Schema>();
export type { Schema };
