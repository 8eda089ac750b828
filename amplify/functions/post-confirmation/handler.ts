import type { PostConfirmationTriggerHandler } from 'aws-lambda';
import { env } from '$amplify/env/post-confirmation';
import { AppSyncError, CONDITIONAL_CHECK_FAILED, appSyncGraphql } from '../shared/appsync';
import { CREATE_USER_PROFILE } from '../shared/documents';
import { ensureProfile, type ProfileStore } from './logic';

/** Cognito post-confirmation trigger: adds the confirmed user to the directory (UserProfile). */
export const handler: PostConfirmationTriggerHandler = async (event) => {
  const graphql = await appSyncGraphql(env);
  const store: ProfileStore = {
    async createIfAbsent(profile) {
      try {
        await graphql(CREATE_USER_PROFILE, { input: profile });
        return true;
      } catch (error) {
        if (error instanceof AppSyncError && error.hasErrorType(CONDITIONAL_CHECK_FAILED)) return false;
        throw error;
      }
    },
  };
  const outcome = await ensureProfile(store, event.triggerSource, event.userName, event.request.userAttributes);
  console.log(JSON.stringify({ message: 'user profile', outcome, triggerSource: event.triggerSource }));
  return event;
};
