import { describe, expect, it } from 'vitest';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { parseRfc, RFC_FOREIGN, RFC_GENERIC, RfcError, rfcProblem } from '#engine/fiscal/mx/rfc.ts';

describe('an RFC', () => {
  it('of a company has 12 characters and of a person 13, and is taken in upper case without surrounding spaces', () => {
    expect(parseRfc('EKU9003173C9')).toEqual({ rfc: 'EKU9003173C9', kind: 'MORAL', personType: 'MORAL' });
    expect(parseRfc('  cosc8001137na ')).toEqual({ rfc: 'COSC8001137NA', kind: 'FISICA', personType: 'FISICA' });
  });

  it('may carry Ñ and & in its letters', () => {
    expect(parseRfc('ÑAÑ010101AA1', { checkDigit: 'ignore' }).personType).toBe('MORAL');
    expect(rfcProblem('A&A010101AAA', { checkDigit: 'ignore' })).toBeNull();
  });

  it('for the general public and for foreigners is generic, of a person’s shape, with no check digit to verify', () => {
    expect(parseRfc(RFC_GENERIC)).toEqual({ rfc: 'XAXX010101000', kind: 'GENERIC', personType: 'FISICA' });
    expect(parseRfc(RFC_FOREIGN).kind).toBe('FOREIGN');
  });

  it('that is empty, misshapen, dated on a day that does not exist, or with a wrong check digit each has its own code', () => {
    const codes = ['', 'EKU90031', 'EK19003173C9', 'EKU900317-C9', 'EKU9002303C9', 'COSC8013017NA', 'EKU9003173C8'].map(
      (v) => rfcProblem(v)?.code,
    );
    expect(codes).toEqual(['RFC_EMPTY', 'RFC_FORMAT', 'RFC_FORMAT', 'RFC_FORMAT', 'RFC_DATE', 'RFC_DATE', 'RFC_CHECK_DIGIT']);
  });

  it('with a wrong check digit says in Spanish which digit the SAT’s algorithm gives', () => {
    const problem = rfcProblem('EKU9003173C8');
    expect(problem).toBeInstanceOf(RfcError);
    expect(problem!.params).toEqual({ rfc: 'EKU9003173C8', expected: '9' });
    expect(problem!.message).toContain('dígito verificador');
    expect(() => parseRfc('EKU9003173C8')).toThrow(RfcError);
  });

  it('whose check digit the SAT itself got wrong passes when the caller asks to ignore the digit', () => {
    expect(parseRfc('EKU9003173C8', { checkDigit: 'ignore' }).rfc).toBe('EKU9003173C8');
    expect(rfcProblem('EKU9002303C9', { checkDigit: 'ignore' })?.code).toBe('RFC_DATE');
  });

  it('of the demo store is one the SAT would take, check digit included', () => {
    expect(parseRfc(readDemoStore().store.business.taxId).kind).toBe('MORAL');
  });
});
