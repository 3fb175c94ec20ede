// The engine's side of the contract's events: one typed emitter that the IPC relay and the
// WebSocket listen to.
import { EventEmitter } from 'node:events';
import type { ServerEventName, ServerEvents } from '#contract/events.ts';

export { SERVER_EVENT_NAMES, type ServerEventName, type ServerEvents } from '#contract/events.ts';

export class ServerEventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Many windows and tests listen at once; the default cap of 10 would warn for no reason.
    this.#emitter.setMaxListeners(100);
  }

  emit<K extends ServerEventName>(name: K, payload: ServerEvents[K]): void {
    this.#emitter.emit(name, payload);
  }

  on<K extends ServerEventName>(name: K, listener: (payload: ServerEvents[K]) => void): () => void {
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }
}
