// Every string the engine accepts, in every call's input and in the envelope, is walked out of
// the contract's schemas and fed broken text: a lone surrogate, NUL, other C0 and C1 controls,
// DEL, a line break. None may pass, alone or inside a value the field otherwise accepts, so a
// field added tomorrow without the text check fails here instead of stopping a register's sync.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, envelopeSchema, overrideSchema } from '#contract/calls.ts';

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Where a string is read: the call and the path in its input, and the schema that reads it. */
type Leaf = { where: string; schema: z.ZodType };

function stringLeaves(schema: z.ZodType, where: string, out: Leaf[] = []): Leaf[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      out.push({ where, schema });
      break;
    case 'object':
      for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) stringLeaves(field, `${where}.${key}`, out);
      if (def.catchall && defOf(def.catchall).type !== 'never') stringLeaves(def.catchall as z.ZodType, `${where}.*`, out);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      stringLeaves(def.innerType as z.ZodType, where, out);
      break;
    case 'pipe':
      stringLeaves(def.in as z.ZodType, where, out);
      break;
    case 'array':
      stringLeaves(def.element as z.ZodType, `${where}[]`, out);
      break;
    case 'union':
      (def.options as z.ZodType[]).forEach((option, i) => stringLeaves(option, `${where}|${i}`, out));
      break;
    case 'record':
      stringLeaves(def.keyType as z.ZodType, `${where}{key}`, out);
      stringLeaves(def.valueType as z.ZodType, `${where}{value}`, out);
      break;
    // Fixed values and non-strings carry no free text.
    case 'enum':
    case 'literal':
    case 'boolean':
    case 'number':
    case 'unknown':
    case 'never':
      break;
    default:
      throw new Error(`${where}: the walk does not know zod's "${def.type}"; teach it, so no string hides behind it`);
  }
  return out;
}

const LEAVES: Leaf[] = [
  ...Object.entries(contract).flatMap(([name, spec]) => stringLeaves(spec.input as z.ZodType, name)),
  ...stringLeaves(envelopeSchema, 'envelope'),
  ...stringLeaves(overrideSchema, 'override'),
];

/** Fields that hold several lines (a description): a line break is fine there, nothing else is. */
const MULTILINE = new Set(['catalog.saveProduct.description', 'roles.save.description']);

const BROKEN: [string, string][] = [
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udc00'],
  ['NUL', '\u0000'],
  ['BEL', '\u0007'],
  ['ESC', '\u001b'],
  ['a tab', '\t'],
  ['a carriage return', '\r'],
  ['DEL', '\u007f'],
  ['NEL (C1)', '\u0085'],
  ['CSI (C1)', '\u009b'],
];
const LINE_BREAK = '\n';
/** Codes as a scanner sends them: its suffix and GS1's separators pass, to be read past by the code parser. */
const SCANNED = new Set([
  'sales.addItem.code',
  'returns.lookup.code',
  'sales.history.code',
  'sales.storeCredit.code',
  'sales.addGiftCard.code',
  'sales.giftCard.code',
  'sales.complete.tenders[].balanceCode',
]);
const FROM_SCANNER = new Set(['\t', '\r', '\n', '\u001d', '\u001e', '\u0004']);

/** Values some field accepts: a poisoned copy of each that a field takes must still be refused. */
const SAMPLES = [
  'x',
  'Café de olla',
  '1234',
  '246810',
  '123456',
  '12.50',
  '0.05',
  '500',
  '7505599000026',
  '12345678',
  'ABR-000002',
  'pza',
  'IVA16',
  'A1B2C3',
  '4242',
  'Visa',
  'abcde-23456',
  'test-key-0001',
  'Esperanza-Dueña-2026',
  '+525512345678',
  'GODE561231GR8',
  '06000',
  'sales.sell',
  'CAJA-1',
  'RCAJA-1-000123',
  '2026-12-03',
  'tcp://127.0.0.1:9100',
  '/dev/ttyUSB0',
  'serial:/dev/ttyUSB0?baud=9600',
  'hid:0c2e:0b61',
  'epson-tm-t20iii',
  'SF-0A1B2C3D4E5F',
  '01a23aa7-4036-7350-99c8-ae6499ae7134',
  'ana@example.com',
  '-2',
  '3.250',
  '50101500',
  'H87',
  'https://factura.example.mx',
];

function poisoned(sample: string, bad: string): string[] {
  const middle = Math.ceil(sample.length / 2);
  return [bad, `${bad}${sample}`, `${sample.slice(0, middle)}${bad}${sample.slice(middle)}`, `${sample}${bad}`];
}

describe('text in every call of the contract', () => {
  it('finds every string field of every call and of the envelope, and each accepts some ordinary value', () => {
    // A walk that found nothing would prove nothing: the contract has well over a hundred string fields.
    expect(LEAVES.length).toBeGreaterThan(100);
    for (const where of [
      'sales.overridePrice.reason',
      'shifts.cashMovement.reason',
      'sales.complete.tenders[].balanceCode',
      'staff.save.kyc.data{value}',
      'envelope.token',
      'override.pin',
      'devices.configure.devices.printer.uri',
    ]) {
      expect(
        LEAVES.map((l) => l.where),
        where,
      ).toContain(where);
    }
    const takesNothing = LEAVES.filter((l) => !SAMPLES.some((s) => l.schema.safeParse(s).success)).map((l) => l.where);
    expect(takesNothing).toEqual([]);
  });

  it('refuses a lone surrogate and every control character in every string field, alone or inside a good value', () => {
    const accepted: string[] = [];
    for (const leaf of LEAVES) {
      const good = SAMPLES.filter((s) => leaf.schema.safeParse(s).success);
      const broken = (MULTILINE.has(leaf.where) ? BROKEN : [...BROKEN, ['a line break', LINE_BREAK] as [string, string]]).filter(
        ([, bad]) => !(SCANNED.has(leaf.where) && FROM_SCANNER.has(bad)),
      );
      for (const [what, bad] of broken) {
        for (const value of good.flatMap((s) => poisoned(s, bad))) {
          if (leaf.schema.safeParse(value).success) accepted.push(`${leaf.where} took ${what} in ${JSON.stringify(value)}`);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('takes a scanned code with its suffix and GS1 separators, and still no NUL, ESC or broken character', () => {
    for (const where of SCANNED) {
      const leaf = LEAVES.find((l) => l.where === where)!;
      for (const code of [
        '7501055300075\r',
        '7501055300075\r\n',
        '7501055300075\t',
        '0107501055300075\u001d10LOTE1',
        '[)>\u001e06\u001d1PABC\u001e\u0004',
      ]) {
        expect(leaf.schema.safeParse(code).success, `${where} ${JSON.stringify(code)}`).toBe(true);
      }
      for (const bad of ['75010\u000055300075', '\ud80075010', '7501\u001b055300075', '7501\u0085055']) {
        expect(leaf.schema.safeParse(bad).success, `${where} ${JSON.stringify(bad)}`).toBe(false);
      }
    }
  });

  it('lets a description hold several lines, and only those', () => {
    for (const where of MULTILINE) {
      const leaf = LEAVES.find((l) => l.where === where)!;
      expect(leaf.schema.safeParse('Café de olla\nen grano, 500 g').success, where).toBe(true);
    }
  });
});
