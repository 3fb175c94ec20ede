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
//   take the last step.retract characters back out of the field;
//   typeIntoFocusedField(step.release);          // before the key's own default action
//   if (step.scan) onScan(step.scan);
//   then, at detector.nextDeadline() (a timer), apply detector.flush(performance.now()) the same way.
// KeyboardEvent.timeStamp is when the key was pressed, not when the handler ran, so a busy
// screen does not turn a scanner's burst into slow typing.
//
// Only a timer can be wrong: it sees no key by its deadline, but on a starved machine the rest of
// the burst may still be on its way from the keyboard (seen: the browser process held a scan's
// last four keys for 600 ms; the first nine went as a code of their own and nothing rang up).
// Typing is undone by the next key's time stamp (retract); a scan cannot be. So the timer takes a
// burst for a scan without a terminator only after a long quiet, and never once this scanner has
// ended a scan with one: it types the burst instead, and the rest, when it comes, takes it back.

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
  /**
   * Whether a fast burst that ends in silence, without a terminator, is a scan; default true, until
   * a scan ends with a terminator (this scanner sends one).
   */
  scanWithoutTerminator?: boolean;
};

export type WedgeFlush = {
  /** Held keys that were typing after all: type them into the focused field, in this order. */
  release: string[];
  /** A complete scan, or null. */
  scan: string | null;
};

export type WedgeStep = WedgeFlush & {
  /** true: let the key do what it normally does; false: prevent its default (held, or part of a scan). */
  pass: boolean;
  /**
   * How many of the characters last typed into the field to take back out: keys a quiet spell
   * released as typing, which this key's time stamp shows were the start of its burst after all.
   */
  retract: number;
};

// How long a burst without a terminator must be quiet before it is taken for a scan: a scan cannot
// be taken back, and a machine that holds keys up on their way shows a gap no timer can see.
const SCAN_QUIET_MS = 250;

// Keys that type nothing themselves: a scanner presses Shift for capitals, and Spanish layouts
// use dead keys for accents. They neither break a burst nor count in it.
const SILENT_KEYS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'Dead']);

export class WedgeDetector {
  readonly #minLength: number;
  readonly #maxGapMs: number;
  readonly #terminators: ReadonlySet<string>;
  readonly #scanQuietMs: number;
  #scanWithoutTerminator: boolean;
  #held: string[] = [];
  #lastKeyAt = Number.NEGATIVE_INFINITY;
  #lastScanAt = Number.NEGATIVE_INFINITY;
  /** What the last quiet spell released as typing, until the next key says whether it really was. */
  #lastRelease: string[] = [];

  constructor(options: WedgeOptions = {}) {
    this.#minLength = options.minLength ?? 6;
    this.#maxGapMs = options.maxGapMs ?? 35;
    this.#terminators = new Set(options.terminators ?? ['Enter']);
    this.#scanWithoutTerminator = options.scanWithoutTerminator ?? true;
    this.#scanQuietMs = Math.max(SCAN_QUIET_MS, this.#maxGapMs);
  }

  /** When flush() should be called if no key comes first; null when nothing is held. */
  nextDeadline(): number | null {
    if (this.#held.length === 0) return null;
    return this.#lastKeyAt + (this.#mayScanOnQuiet() ? this.#scanQuietMs : this.#maxGapMs) + 1;
  }

  /** Settles held keys once the burst has gone quiet: a scan if it was long enough, typing if not. */
  flush(now: number): WedgeFlush {
    if (this.#held.length === 0 || now - this.#lastKeyAt <= this.#maxGapMs) return { release: [], scan: null };
    if (this.#mayScanOnQuiet()) {
      if (now - this.#lastKeyAt <= this.#scanQuietMs) return { release: [], scan: null };
      return { release: [], scan: this.#takeScan(this.#lastKeyAt) };
    }
    this.#lastRelease = this.#takeHeld();
    return { release: this.#lastRelease, scan: null };
  }

  /** Gives back every held key as typing, whatever the timing (the field lost focus, say). */
  releaseAll(): string[] {
    this.#lastRelease = [];
    return this.#takeHeld();
  }

  key(event: WedgeKey): WedgeStep {
    if (SILENT_KEYS.has(event.key)) return { pass: true, release: [], scan: null, retract: 0 };
    // A timer's quiet spell is judged by the clock when it runs; a key's time stamp is when it was
    // pressed. On a busy machine a scanner's keys reach the screen late, the timer finds the burst
    // quiet and lets its first keys go as typing, and then the rest arrive stamped as part of it:
    // those first keys are taken back and the burst goes on (or ends, if the key is its Enter).
    const resumed =
      this.#held.length === 0 &&
      (isPrintable(event.key) || this.#terminators.has(event.key)) &&
      !event.repeat &&
      event.timeStamp - this.#lastKeyAt <= this.#maxGapMs
        ? this.#lastRelease
        : [];
    this.#lastRelease = [];
    this.#held.push(...resumed);
    const settled = this.flush(event.timeStamp);
    this.#lastRelease = [];
    const step = (pass: boolean, release: string[] = [], scan: string | null = null): WedgeStep => ({
      pass,
      release: [...settled.release, ...release],
      scan: settled.scan ?? scan,
      retract: resumed.length,
    });

    if (this.#terminators.has(event.key) && !event.repeat) {
      if (this.#held.length >= this.#minLength) {
        this.#scanWithoutTerminator = false;
        return step(false, [], this.#takeScan(event.timeStamp));
      }
      // A scanner's suffix that straggles in after a scan ended by silence, or the second key
      // of a CR LF suffix, belongs to that scan and must not submit the form.
      if (this.#held.length === 0 && event.timeStamp - this.#lastScanAt <= 2 * this.#maxGapMs) {
        this.#scanWithoutTerminator = false;
        this.#lastScanAt = event.timeStamp;
        return step(false);
      }
      return step(true, this.#takeHeld());
    }

    if (isPrintable(event.key) && !event.repeat) {
      this.#held.push(event.key);
      this.#lastKeyAt = event.timeStamp;
      return step(false);
    }

    // Backspace, arrows, F12, a held-down key: a person is at the keyboard, and an Enter after
    // this is theirs, however soon after a scan it comes.
    this.#lastScanAt = Number.NEGATIVE_INFINITY;
    return step(true, this.#takeHeld());
  }

  #mayScanOnQuiet(): boolean {
    return this.#scanWithoutTerminator && this.#held.length >= this.#minLength;
  }

  #takeHeld(): string[] {
    const held = this.#held;
    this.#held = [];
    return held;
  }

  #takeScan(at: number): string {
    this.#lastScanAt = at;
    return this.#takeHeld().join('');
  }
}

// KeyboardEvent.key is the character itself for printable keys ("a", "7", " ", "ñ") and a name
// ("Enter", "ArrowLeft") otherwise.
function isPrintable(key: string): boolean {
  return [...key].length === 1;
}
