import { MESSAGE_PREVIEW_LENGTH, type MessageType } from './limits';

/**
 * The conversation-list preview of a message: what the message processor stores as `lastMessagePreview` and what the
 * web app shows when a MESSAGE_SENT event moves a conversation up (one definition for both).
 */
export function previewOf(content: string, messageType: MessageType): string {
  if (messageType === 'IMAGE') return '📷 Image';
  if (messageType === 'FILE') return '📎 File';
  const singleLine = content.replace(/\s+/g, ' ');
  const chars = [...singleLine];
  return chars.length <= MESSAGE_PREVIEW_LENGTH ? singleLine : `${chars.slice(0, MESSAGE_PREVIEW_LENGTH - 1).join('')}…`;
}
