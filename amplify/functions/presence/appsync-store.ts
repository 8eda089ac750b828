import type { PresenceStatus } from '../../shared/limits';
import { AppSyncError, CONDITIONAL_CHECK_FAILED, type Graphql } from '../shared/appsync';
import { CREATE_PRESENCE, LIST_PRESENCE_BY_STATUS, UPDATE_PRESENCE } from '../shared/documents';
import type { PresenceRecord, PresenceStore } from './logic';

const PAGE_SIZE = 100;

function isConditionFailure(error: unknown): boolean {
  return error instanceof AppSyncError && error.hasErrorType(CONDITIONAL_CHECK_FAILED);
}

/** PresenceStore over the AppSync API (IAM), so `onUpdateUserPresence` subscribers see every change. */
export function appSyncPresenceStore(graphql: Graphql): PresenceStore {
  async function update(record: PresenceRecord): Promise<PresenceRecord> {
    const data = await graphql<{ updateUserPresence: PresenceRecord }>(UPDATE_PRESENCE, { input: record });
    return data.updateUserPresence;
  }

  return {
    async put(record) {
      try {
        // The generated update resolver requires the item to exist.
        return await update(record);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      try {
        const data = await graphql<{ createUserPresence: PresenceRecord }>(CREATE_PRESENCE, { input: record });
        return data.createUserPresence;
      } catch (error) {
        // A concurrent heartbeat created it first.
        if (isConditionFailure(error)) return update(record);
        throw error;
      }
    },

    async listByStatusSeenBefore(status: PresenceStatus, before: string) {
      const records: PresenceRecord[] = [];
      let nextToken: string | null = null;
      do {
        const data: {
          listPresenceByStatus: { items: PresenceRecord[]; nextToken: string | null };
        } = await graphql(LIST_PRESENCE_BY_STATUS, { status, before, limit: PAGE_SIZE, nextToken });
        records.push(...data.listPresenceByStatus.items);
        nextToken = data.listPresenceByStatus.nextToken;
      } while (nextToken);
      return records;
    },

    async markOffline(record) {
      try {
        await graphql(UPDATE_PRESENCE, {
          input: { id: record.id, status: 'OFFLINE' },
          condition: { lastSeen: { eq: record.lastSeen }, status: { eq: record.status } },
        });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
