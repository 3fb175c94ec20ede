// What a press on the touch keypad does to a field's text: a key replaces the selection or goes in
// at the caret, as a typed key would, so a field that selects its value on focus is replaced by the
// first press. One decimal separator at most, never past the field's length, and a separator
// pressed first reads as "0,".

export type PadKey = { kind: 'text'; text: string } | { kind: 'back' } | { kind: 'clear' };
export type FieldText = { value: string; start: number; end: number };

export function padEdit(field: FieldText, key: PadKey, separator: string, maxLength = Infinity): FieldText {
  const { value } = field;
  const start = Math.min(field.start, field.end);
  const end = Math.max(field.start, field.end);
  if (key.kind === 'clear') return { value: '', start: 0, end: 0 };
  if (key.kind === 'back') {
    if (start !== end) return { value: value.slice(0, start) + value.slice(end), start, end: start };
    if (start === 0) return { value, start, end };
    return { value: value.slice(0, start - 1) + value.slice(end), start: start - 1, end: start - 1 };
  }
  const before = value.slice(0, start);
  const after = value.slice(end);
  let text = key.text;
  if (text === separator) {
    if ((before + after).includes(separator)) return { value, start, end };
    if (before === '') text = `0${separator}`;
  }
  const room = Math.max(0, (maxLength > 0 ? maxLength : Infinity) - before.length - after.length);
  text = text.slice(0, room);
  if (text === '' || (key.text === separator && !text.endsWith(separator))) return { value, start, end };
  const caret = before.length + text.length;
  return { value: before + text + after, start: caret, end: caret };
}
