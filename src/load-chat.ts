/**
 * The chat's chunk (components/ChatApp and everything only it imports: the Data and Storage clients, the chat's
 * hooks and state, emoji, the lightbox). One promise: the first call starts the download (when the build's
 * `<link rel="prefetch">` has not already put it in the cache), later calls share it.
 */
let chat: Promise<typeof import('./components/ChatApp')> | undefined;

export function loadChat(): Promise<typeof import('./components/ChatApp')> {
  chat ??= import('./components/ChatApp').catch((error: unknown) => {
    chat = undefined; // a failed download is tried again on the next call
    throw error;
  });
  return chat;
}
