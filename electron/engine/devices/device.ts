// The UnifiedPOS life of every device: open (we know about it), claim (we hold it alone: the
// port is open), enable (it delivers data), and back through disable, release, close. Data,
// status-update and error events come out of one emitter, so the engine forwards every kind of
// device to the renderer the same way. A subclass supplies only how to take and give back its
// hardware; the state rules live here once.
import { EventEmitter } from 'node:events';
import type { DeviceHealth, DeviceKind, DeviceState, DeviceStatus } from '#contract/device-status.ts';
import { DeviceError, deviceErrorFrom } from './device-error.ts';
import { log } from '../log/logger.ts';

export type { DeviceHealth, DeviceKind, DeviceState, DeviceStatus } from '#contract/device-status.ts';

type DeviceEventMap<Data> = {
  data: [Data];
  status: [DeviceStatus];
  error: [DeviceError];
};

export abstract class PosDevice<Data> extends EventEmitter<DeviceEventMap<Data>> {
  #state: DeviceState = 'closed';
  #health: DeviceHealth = 'unknown';
  #conditions: string[] = [];
  #error: DeviceError | null = null;
  #unclaimed: DeviceError | null = null;
  #claiming: Promise<void> | null = null;
  #closing = false;

  constructor(
    readonly id: string,
    readonly kind: DeviceKind,
    readonly address: string,
  ) {
    super();
  }

  get state(): DeviceState {
    return this.#state;
  }

  /** Why the device is not claimed: its last claim failed, or its hardware went away since; null otherwise. */
  protected get whyUnclaimed(): DeviceError | null {
    return this.#state === 'claimed' || this.#state === 'enabled' ? null : this.#unclaimed;
  }

  status(): DeviceStatus {
    return {
      deviceId: this.id,
      kind: this.kind,
      address: this.address,
      state: this.#state,
      health: this.#health,
      conditions: [...this.#conditions],
      error: this.#error ? { code: this.#error.code, message: this.#error.message } : null,
    };
  }

  /** Takes the hardware: opens the port or connection. Throws a DeviceError. */
  protected abstract acquire(): Promise<void>;
  /** Gives the hardware back; never throws. */
  protected abstract relinquish(): Promise<void>;

  async open(): Promise<void> {
    if (this.#state !== 'closed') return;
    this.#set('opened');
  }

  async claim(): Promise<void> {
    if (this.#state === 'closed') throw new DeviceError('ILLEGAL_STATE', `${this.id} must be opened before it is claimed`);
    if (this.#state !== 'opened') return;
    // One claim at a time: two would each open the port, and one port would never be given back.
    this.#claiming ??= this.#claim().finally(() => {
      this.#claiming = null;
    });
    return this.#claiming;
  }

  async #claim(): Promise<void> {
    try {
      await this.acquire();
    } catch (err) {
      const error = deviceErrorFrom(err, this.address);
      this.#unclaimed = error;
      this.reportError(error, error.code === 'TIMEOUT' || error.code === 'NOT_FOUND' ? 'offline' : 'error');
      throw error;
    }
    if (this.#closing) {
      // Closed while the port was opening: give it straight back.
      await this.relinquish();
      throw new DeviceError('ILLEGAL_STATE', `${this.id} was closed while it was being claimed`);
    }
    this.#error = null;
    this.#unclaimed = null;
    this.#set('claimed', 'online');
  }

  async enable(): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'opened')
      throw new DeviceError('ILLEGAL_STATE', `${this.id} must be claimed before it is enabled`);
    this.#set('enabled');
  }

  async disable(): Promise<void> {
    if (this.#state === 'enabled') this.#set('claimed');
  }

  async release(): Promise<void> {
    await this.#claiming?.catch(() => undefined);
    if (this.#state !== 'claimed' && this.#state !== 'enabled') return;
    await this.relinquish();
    this.#unclaimed = null;
    this.#set('opened');
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.release();
    if (this.#state !== 'closed') this.#set('closed');
    this.removeAllListeners('data');
  }

  /** Hands data to listeners; data that arrives while disabled is dropped, as UnifiedPOS does with DataEventEnabled off. */
  protected deliver(data: Data): boolean {
    if (this.#state !== 'enabled') return false;
    this.emit('data', data);
    return true;
  }

  /**
   * The hardware answered with its condition, which replaces the last one: an error of ours from
   * before (a timeout, nonsense) is over, since it answered. An event goes out only when something changed.
   */
  protected reportHealth(health: DeviceHealth, conditions: string[] = []): void {
    const same =
      this.#error === null &&
      health === this.#health &&
      conditions.length === this.#conditions.length &&
      conditions.every((c, i) => c === this.#conditions[i]);
    this.#error = null;
    this.#health = health;
    this.#conditions = [...conditions];
    if (!same) this.emit('status', this.status());
  }

  /**
   * Something went wrong that the cashier should see; the device keeps its state. The hardware's
   * conditions go with it: they were what its last answer said, and this is no answer.
   */
  protected reportError(error: DeviceError, health: DeviceHealth = 'error'): void {
    this.#error = error;
    this.#health = health;
    this.#conditions = [];
    // An 'error' event with no listener would throw and take the engine down; a status is enough then.
    if (this.listenerCount('error') > 0) this.emit('error', error);
    this.emit('status', this.status());
  }

  /**
   * For a driver reporting from a port's, a timer's or a HID callback: a listener that throws
   * there would escape into the engine, so its failure is logged and the driver goes on.
   */
  protected quietly(report: () => void): void {
    try {
      report();
    } catch (e) {
      log.warn({ err: e, deviceId: this.id }, `devices: ${this.id}: a listener failed`);
    }
  }

  /** The hardware went away under us (cable pulled): back to opened, so a later claim retries. */
  protected lost(error: DeviceError): void {
    if (this.#state === 'claimed' || this.#state === 'enabled') this.#state = 'opened';
    this.#unclaimed = error;
    this.reportError(error, 'offline');
  }

  #set(state: DeviceState, health?: DeviceHealth): void {
    this.#state = state;
    if (health) this.#health = health;
    this.emit('status', this.status());
  }
}
