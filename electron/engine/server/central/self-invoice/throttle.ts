// Self-invoicing's limits, counted in Redis so every web process of the service shares them
// (rate-limiter-flexible: one atomic INCR-with-expiry script per count). Per client address:
// lookups and requests in a window. Per receipt: failed lookups (a wrong total, a code that does
// not exist) in an hour, so a code cannot be tried against every total. While Redis is away each
// process counts on its own in memory (the library's insurance limiter): looser, never open.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export const ADDRESS_WINDOW_SECONDS = 10 * 60;
export const RECEIPT_WINDOW_SECONDS = 60 * 60;

export type SelfInvoiceThrottle = {
  /** Counts one lookup or request from `address`: null when it may go on, else the seconds to wait. */
  address(address: string): Promise<number | null>;
  /** The seconds to wait before this receipt may be looked up again, or null. */
  receiptBlocked(receiptKey: string): Promise<number | null>;
  /** Counts one failed lookup of this receipt. */
  receiptFailed(receiptKey: string): Promise<void>;
};

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function redisThrottle(redis: Redis, limits: { addressLimit: number; receiptFailures: number }): SelfInvoiceThrottle {
  const limiter = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
    });
  const byAddress = limiter('pos:self-invoice:address', limits.addressLimit, ADDRESS_WINDOW_SECONDS);
  const byReceipt = limiter('pos:self-invoice:receipt', limits.receiptFailures, RECEIPT_WINDOW_SECONDS);
  return {
    async address(address) {
      try {
        await byAddress.consume(address);
        return null;
      } catch (err) {
        if (err instanceof RateLimiterRes) return seconds(err.msBeforeNext);
        throw err;
      }
    },
    async receiptBlocked(receiptKey) {
      const used = await byReceipt.get(receiptKey);
      return used && used.consumedPoints >= limits.receiptFailures ? seconds(used.msBeforeNext) : null;
    },
    async receiptFailed(receiptKey) {
      await byReceipt.penalty(receiptKey, 1);
    },
  };
}
