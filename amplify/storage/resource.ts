import { defineStorage } from '@aws-amplify/backend';
import { messageProcessor } from '../functions/message-processor/resource';

/**
 * The attachments bucket (docs/data-model.md, "Attachments"). S3 and IAM cannot express "the participants of
 * conversation X" (membership is data in DynamoDB and changes), so S3 enforces who may write where and the message
 * processor, which checks membership on every call, is the only writer and signer of conversation files:
 * - `uploads/{entity_id}/*`: each signed-in identity (Cognito identity pool id) stages its own uploads there and may
 *   read and delete them; nobody else may. The message processor reads a staged upload (to check and copy it) and
 *   deletes it once it is moved. A lifecycle rule (backend.ts) expires what is never sent.
 * - `conversations/*`: the message processor only (copy in, read to sign URLs, delete with the message). No client
 *   credential may read, list, write or delete there; participants read a file through getAttachmentUrls' URLs.
 */
export const storage = defineStorage({
  name: 'chatAttachments',
  access: (allow) => ({
    'uploads/{entity_id}/*': [allow.entity('identity').to(['read', 'write', 'delete']), allow.resource(messageProcessor).to(['get', 'delete'])],
    'conversations/*': [allow.resource(messageProcessor).to(['get', 'write', 'delete'])],
  }),
});
