// Why a device cannot be used, as a stable code the renderer words in the cashier's language,
// with the English detail for logs. Every transport maps its own failures onto these.
export const DEVICE_ERROR_CODES = [
  /** The address is not one we understand (a typo in a URI or a path). */
  'BAD_ADDRESS',
  /** Nothing at that address: the port does not exist, the host refuses. */
  'NOT_FOUND',
  /** Another program (or another device of ours) holds the port. */
  'IN_USE',
  /** The operating system refused: a udev rule or group membership is missing. */
  'PERMISSION',
  /** The device stopped answering. */
  'TIMEOUT',
  /** The device answered with something we cannot read. */
  'PROTOCOL',
  /** The call does not fit the device's state (enable before claim, say). */
  'ILLEGAL_STATE',
  'FAILED',
] as const;

export type DeviceErrorCode = (typeof DEVICE_ERROR_CODES)[number];

export class DeviceError extends Error {
  override name = 'DeviceError';
  constructor(readonly code: DeviceErrorCode, message: string) {
    super(message);
  }
}

/** Node and serialport errors as DeviceErrors, naming what was being opened. */
export function deviceErrorFrom(err: unknown, what: string): DeviceError {
  if (err instanceof DeviceError) return err;
  const e = err as NodeJS.ErrnoException;
  const text = `${e?.code ?? ''} ${e?.message ?? String(err)}`;
  if (/ENOENT|No such file/i.test(text)) return new DeviceError('NOT_FOUND', `${what} does not exist (is the device plugged in?)`);
  if (/ENXIO|ENODEV|No such device/i.test(text)) return new DeviceError('NOT_FOUND', `${what} has no device behind it (is it switched on?)`);
  if (/ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/i.test(text)) return new DeviceError('NOT_FOUND', `${what} cannot be reached (${e.code ?? e.message})`);
  if (/Cannot lock port|EBUSY|Resource busy|Resource temporarily unavailable/i.test(text)) return new DeviceError('IN_USE', `${what} is in use by another program`);
  if (/EACCES|EPERM|Permission denied/i.test(text)) return new DeviceError('PERMISSION', `${what}: permission denied (see resources/udev in the README)`);
  if (/ETIMEDOUT|timed out|did not answer/i.test(text)) return new DeviceError('TIMEOUT', `${what} did not answer`);
  return new DeviceError('FAILED', `${what}: ${e?.message ?? String(err)}`);
}
