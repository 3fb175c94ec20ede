// The engine's refusals: thrown anywhere in a handler, answered as the contract's error body.
import type { EngineErrorBody, ErrorCode } from '#contract/errors.ts';

export { ERROR_CODES, type EngineErrorBody, type ErrorCode } from '#contract/errors.ts';

export class EngineError extends Error {
  override name = 'EngineError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params?: Record<string, unknown>,
  ) {
    super(message);
  }

  toBody(): EngineErrorBody {
    return this.params === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, params: this.params };
  }
}
