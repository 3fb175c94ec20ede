// What the engine's thread and the push thread say to each other: a call of the courier by name,
// and its answer or its error. An error crosses as its name, message and own fields (a driver's
// SQLSTATE, a socket's code), which is all the push's retry policy and status read; the push's
// own errors come back as their classes, since the push tells them apart by class.
import { CentralNotReady } from './central-check.ts';
import { ChainMismatch, CursorMismatch } from './central-ledger.ts';
import type { BatchCourier } from './batch-courier.ts';

export type CourierCall = { [K in keyof BatchCourier]: { id: number; op: K; args: Parameters<BatchCourier[K]> } }[keyof BatchCourier];

export type WireError = { name: string; message: string; fields: Record<string, string | number | boolean> };

export type CourierAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** What the push thread is started with. */
export type PushThreadData = { dataDir: string; url: string; registerId: string };

export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: WireError['fields'] = {};
  for (const [key, value] of Object.entries(err))
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  return { name: err.name, message: err.message, fields };
}

export function fromWire(wire: WireError): Error {
  if (wire.name === 'CursorMismatch') return new CursorMismatch(Number(wire.fields.centralHead), String(wire.fields.centralHash));
  const err =
    wire.name === 'ChainMismatch'
      ? new ChainMismatch(wire.message)
      : wire.name === 'CentralNotReady'
        ? new CentralNotReady(wire.message)
        : new Error(wire.message);
  return Object.assign(err, wire.fields, { name: wire.name });
}
