// Where a notification goes, checked before any provider is called: an address that cannot work
// fails its job at once with a reason a person can act on (in Spanish: it reaches the store's
// staff), instead of costing a provider call and coming back as a bounce or a 400.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { email } from '#contract/fields.ts';
import { SendFailure } from '../outgoing.ts';

/**
 * The address as the channel sends to it (lowercase), or a permanent SendFailure. provider names
 * the adapter in the failure when an adapter checks (the failure goes to its log like any other).
 */
export function checkEmail(text: string, provider = 'address'): string {
  // The contract's own rule, so an address the counter accepted is one the channel accepts.
  const parsed = email.safeParse(text);
  if (!parsed.success) throw new SendFailure('permanent', `El correo «${text}» no es una dirección válida`, provider, { field: 'email' });
  return parsed.data;
}

// A number that can receive an SMS or a WhatsApp message. Mexico's plan does not tell mobile
// from fixed numbers (FIXED_LINE_OR_MOBILE), so those pass; a number known to be fixed does not.
const MOBILE_CAPABLE = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * The number in E.164 (+525512345678), or a permanent SendFailure. defaultCountry reads a number
 * typed without its country code; one that starts with + is read as written. Needs the library's
 * "max" metadata: the default one cannot tell a mobile number from a fixed one.
 */
export function checkPhone(text: string, defaultCountry: 'MX' | 'CO' | 'AR', provider = 'address'): string {
  const refuse = (why: string) => new SendFailure('permanent', `El número «${text}» ${why}`, provider, { field: 'phone' });
  let phone = parsePhoneNumberFromString(text, defaultCountry);
  // Mexico dropped the "1" that mobile numbers carried after +52 in 2019; contact lists still
  // have it, and the number without it is the same phone.
  if (phone && !phone.isValid() && phone.countryCallingCode === '52' && /^1\d{10}$/.test(phone.nationalNumber)) {
    phone = parsePhoneNumberFromString(`+52${phone.nationalNumber.slice(1)}`);
  }
  if (!phone?.isValid()) throw refuse('no es un teléfono válido');
  if (phone.ext) throw refuse('lleva una extensión; para SMS o WhatsApp se necesita un celular');
  const type = phone.getType();
  if (!type || !MOBILE_CAPABLE.has(type)) throw refuse('no es de un celular; para SMS o WhatsApp se necesita un celular');
  return phone.number;
}
