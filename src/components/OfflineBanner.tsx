import { apiTarget } from '../state/api-target';
import { connectionBanner, type ConnectionStatus } from '../state/connection';

/**
 * "You are offline" / "Reconnecting" while real-time updates cannot arrive; nothing otherwise. While reconnecting it
 * names the host it is trying, and adds the outputs' connection help when there is one (a local sandbox's).
 */
export function OfflineBanner({ status }: { readonly status: ConnectionStatus }) {
  const banner = connectionBanner(status);
  if (!banner) return null;
  const target = apiTarget();
  return (
    <div role="alert" className={`banner banner--${banner}`}>
      {banner === 'offline' ? (
        <>
          <strong>You are offline.</strong> New messages will appear when your connection is back; messages you send
          meanwhile can be retried.
        </>
      ) : (
        <>
          <strong>Reconnecting{target ? ` to ${target.host}` : ''}…</strong> Live updates are paused; missed messages will
          be loaded as soon as the connection is back.{target?.help ? ` ${target.help}` : ''}
        </>
      )}
    </div>
  );
}
