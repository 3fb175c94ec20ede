// A side's rest between passes. A kick cuts an idle rest short (after 250 ms, so a burst of
// sales shares one batch) but never a backoff: sales arriving while central is down must not
// turn into a retry storm. Stopping cuts either.

const KICK_DELAY_MS = 250;

export class Rest {
  readonly #stopped: () => boolean;
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(stopped: () => boolean) {
    this.#stopped = stopped;
  }

  kick(): void {
    this.#woken = true;
    this.#wake?.();
  }

  sleep(ms: number, kickable: boolean): Promise<void> {
    if (this.#stopped()) return Promise.resolve();
    if (kickable && this.#woken) ms = Math.min(ms, KICK_DELAY_MS);
    this.#woken = false;
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
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
