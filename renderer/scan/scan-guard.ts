// One guard for the whole window: every key goes through the wedge detector before any screen
// sees it, so a scanner's burst is caught wherever the focus is (the pay dialog's cash field,
// a PIN, a dialog) and handed to onScan instead of being typed. A person's keys are held for one
// gap and then typed into the field that has the focus, or the screen's own field
// ([data-default-field], the scan field) when the focus is on no field.
import { WedgeDetector } from './wedge-detector.ts';
import { appendTo, isEditable, takeBack, typeInto, typingTarget, type Editable } from './text-entry.ts';

/** Slack past the detector's deadline: on a loaded machine the scanner's next key may be queued behind the timer. */
const FLUSH_SLACK_MS = 40;
/** A flush timer this late means the page was busy; keys that came meanwhile may still be queued. */
const LATE_MS = 15;
const LATE_RETRY_MS = 30;
const MAX_RETRIES = 3;
/**
 * How long after keys of a burst were let go as typing (the page stalled longer than any timer
 * could wait) the rest of that burst still counts as the same code. Seen at 1024×768 with a
 * long cart: "75" typed, then "05599000026⏎" read as a scan of its own, and nothing rang up.
 */
const BROKEN_BURST_MS = 1000;

/** Keys the browser has but has not handed to the page yet (Chromium's isInputPending). */
const inputPending = () =>
  (navigator as Navigator & { scheduling?: { isInputPending?(o?: { includeContinuous: boolean }): boolean } }).scheduling?.isInputPending?.(
    { includeContinuous: false },
  ) === true;

const PRESSABLE_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset']);
const PRESSABLE_ROLES = new Set([
  'button',
  'checkbox',
  'radio',
  'switch',
  'option',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'tab',
]);

/** A control Space acts on, which types nothing. */
function isPressable(el: Element | null): boolean {
  if (!el || isEditable(el)) return false;
  if (el instanceof HTMLButtonElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return PRESSABLE_INPUTS.has(el.type);
  return PRESSABLE_ROLES.has(el.getAttribute('role') ?? '');
}

export type ScanHandler = (code: string, focused: Element | null) => void;

export function installScanGuard(win: Window, onScan: ScanHandler): () => void {
  const doc = win.document;
  const detector = new WedgeDetector();
  let timer: number | undefined;
  /** The last keys let go as typing: where they went, when, and whether they were a fast run (two or more keys within a gap). */
  let released: { field: Editable; text: string; at: number; burst: boolean } | null = null;
  /** Where the keys now held were typed: they go there even if the focus has moved since (a keypad pressed, say). */
  let heldFor: Editable | null = null;

  const type = (keys: string[], at: number) => {
    if (keys.length === 0) return;
    const field = heldFor?.isConnected && heldFor !== doc.activeElement ? heldFor : typingTarget(doc);
    heldFor = null;
    if (!field) return;
    // One key at a time, as the keyboard would have, each after React has taken the one before
    // (its update flushes in a microtask): a field that refuses a letter keeps the digits around
    // it. Microtasks still run before the default action of the key being handled.
    const focused = field === doc.activeElement;
    const left = [...keys];
    const next = () => {
      const key = left.shift();
      if (key === undefined) return;
      if (focused) typeInto(field, key);
      else appendTo(field, key);
      if (left.length > 0) queueMicrotask(next);
    };
    next();
    released = { field, text: keys.join(''), at, burst: keys.length >= 2 };
  };

  const scanned = (code: string, at: number) => {
    // The start of this code may have been typed already: the page stalled in the middle of the
    // burst for longer than a quiet spell. Take it back out of the field and put it in front.
    const head = released;
    released = null;
    let whole = code;
    if (head?.burst && at - head.at <= BROKEN_BURST_MS && takeBack(head.field, head.text)) whole = head.text + code;
    onScan(whole, doc.activeElement);
  };

  const apply = (step: { release: string[]; scan: string | null }, at: number) => {
    type(step.release, at);
    if (step.scan) scanned(step.scan, at);
    // Nothing held any more (typed, or a scan): the next held key says afresh where it was typed.
    if (detector.nextDeadline() === null) heldFor = null;
  };

  // Measured in Chromium under load: a render held the page for 95 ms in the middle of a burst,
  // the flush timer ran before the scanner's queued keys, and one scan became "7" typed plus a
  // bad code. A timer that runs while keys are still waiting, or well after its time, looks
  // again after those keys have had their turn (each of them resets it).
  const flushLater = (wait: number, retries: number) => {
    const expected = win.performance.now() + wait;
    timer = win.setTimeout(() => {
      if (retries < MAX_RETRIES && (inputPending() || win.performance.now() - expected > LATE_MS))
        return flushLater(LATE_RETRY_MS, retries + 1);
      const now = win.performance.now();
      apply(detector.flush(now), now);
    }, wait);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.isComposing) return;
    // Chords are commands (Ctrl+B, Alt+P), never part of a scan: what is held goes as typing first.
    if (e.ctrlKey || e.altKey || e.metaKey) {
      type(detector.releaseAll(), e.timeStamp);
      return;
    }
    // Space on a control that is not a text field (a checkbox, a radio, a button) presses it: a
    // scanner never starts a code with a space, so with nothing held it is a person's key.
    if (e.key === ' ' && detector.nextDeadline() === null && isPressable(doc.activeElement)) return;
    const step = detector.key({ key: e.key, timeStamp: e.timeStamp, repeat: e.repeat });
    if (!step.pass && detector.nextDeadline() !== null && heldFor === null && isEditable(doc.activeElement)) heldFor = doc.activeElement;
    if (!step.pass) {
      // Held, or part of a scan: no field types it and no screen acts on it (a scan's Enter must
      // not submit the form it landed on).
      e.preventDefault();
      e.stopImmediatePropagation();
    }
    if (step.retract > 0 && released) {
      // The detector itself saw, by the keys' time stamps, that the keys just let go began this burst.
      takeBack(released.field, released.text.slice(-step.retract));
      released = null;
    }
    apply(step, e.timeStamp);
    win.clearTimeout(timer);
    const deadline = detector.nextDeadline();
    if (deadline !== null) flushLater(Math.max(0, deadline - win.performance.now()) + FLUSH_SLACK_MS, 0);
  };

  win.addEventListener('keydown', onKey, { capture: true });
  return () => {
    win.removeEventListener('keydown', onKey, { capture: true });
    win.clearTimeout(timer);
  };
}
