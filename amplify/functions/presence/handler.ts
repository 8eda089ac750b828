import { env } from '$amplify/env/presence';
import { appSyncGraphql } from '../shared/appsync';
import type { AmplifyResolverEvent } from '../shared/event';
import { userPoolCaller } from '../shared/identity';
import { appSyncPresenceStore } from './appsync-store';
import { heartbeat } from './logic';

/** AppSync Lambda resolver for Mutation.heartbeat(status). */
export const handler = async (event: AmplifyResolverEvent<{ status?: string | null }>) => {
  const caller = userPoolCaller(event.identity);
  const store = appSyncPresenceStore(await appSyncGraphql(env));
  return heartbeat(store, caller, event.arguments?.status);
};
