// Typing into whatever field has the focus as if the keys had gone there themselves: through
// the browser's own editing (insertText), so the field's caret, its undo and React's onChange
// all see an ordinary edit.

export type Editable = HTMLInputElement | HTMLTextAreaElement;

const TEXT_INPUTS = new Set(['text', 'search', 'password', 'tel', 'email', 'url', 'number', '']);

export function isEditable(el: Element | null): el is Editable {
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  return el instanceof HTMLInputElement && TEXT_INPUTS.has(el.type) && !el.readOnly && !el.disabled;
}

/** The field typing goes to: the focused one, or the screen's own (the scan field), focused first. */
export function typingTarget(doc: Document): Editable | null {
  if (isEditable(doc.activeElement)) return doc.activeElement;
  const home = doc.querySelector<HTMLElement>('[data-default-field]');
  if (!isEditable(home)) return null;
  home.focus();
  return home;
}

export function typeInto(field: Editable, text: string): void {
  if (text === '') return;
  if (field.ownerDocument.activeElement !== field) field.focus();
  // execCommand is the one way to make an edit the browser treats as typed (input events,
  // maxLength, the caret); a field that refuses it gets the value set and an input event.
  if (!field.ownerDocument.execCommand('insertText', false, text)) {
    setValue(field, field.value + text);
  }
}

/** Typing into a field that no longer has the focus: at its end, without taking the focus back. */
export function appendTo(field: Editable, text: string): void {
  if (text !== '') setValue(field, field.value + text);
}

/** Takes back the last `text` typed into the field, if it still ends with it. */
export function takeBack(field: Editable, text: string): boolean {
  if (text === '' || !field.value.endsWith(text)) return false;
  setValue(field, field.value.slice(0, -text.length));
  return true;
}

/** A new value for a React-controlled field: its own value setter, then the input event React listens for. */
export function setValue(field: Editable, value: string): void {
  const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
