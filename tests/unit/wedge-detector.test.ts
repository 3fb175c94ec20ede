import { describe, expect, it } from 'vitest';
import { WedgeDetector, type WedgeFlush, type WedgeKey, type WedgeOptions } from '../../renderer/scan/wedge-detector.ts';
import { seededRandom } from '../support/seeded-random.ts';

// Key timings as a USB keyboard-wedge scanner and people produce them, with seeded jitter.

type Timing = { start: number; minGap: number; maxGap: number; seed?: number; enter?: boolean };

function keys(text: string, { start, minGap, maxGap, seed = 7, enter = true }: Timing): WedgeKey[] {
  const gap = seededRandom(seed).between;
  const out: WedgeKey[] = [];
  let t = start;
  for (const ch of text) {
    out.push({ key: ch, timeStamp: t });
    t += gap(minGap, maxGap);
  }
  if (enter) out.push({ key: 'Enter', timeStamp: t });
  return out;
}

const scanner = (code: string, start: number, extra: Partial<Timing> = {}) => keys(code, { start, minGap: 8, maxGap: 15, ...extra });
const person = (text: string, start: number, extra: Partial<Timing> = {}) => keys(text, { start, minGap: 80, maxGap: 250, ...extra });
const last = (events: WedgeKey[]) => events.at(-1)!.timeStamp;

type Screen = {
  /** What the focused field ends up showing; a passed Enter shows as ⏎. */
  field: string;
  scans: string[];
  /** For each typed character, how long after its key press it reached the field. */
  delays: number[];
};

/** A key as the screen receives it: stamped when pressed, handled when it arrives (later, on a busy machine). */
type Delivered = WedgeKey & { arrivesAt?: number };

// Plays keys through the detector the way the screen does: a timer calls flush() at
// nextDeadline() unless a key has arrived first; released keys are typed, retracted ones taken
// back out, passed keys take effect.
function play(events: Delivered[], options: WedgeOptions = {}): Screen {
  const detector = new WedgeDetector(options);
  const screen: Screen = { field: '', scans: [], delays: [] };
  const pressedAt: number[] = [];
  const typedPressedAt: number[] = [];
  const type = (ch: string, now: number) => {
    screen.field += ch;
    typedPressedAt.push(pressedAt[0]!);
    screen.delays.push(now - pressedAt.shift()!);
  };
  const retract = (n: number) => {
    if (n === 0) return;
    screen.field = screen.field.slice(0, -n);
    screen.delays.splice(-n);
    pressedAt.unshift(...typedPressedAt.splice(-n));
  };
  const apply = (out: WedgeFlush, now: number) => {
    for (const ch of out.release) type(ch, now);
    if (out.scan !== null) {
      screen.scans.push(out.scan);
      pressedAt.splice(0, out.scan.length);
    }
  };
  // A timer runs at its deadline, or once the key that set it has been handled if that was later;
  // keys already waiting (arriving at the same moment) are handled before it.
  let lastArrival = Number.NEGATIVE_INFINITY;
  const timers = (until: number) => {
    for (let d = detector.nextDeadline(); d !== null && d <= until && lastArrival < until; d = detector.nextDeadline()) {
      const now = Math.max(d, lastArrival);
      apply(detector.flush(now), now);
    }
  };
  for (const { arrivesAt, ...event } of events) {
    const now = arrivesAt ?? event.timeStamp;
    timers(now);
    lastArrival = now;
    const printable = [...event.key].length === 1;
    const step = detector.key(event);
    retract(step.retract);
    if (printable && !event.repeat) pressedAt.push(event.timeStamp);
    apply(step, now);
    if (!step.pass) continue;
    if (printable) {
      if (!event.repeat) pressedAt.pop();
      screen.field += event.key;
      typedPressedAt.push(event.timeStamp);
      screen.delays.push(0);
    } else if (event.key === 'Enter') screen.field += '⏎';
    else if (event.key === 'Tab') screen.field += '⇥';
    else if (event.key === 'Backspace') screen.field = screen.field.slice(0, -1);
  }
  timers(Number.POSITIVE_INFINITY);
  return screen;
}

describe('wedge detector: scanners', () => {
  it('recognises an EAN-13 typed by a scanner at 8–15 ms a key, and types nothing into the field', () => {
    expect(play(scanner('7501000111206', 1_000))).toEqual({ field: '', scans: ['7501000111206'], delays: [] });
  });

  it('recognises scans one after another at the pace of a busy cashier', () => {
    const first = scanner('7501000111206', 1_000, { seed: 1 });
    const second = scanner('7501055363056', last(first) + 700, { seed: 2 });
    const third = scanner('96385074', last(second) + 450, { seed: 3 });
    expect(play([...first, ...second, ...third]).scans).toEqual(['7501000111206', '7501055363056', '96385074']);
  });

  it('recognises a receipt code with capitals, which the scanner types with Shift', () => {
    const events: WedgeKey[] = [];
    for (const key of scanner('RCAJA-1-000123', 500)) {
      if (/^[A-Z]$/.test(key.key)) events.push({ key: 'Shift', timeStamp: key.timeStamp - 2 });
      events.push(key);
    }
    expect(play(events)).toMatchObject({ field: '', scans: ['RCAJA-1-000123'] });
  });

  it('recognises a scan ended by Tab when the scanner is set to send one', () => {
    const events = scanner('7501000111206', 0, { enter: false });
    events.push({ key: 'Tab', timeStamp: last(events) + 12 });
    expect(play(events, { terminators: ['Enter', 'Tab'] })).toMatchObject({ field: '', scans: ['7501000111206'] });
  });

  it('recognises a scan without Enter once the burst goes quiet', () => {
    expect(play(scanner('7501000111206', 0, { enter: false }))).toEqual({ field: '', scans: ['7501000111206'], delays: [] });
  });

  it('types a burst without Enter into the field when scans must end with a terminator', () => {
    expect(play(scanner('7501000111206', 0, { enter: false }), { scanWithoutTerminator: false })).toMatchObject({
      field: '7501000111206',
      scans: [],
    });
  });

  it('swallows the second Enter of a scanner sending CR LF, and an Enter that straggles in after a quiet end', () => {
    const crlf = scanner('7501000111206', 0);
    crlf.push({ key: 'Enter', timeStamp: last(crlf) + 9 });
    expect(play(crlf)).toMatchObject({ field: '', scans: ['7501000111206'] });
    const late = scanner('7501000111206', 0, { enter: false });
    late.push({ key: 'Enter', timeStamp: last(late) + 50 });
    expect(play(late)).toMatchObject({ field: '', scans: ['7501000111206'] });
  });

  it('lets an Enter soon after a scan through once a person has pressed another key (F12 to pay, say)', () => {
    const detector = new WedgeDetector();
    const keys = scanner('7501000111206', 0);
    for (const k of keys) detector.key(k);
    expect(detector.key({ key: 'F12', timeStamp: last(keys) + 20 }).pass).toBe(true);
    expect(detector.key({ key: 'Enter', timeStamp: last(keys) + 40 }).pass).toBe(true);
  });

  it('takes back the first keys of a scan that reached the screen late, and rings up the whole code', () => {
    // The machine stalled after the scanner's third key: the screen's timer found the burst quiet
    // and typed "750"; the other keys then arrived all at once, stamped 8–15 ms apart as pressed.
    const keys = scanner('7501000111206', 1_000);
    const events: Delivered[] = keys.map((k, i) => (i >= 3 ? { ...k, arrivesAt: last(keys) + 150 } : k));
    expect(play(events)).toEqual({ field: '', scans: ['7501000111206'], delays: [] });
  });

  it('rings up a code whose last keys were held up on their way for a fifth of a second, rather than its first nine as a code', () => {
    const keys = scanner('7505599000026', 1_000);
    const events: Delivered[] = keys.map((k, i) => (i >= 9 ? { ...k, arrivesAt: k.timeStamp + 200 } : k));
    expect(play(events)).toEqual({ field: '', scans: ['7505599000026'], delays: [] });
  });

  it('once the scanner has ended a code with Enter, types a burst held up on its way however long, and takes it back when the rest arrives', () => {
    const first = scanner('7501000111206', 1_000, { seed: 1 });
    const second = scanner('7505599000026', last(first) + 800, { seed: 2 });
    const held: Delivered[] = second.map((k, i) => (i >= 9 ? { ...k, arrivesAt: k.timeStamp + 2_000 } : k));
    const screen = play([...first, ...held]);
    expect(screen).toMatchObject({ field: '', scans: ['7501000111206', '7505599000026'] });
  });

  it('still rings up a code without Enter after the quiet, until the scanner is seen to send one', () => {
    const first = scanner('7501000111206', 1_000, { seed: 1, enter: false });
    const second = scanner('7505599000026', last(first) + 800, { seed: 2 });
    const third = scanner('96385074', last(second) + 800, { seed: 3, enter: false });
    expect(play([...first, ...second, ...third])).toMatchObject({ field: '96385074', scans: ['7501000111206', '7505599000026'] });
  });

  it('leaves typed keys typed when the next key, however late it arrives, was pressed after a pause', () => {
    const typing = person('12', 0, { enter: false });
    const typed = person('34', last(typing) + 120, { enter: false });
    const more: Delivered[] = typed.map((k) => ({ ...k, arrivesAt: last(typed) + 300 }));
    expect(play([...typing, ...more])).toMatchObject({ field: '1234', scans: [] });
  });

  it('recognises a scan that arrives right after the cashier typed a quantity', () => {
    const quantity = person('3*', 0);
    quantity.pop(); // no Enter: the cashier scans next
    const scan = scanner('7501000111206', last(quantity) + 180);
    expect(play([...quantity, ...scan])).toMatchObject({ field: '3*', scans: ['7501000111206'] });
  });
});

describe('wedge detector: people', () => {
  it('passes a person typing at 80–250 ms a key through as typing, each key held for no more than one gap', () => {
    const screen = play(person('coca cola 600', 0));
    expect(screen.field).toBe('coca cola 600⏎');
    expect(screen.scans).toEqual([]);
    expect(Math.max(...screen.delays)).toBeLessThanOrEqual(36);
  });

  it('does not mistake a fast typist at 50–70 ms a key for a scanner, even typing a barcode by hand', () => {
    const screen = play(keys('7501000111206', { start: 0, minGap: 50, maxGap: 70 }));
    expect(screen).toMatchObject({ field: '7501000111206⏎', scans: [] });
  });

  it('lets a typist’s short rollover bursts through as typing', () => {
    // "th", "in", "ng" typed almost together, 20 ms apart, inside ordinary typing.
    const events: WedgeKey[] = [];
    let t = 0;
    for (const pair of ['th', 'in', 'g ', 'la', 'ta']) {
      events.push({ key: pair[0]!, timeStamp: t }, { key: pair[1]!, timeStamp: t + 20 });
      t += 180;
    }
    expect(play(events)).toMatchObject({ field: 'thing lata', scans: [] });
  });

  it('leaves the cashier’s amount typing alone, Backspace and Enter included', () => {
    const events: WedgeKey[] = [
      { key: '5', timeStamp: 0 },
      { key: '5', timeStamp: 140 },
      { key: 'Backspace', timeStamp: 300 },
      { key: '0', timeStamp: 420 },
      { key: '0', timeStamp: 530 },
      { key: '.', timeStamp: 700 },
      { key: '5', timeStamp: 810 },
      { key: '0', timeStamp: 900 },
      { key: 'Enter', timeStamp: 1_150 },
    ];
    expect(play(events)).toMatchObject({ field: '500.50⏎', scans: [] });
  });

  it('types held keys before a Backspace or Enter that comes within the gap', () => {
    const events: WedgeKey[] = [
      { key: '1', timeStamp: 0 },
      { key: '2', timeStamp: 90 },
      { key: 'Backspace', timeStamp: 110 },
      { key: '5', timeStamp: 220 },
      { key: 'Enter', timeStamp: 240 },
    ];
    expect(play(events)).toMatchObject({ field: '15⏎', scans: [] });
  });

  it('does not take a held-down key repeating every 33 ms for a scanner', () => {
    const events: WedgeKey[] = [{ key: '0', timeStamp: 0 }];
    for (let i = 1; i <= 10; i++) events.push({ key: '0', timeStamp: 500 + i * 33, repeat: true });
    expect(play(events)).toMatchObject({ field: '0'.repeat(11), scans: [] });
  });

  it('gives held keys back when asked, whatever the timing', () => {
    const detector = new WedgeDetector();
    detector.key({ key: '4', timeStamp: 0 });
    detector.key({ key: '2', timeStamp: 10 });
    expect(detector.releaseAll()).toEqual(['4', '2']);
    expect(detector.nextDeadline()).toBeNull();
  });
});
