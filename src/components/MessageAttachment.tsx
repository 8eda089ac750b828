import { useRef, useState } from 'react';
import { fileKindLabel, fileKindOf, humanSize, previewBox, type FileKind, type MessageAttachment as Attachment } from '../chat/attachments';
import type { TimelineMessage } from '../chat/messages';
import { useAttachmentUrl } from '../hooks/useAttachmentUrls';
import { DownloadIcon, FileIcon } from './Icons';

interface MessageAttachmentProps {
  readonly message: TimelineMessage;
  /** Opens an image in the lightbox (the clicked element is where the focus returns). */
  readonly onOpenImage?: (messageId: string) => void;
  /** Cancels an upload in progress (and drops the pending message). */
  readonly onCancelUpload?: (message: TimelineMessage) => void;
}

/** The short mark on a file card's icon. */
const MARK: Readonly<Record<FileKind, string>> = {
  image: 'IMG',
  pdf: 'PDF',
  text: 'TXT',
  spreadsheet: 'XLS',
  document: 'DOC',
  presentation: 'PPT',
  archive: 'ZIP',
  audio: 'MP3',
  video: 'MP4',
  file: '',
};

/**
 * A message's file: while it uploads, the local preview (images) or the file card with a progress bar and Cancel;
 * confirmed, an IMAGE's preview (sized from its dimensions before it loads, lazy, opening the lightbox) or a FILE's card
 * with Download. URLs come from getAttachmentUrls while the attachment is on screen (hooks/useAttachmentUrls.ts).
 */
export function MessageAttachment({ message, onOpenImage, onCancelUpload }: MessageAttachmentProps) {
  if (message.status !== 'confirmed' && message.upload) return <PendingAttachment message={message} onCancel={onCancelUpload} />;
  const attachment = message.attachment;
  if (!attachment) return null;
  return message.messageType === 'IMAGE' ? (
    <ImagePreview conversationId={message.conversationId} messageId={message.id} attachment={attachment} onOpen={onOpenImage} />
  ) : (
    <FileCard conversationId={message.conversationId} messageId={message.id} attachment={attachment} />
  );
}

function PendingAttachment({ message, onCancel }: { readonly message: TimelineMessage; readonly onCancel?: (message: TimelineMessage) => void }) {
  const upload = message.upload!;
  const uploading = message.status === 'pending' && !upload.uploadedPath;
  const box = previewBox(upload.width, upload.height);
  return (
    <div className="attachment attachment--pending" data-upload-state={uploading ? 'uploading' : upload.uploadedPath ? 'uploaded' : 'waiting'}>
      {upload.messageType === 'IMAGE' && upload.previewUrl ? (
        <img className="attachment__image attachment__image--pending" src={upload.previewUrl} alt={upload.name} width={box.width} height={box.height} />
      ) : (
        <FileCardBody name={upload.name} size={upload.size} contentType={upload.contentType} />
      )}
      {uploading && (
        <div className="attachment__progress">
          <progress max={100} value={upload.percent} aria-label={`Uploading ${upload.name}`} />
          <span className="attachment__percent" aria-hidden="true">
            {upload.percent} %
          </span>
          {onCancel && (
            <button type="button" className="link-button" onClick={() => onCancel(message)} aria-label={`Cancel upload of ${upload.name}`}>
              Cancel
            </button>
          )}
        </div>
      )}
      {message.status === 'pending' && upload.uploadedPath && <p className="attachment__note">Sending…</p>}
    </div>
  );
}

interface ShownAttachmentProps {
  readonly conversationId: string;
  readonly messageId: string;
  readonly attachment: Attachment;
}

function ImagePreview({ conversationId, messageId, attachment, onOpen }: ShownAttachmentProps & { readonly onOpen?: (messageId: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const { entry, store } = useAttachmentUrl(conversationId, messageId, ref);
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const [reloaded, setReloaded] = useState(false);
  const box = previewBox(attachment.width, attachment.height);
  const url = entry?.status === 'ready' ? entry.url : null;
  const broken = url !== null && url === failedUrl;

  let content: React.ReactNode;
  if (url && !broken) {
    content = (
      <button type="button" className="attachment__open" onClick={() => onOpen?.(messageId)} aria-label={`View image ${attachment.name}`} title={attachment.name}>
        <img
          className="attachment__image"
          src={url}
          alt={attachment.name}
          width={box.width}
          height={box.height}
          loading="lazy"
          decoding="async"
          onError={() => {
            setFailedUrl(url);
            // Once: a URL that stopped working early (the signing key rotated, a proxy restarted) is asked for again.
            if (!reloaded) {
              setReloaded(true);
              store?.invalidate(messageId);
            }
          }}
        />
      </button>
    );
  } else if (entry?.status === 'error' || broken) {
    content = (
      <span className="attachment__placeholder attachment__placeholder--error" role="note">
        Couldn’t load {attachment.name}.{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setFailedUrl(null);
            store?.retry(messageId);
          }}
        >
          Retry
        </button>
      </span>
    );
  } else if (entry?.status === 'unavailable') {
    content = <span className="attachment__placeholder attachment__placeholder--gone">Image no longer available</span>;
  } else {
    content = (
      <span className="attachment__placeholder" aria-busy="true">
        <span className="sr-only">Loading image {attachment.name}</span>
      </span>
    );
  }
  return (
    <div ref={ref} className="attachment attachment--image" data-attachment-state={url && !broken ? 'ready' : entry?.status ?? 'waiting'}>
      <div className="attachment__frame" style={{ width: box.width, aspectRatio: `${box.width} / ${box.height}` }}>
        {content}
      </div>
    </div>
  );
}

function FileCard({ conversationId, messageId, attachment }: ShownAttachmentProps) {
  const ref = useRef<HTMLDivElement>(null);
  const { entry, store } = useAttachmentUrl(conversationId, messageId, ref);
  let action: React.ReactNode;
  if (entry?.status === 'ready') {
    action = (
      <a className="icon-button file-card__download" href={entry.downloadUrl} download={attachment.name} aria-label={`Download ${attachment.name}`} title="Download">
        <DownloadIcon size={18} />
      </a>
    );
  } else if (entry?.status === 'error') {
    action = (
      <button type="button" className="link-button" onClick={() => store?.retry(messageId)} title={entry.error}>
        Retry
      </button>
    );
  } else if (entry?.status === 'unavailable') {
    action = <span className="file-card__note">Unavailable</span>;
  } else {
    action = <span className="spinner" aria-hidden="true" />;
  }
  return (
    <div ref={ref} className="attachment attachment--file" data-attachment-state={entry?.status ?? 'waiting'}>
      <FileCardBody name={attachment.name} size={attachment.size} contentType={attachment.contentType} />
      {action}
    </div>
  );
}

function FileCardBody({ name, size, contentType }: { readonly name: string; readonly size: number; readonly contentType: string }) {
  const kind = fileKindOf(contentType, name);
  return (
    <span className="file-card" data-kind={kind}>
      <span className="file-card__icon" aria-hidden="true">
        <FileIcon size={34} mark={MARK[kind]} />
      </span>
      <span className="file-card__text">
        <span className="file-card__name" title={name}>
          {name}
        </span>
        <span className="file-card__meta">
          {fileKindLabel(kind)} · {humanSize(size)}
        </span>
      </span>
    </span>
  );
}
