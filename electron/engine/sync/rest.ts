// A side's rest between passes. A kick cuts an idle rest short (after 250 ms, so a burst of
// sales shares one batch) but never a backoff: sales arriving while central is down must not
// turn into a retry storm. Central answering the other side again ends a backoff too (once per
// outage: the other side recovered). Stopping cuts either.

const KICK_DELAY_MS = 250;

export class Rest {
  readonly #stopped: () => boolean;
  #wake: (() => void) | undefined;
  #end: (() => void) | undefined;
  #woken = false;

  constructor(stopped: () => boolean) {
    this.#stopped = stopped;
  }

  kick(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** The other side reached central after failing: whatever this rest is, it ends now. */
  centralBack(): void {
    this.#end?.();
  }

  sleep(ms: number, kickable: boolean): Promise<void> {
    if (this.#stopped()) return Promise.resolve();
    if (kickable && this.#woken) ms = Math.min(ms, KICK_DELAY_MS);
    this.#woken = false;
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        this.#end = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#end = finish;
      this.#wake = () => {
        if (this.#stopped()) finish();
        else if (kickable) {
          clearTimeout(timer);
          setTimeout(finish, KICK_DELAY_MS);
        }
      };
    });
  }
}
