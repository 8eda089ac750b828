import { env } from '$amplify/env/presence-sweeper';
import { appSyncGraphql } from '../shared/appsync';
import { appSyncPresenceStore } from '../presence/appsync-store';
import { sweepStalePresence } from '../presence/logic';

/** Scheduled (EventBridge Scheduler): marks users whose heartbeats stopped as OFFLINE. */
export const handler = async () => {
  const store = appSyncPresenceStore(await appSyncGraphql(env));
  const result = await sweepStalePresence(store);
  console.log(JSON.stringify({ message: 'presence sweep', ...result }));
  return result;
};
