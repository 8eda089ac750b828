import { env } from '$amplify/env/message-processor';
import { appSyncGraphql } from '../shared/appsync';
import type { AmplifyResolverEvent } from '../shared/event';
import { userPoolCaller } from '../shared/identity';
import { ChatError } from '../../shared/errors';
import { appSyncMessageStore } from './appsync-store';
import { editMessage, removeMessage, sendMessage, type SendMessageInput } from './logic';

type Arguments = {
  input?: SendMessageInput;
  messageId?: string;
  content?: string;
};

/** AppSync Lambda resolver for Mutation.sendMessage, Mutation.editMessage and Mutation.removeMessage. */
export const handler = async (event: AmplifyResolverEvent<Arguments>) => {
  const caller = userPoolCaller(event.identity);
  const store = appSyncMessageStore(await appSyncGraphql(env));
  const args = event.arguments ?? {};
  switch (event.fieldName) {
    case 'sendMessage':
      if (!args.input) throw new ChatError('ValidationError', 'input is required');
      return sendMessage(store, caller, args.input);
    case 'editMessage':
      return editMessage(store, caller, { messageId: args.messageId ?? '', content: args.content ?? '' });
    case 'removeMessage':
      return removeMessage(store, caller, { messageId: args.messageId ?? '' });
    default:
      throw new ChatError('ValidationError', 'message-processor does not handle this field');
  }
};
