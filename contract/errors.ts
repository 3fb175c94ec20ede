// Errors that cross the boundary: a stable code the renderer translates into the cashier's
// language, an English message for logs and scripts, and parameters for both.
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_CALL',
  'NOT_SIGNED_IN',
  'SESSION_EXPIRED',
  'SESSION_REVOKED',
  'FORBIDDEN',
  'OVERRIDE_REQUIRED',
  'OVERRIDE_REFUSED',
  'BAD_CREDENTIALS',
  'LOCKED',
  'MFA_REQUIRED',
  'MFA_INVALID',
  'MFA_ENROLLMENT_REQUIRED',
  'STEP_UP_REQUIRED',
  'NOT_FOUND',
  'CONFLICT',
  'TERMINAL_NOT_CONFIGURED',
  'DEVICE_ERROR',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type EngineErrorBody = { code: ErrorCode; message: string; params?: Record<string, unknown> };
