// How Node's and serialport's failures read as the contract's device errors.
import { DeviceError } from '#contract/device-error.ts';

export { DEVICE_ERROR_CODES, DeviceError, type DeviceErrorCode } from '#contract/device-error.ts';

/** Node and serialport errors as DeviceErrors, naming what was being opened. */
export function deviceErrorFrom(err: unknown, what: string): DeviceError {
  if (err instanceof DeviceError) return err;
  const e = err as NodeJS.ErrnoException;
  const text = `${e?.code ?? ''} ${e?.message ?? String(err)}`;
  if (/ENOENT|No such file/i.test(text)) return new DeviceError('NOT_FOUND', `${what} does not exist (is the device plugged in?)`);
  if (/ENXIO|ENODEV|No such device/i.test(text))
    return new DeviceError('NOT_FOUND', `${what} has no device behind it (is it switched on?)`);
  if (/ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/i.test(text))
    return new DeviceError('NOT_FOUND', `${what} cannot be reached (${e.code ?? e.message})`);
  if (/Cannot lock port|EBUSY|Resource busy|Resource temporarily unavailable/i.test(text))
    return new DeviceError('IN_USE', `${what} is in use by another program`);
  if (/EACCES|EPERM|Permission denied/i.test(text))
    return new DeviceError('PERMISSION', `${what}: permission denied (see resources/udev in the README)`);
  if (/ETIMEDOUT|timed out|did not answer/i.test(text)) return new DeviceError('TIMEOUT', `${what} did not answer`);
  return new DeviceError('FAILED', `${what}: ${e?.message ?? String(err)}`);
}
