// What the card-provider adapter tests share: the charges they start, the CardProviderError a
// call fails with (anything else fails the test), and a port on 127.0.0.1 with nobody listening.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { CardProviderError, type ChargeRequest } from '#engine/payments/card-terminals/card-terminal.ts';

/** Charge requests of register CAJA-1's sales on `terminalId`, each call the next sale's. */
export function chargeRequests(terminalId: string): (overrides?: Partial<ChargeRequest>) => ChargeRequest {
  let sale = 100;
  return (overrides = {}) => ({
    idempotencyKey: randomUUID(),
    externalReference: `A-CAJA-1-${sale++}`,
    terminalId,
    amount: '125.50',
    currency: 'MXN',
    description: 'Abarrotes La Esperanza, venta en caja 1',
    ...overrides,
  });
}

export async function failure(promise: Promise<unknown>): Promise<CardProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CardProviderError) return error;
    throw error;
  }
  throw new Error('expected a CardProviderError');
}

export function failureOf(fn: () => unknown): CardProviderError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CardProviderError) return error;
    throw error;
  }
  throw new Error('expected a CardProviderError');
}

export async function portNobodyListensOn(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
