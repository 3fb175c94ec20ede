// A scanner in keyboard mode ("wedge") types its code like a very fast keyboard: a key every
// 5–20 ms, then Enter. A person, even a fast typist, leaves 50 ms or more between keys. This
// tells the two apart by timing alone, without the DOM, so it can be tested with recorded key
// timings and used by any screen.
//
// The first keys of a scan come before anyone can know it is a scan, so every printable key is
// held (the screen prevents its default) until the next key shows whether a burst is going on.
// Keys that turn out to be typing are released: the screen types them into the focused field.
// A person's key is thus held for one gap (35 ms by default), too short to notice.
//
// Wiring, in a keydown handler:
//   const step = detector.key({ key: e.key, timeStamp: e.timeStamp, repeat: e.repeat });
//   if (!step.pass) e.preventDefault();
//   take the last step.retract characters typed back out of the field they went to;
//   typeIntoFocusedField(step.release);          // before the key's own default action
//   if (step.scan) onScan(step.scan);
//   then, at detector.nextDeadline() (a timer), apply detector.flush(performance.now()) the same way.
// KeyboardEvent.timeStamp is when the key was pressed, not when the handler ran, so a busy
// screen does not turn a scanner's burst into slow typing; and keys let go as typing that turn
// out to have begun a burst are taken back into it (see #startOfBurst).

export type WedgeKey = {
  key: string;
  /** Milliseconds, on the same clock as flush(now): KeyboardEvent.timeStamp and performance.now(). */
  timeStamp: number;
  /** An auto-repeated key (KeyboardEvent.repeat): a held-down key, never a scanner. */
  repeat?: boolean;
};

export type WedgeOptions = {
  /** Fewest characters a scan has; default 6 (an EAN-8 has 8). */
  minLength?: number;
  /** Longest gap between the keys of one scan; default 35 ms. */
  maxGapMs?: number;
  /** Keys that end a scan; default ['Enter']. Add 'Tab' for scanners set to send a tab. */
  terminators?: string[];
  /** Whether a fast burst that ends in silence, without a terminator, is a scan; default true. */
  scanWithoutTerminator?: boolean;
  /** How long after a fast run of keys was let go as typing a scan may still begin with it; default 1000 ms. */
  brokenBurstMs?: number;
};

export type WedgeFlush = {
  /** Held keys that were typing after all: type them into the focused field, in this order. */
  release: string[];
  /** A complete scan, or null. */
  scan: string | null;
  /**
   * How many of the characters last typed to take back out of the field they went to, before
   * anything else: keys let go as typing that were the start of a burst after all. They are
   * already in the scan, or held again for it.
   */
  retract: number;
};

export type WedgeStep = WedgeFlush & {
  /** true: let the key do what it normally does; false: prevent its default (held, or part of a scan). */
  pass: boolean;
};

// Keys that type nothing themselves: a scanner presses Shift for capitals, and Spanish layouts
// use dead keys for accents. They neither break a burst nor count in it.
const SILENT_KEYS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'Dead']);

export class WedgeDetector {
  readonly #minLength: number;
  readonly #maxGapMs: number;
  readonly #terminators: ReadonlySet<string>;
  readonly #scanWithoutTerminator: boolean;
  readonly #brokenBurstMs: number;
  #held: string[] = [];
  #lastKeyAt = Number.NEGATIVE_INFINITY;
  #lastScanAt = Number.NEGATIVE_INFINITY;
  /**
   * The keys a quiet spell last let go as typing, and when, until a scan or a person's key settles
   * whether they began a burst. `quiet`: no key has come since, so the next one may resume it.
   */
  #released: { keys: string[]; at: number; quiet: boolean } | null = null;

  constructor(options: WedgeOptions = {}) {
    this.#minLength = options.minLength ?? 6;
    this.#maxGapMs = options.maxGapMs ?? 35;
    this.#terminators = new Set(options.terminators ?? ['Enter']);
    this.#scanWithoutTerminator = options.scanWithoutTerminator ?? true;
    this.#brokenBurstMs = options.brokenBurstMs ?? 1000;
  }

  /** When flush() should be called if no key comes first; null when nothing is held. */
  nextDeadline(): number | null {
    return this.#held.length > 0 ? this.#lastKeyAt + this.#maxGapMs + 1 : null;
  }

  /** Settles held keys once the burst has gone quiet: a scan if it was long enough, typing if not. */
  flush(now: number): WedgeFlush {
    if (this.#held.length === 0 || now - this.#lastKeyAt <= this.#maxGapMs) return { release: [], scan: null, retract: 0 };
    if (this.#scanWithoutTerminator && this.#held.length >= this.#minLength)
      return { release: [], ...this.#takeScan(this.#lastKeyAt, now) };
    const release = this.#takeHeld();
    this.#released = { keys: release, at: now, quiet: true };
    return { release, scan: null, retract: 0 };
  }

  /** Gives back every held key as typing, whatever the timing (the field lost focus, say). */
  releaseAll(): string[] {
    // A chord is a person's: nothing let go before it begins a scan.
    this.#released = null;
    return this.#takeHeld();
  }

  key(event: WedgeKey): WedgeStep {
    if (SILENT_KEYS.has(event.key)) return { pass: true, release: [], scan: null, retract: 0 };
    const resumed = this.#startOfBurst({ resumedBy: event });
    this.#held.push(...resumed);
    const settled = this.flush(event.timeStamp);
    if (this.#released) this.#released.quiet = false;
    const step = (pass: boolean, release: string[] = [], scanned: { scan: string; retract: number } | null = null): WedgeStep => ({
      pass,
      release: [...settled.release, ...release],
      scan: settled.scan ?? scanned?.scan ?? null,
      retract: resumed.length + settled.retract + (scanned?.retract ?? 0),
    });

    if (this.#terminators.has(event.key) && !event.repeat) {
      if (this.#held.length >= this.#minLength) return step(false, [], this.#takeScan(event.timeStamp, event.timeStamp));
      // A scanner's suffix that straggles in after a scan ended by silence, or the second key
      // of a CR LF suffix, belongs to that scan and must not submit the form.
      if (this.#held.length === 0 && event.timeStamp - this.#lastScanAt <= 2 * this.#maxGapMs) {
        this.#lastScanAt = event.timeStamp;
        return step(false);
      }
      this.#released = null;
      return step(true, this.#takeHeld());
    }

    if (isPrintable(event.key) && !event.repeat) {
      this.#held.push(event.key);
      this.#lastKeyAt = event.timeStamp;
      return step(false);
    }

    // Backspace, arrows, F12, a held-down key: a person is at the keyboard, and an Enter after
    // this is theirs, however soon after a scan it comes; nor did what they typed begin a scan.
    this.#lastScanAt = Number.NEGATIVE_INFINITY;
    this.#released = null;
    return step(true, this.#takeHeld());
  }

  /**
   * The keys last let go as typing, when they turn out to have begun a scanner's burst after all
   * (the caller takes them back out of the field: retract). The one place that decides it; it
   * shows in one of two ways.
   *
   * Resumed, by the next key: a timer's quiet spell is judged by the clock when it runs, a key's
   * time stamp is when it was pressed. On a busy machine a scanner's keys reach the screen late,
   * the timer finds the burst quiet and lets its first keys go as typing, and then the rest
   * arrive stamped as part of it: those first keys are held again and the burst goes on.
   *
   * Joined, by a scan: the page stalled longer than any gap even by the keys' own stamps (seen at
   * 1024×768 with a long cart: "75" typed, then "05599000026⏎" read as a scan of its own, and
   * nothing rang up). A fast run (two or more keys within a gap) let go no more than
   * brokenBurstMs before a scan is that scan's beginning.
   */
  #startOfBurst(by: { resumedBy: WedgeKey } | { scannedAt: number }): string[] {
    const released = this.#released;
    if (!released) return [];
    if ('resumedBy' in by) {
      const { key, timeStamp, repeat } = by.resumedBy;
      const resumes =
        released.quiet && this.#held.length === 0 && isPrintable(key) && !repeat && timeStamp - this.#lastKeyAt <= this.#maxGapMs;
      if (!resumes) return [];
    } else if (released.keys.length < 2 || by.scannedAt - released.at > this.#brokenBurstMs) {
      this.#released = null;
      return [];
    }
    this.#released = null;
    return released.keys;
  }

  #takeHeld(): string[] {
    const held = this.#held;
    this.#held = [];
    return held;
  }

  /** The held keys as a scan that ended at `endedAt`, settled at `at`, with what began it let go before. */
  #takeScan(endedAt: number, at: number): { scan: string; retract: number } {
    this.#lastScanAt = endedAt;
    const start = this.#startOfBurst({ scannedAt: at });
    return { scan: [...start, ...this.#takeHeld()].join(''), retract: start.length };
  }
}

// KeyboardEvent.key is the character itself for printable keys ("a", "7", " ", "ñ") and a name
// ("Enter", "ArrowLeft") otherwise.
function isPrintable(key: string): boolean {
  return [...key].length === 1;
}
