// A signed-in screen's feed of server events, the same over serve mode's WebSocket and the
// desktop shell's MessagePort: nothing flows until the session is confirmed, and the session is
// checked again every 30 s so a revoked or expired one stops hearing about the till.
import { SERVER_EVENT_NAMES, type ServerEventBus, type ServerEventName } from '../server-events.ts';

const RECHECK_MS = 30_000;

export type SessionFeed = {
  token: string;
  events: ServerEventBus;
  /** Resolves when the token names a live session; rejects otherwise. */
  checkSession(token: string): Promise<void>;
  recheckMs?: number;
  /** False once the screen went away or asked for another feed: a late answer then changes nothing. */
  stillWanted(): boolean;
  send(event: ServerEventName, payload: unknown): void;
  onReady(): void;
  /** The session was refused or ended; the feed has already stopped. */
  onEnded(): void;
};

/** Starts the feed; returns the way to stop it. */
export function followSession(feed: SessionFeed): () => void {
  let unsubscribe: (() => void)[] = [];
  let recheck: NodeJS.Timeout | null = null;
  const stop = () => {
    for (const off of unsubscribe) off();
    unsubscribe = [];
    if (recheck) clearInterval(recheck);
    recheck = null;
  };
  feed.checkSession(feed.token).then(
    () => {
      if (!feed.stillWanted()) return;
      for (const name of SERVER_EVENT_NAMES) unsubscribe.push(feed.events.on(name, (payload) => feed.send(name, payload)));
      feed.onReady();
      recheck = setInterval(() => {
        feed.checkSession(feed.token).catch(() => {
          if (!feed.stillWanted()) return;
          stop();
          feed.onEnded();
        });
      }, feed.recheckMs ?? RECHECK_MS);
      recheck.unref();
    },
    () => {
      if (feed.stillWanted()) feed.onEnded();
    },
  );
  return stop;
}
