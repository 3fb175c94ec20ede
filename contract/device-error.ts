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
  constructor(
    readonly code: DeviceErrorCode,
    message: string,
  ) {
    super(message);
  }
}
