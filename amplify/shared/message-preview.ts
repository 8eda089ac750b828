import { MESSAGE_PREVIEW_LENGTH, type MessageType } from './limits';

const singleLine = (text: string) => text.trim().replace(/\s+/g, ' ');

/**
 * The conversation-list preview of a message: what the message processor stores as `lastMessagePreview` and what the
 * web app shows when a MESSAGE_SENT event moves a conversation up (one definition for both). A photo or file says what
 * was sent ("📷 Photo", "📎 <file name>"), then its caption if it has one; at most MESSAGE_PREVIEW_LENGTH characters.
 */
export function previewOf(content: string, messageType: MessageType, fileName?: string | null): string {
  const text = singleLine(content);
  const label = messageType === 'IMAGE' ? '📷 Photo' : messageType === 'FILE' ? `📎 ${singleLine(fileName ?? '') || 'File'}` : null;
  const preview = label ? (text ? `${label} · ${text}` : label) : content.replace(/\s+/g, ' ');
  const chars = [...preview];
  return chars.length <= MESSAGE_PREVIEW_LENGTH ? preview : `${chars.slice(0, MESSAGE_PREVIEW_LENGTH - 1).join('')}…`;
}
