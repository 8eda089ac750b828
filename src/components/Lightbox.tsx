import { useEffect, useState } from 'react';
import { formatTime } from '../chat/days';
import type { MessageAttachment } from '../chat/attachments';
import { useAttachmentUrl } from '../hooks/useAttachmentUrls';
import { Dialog } from './Dialog';
import { ChevronLeftIcon, ChevronRightIcon, DownloadIcon } from './Icons';

/** An image the lightbox can show: its message and file. */
export interface LightboxImage {
  readonly messageId: string;
  readonly conversationId: string;
  readonly attachment: MessageAttachment;
  readonly senderName: string;
  readonly createdAt: string;
}

interface LightboxProps {
  /** The conversation's (or thread's) images, oldest first. */
  readonly images: readonly LightboxImage[];
  readonly messageId: string;
  readonly onShow: (messageId: string) => void;
  readonly onClose: () => void;
}

/**
 * An image at full size in a modal dialog named by the file's name (Dialog: Escape or Close closes it, the focus returns
 * to the preview that opened it): the image, who sent it and when, "Download", and Previous / Next (also ← / →) through
 * the other images of the conversation.
 */
export function Lightbox({ images, messageId, onShow, onClose }: LightboxProps) {
  const index = images.findIndex((image) => image.messageId === messageId);
  const image = images[index];
  const { entry, store } = useAttachmentUrl(image?.conversationId ?? '', image ? messageId : null, null);
  const [failed, setFailed] = useState<string | null>(null);
  const previous = index > 0 ? images[index - 1] : undefined;
  const next = index >= 0 ? images[index + 1] : undefined;

  // ← / → anywhere in the open dialog (it is modal: nothing else gets keys meanwhile).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.key === 'ArrowLeft' ? previous : event.key === 'ArrowRight' ? next : undefined;
      if (!target) return;
      event.preventDefault();
      onShow(target.messageId);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [previous, next, onShow]);

  if (!image) return null;
  const url = entry?.status === 'ready' ? entry.url : null;

  return (
    <Dialog title={image.attachment.name} onClose={onClose} className="lightbox">
      <div className="lightbox__body">
        <div className="lightbox__stage">
          {url && failed !== url ? (
            <img
              key={url}
              className="lightbox__image"
              src={url}
              alt={image.attachment.name}
              width={image.attachment.width ?? undefined}
              height={image.attachment.height ?? undefined}
              onError={() => {
                setFailed(url);
                store?.invalidate(messageId);
              }}
            />
          ) : entry?.status === 'unavailable' ? (
            <p>This image is no longer available.</p>
          ) : entry?.status === 'error' || (url && failed === url) ? (
            <p role="alert">
              The image could not be loaded.{' '}
              <button type="button" className="link-button" onClick={() => store?.retry(messageId)}>
                Retry
              </button>
            </p>
          ) : (
            <span className="spinner" aria-label="Loading image" role="img" />
          )}
        </div>
        <div className="lightbox__bar">
          {images.length > 1 && (
            <button type="button" className="icon-button" onClick={() => previous && onShow(previous.messageId)} disabled={!previous} aria-label="Previous image" title="Previous (←)">
              <ChevronLeftIcon />
            </button>
          )}
          <p className="lightbox__caption">
            {image.senderName} · <time dateTime={image.createdAt}>{formatTime(image.createdAt)}</time>
            {images.length > 1 && <span className="lightbox__count"> · {`${index + 1} of ${images.length}`}</span>}
          </p>
          {entry?.status === 'ready' && (
            <a className="button lightbox__download" href={entry.downloadUrl} download={image.attachment.name}>
              <DownloadIcon size={16} /> Download
            </a>
          )}
          {images.length > 1 && (
            <button type="button" className="icon-button" onClick={() => next && onShow(next.messageId)} disabled={!next} aria-label="Next image" title="Next (→)">
              <ChevronRightIcon />
            </button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
