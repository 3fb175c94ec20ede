// The preload of every window: runs sandboxed with context isolation and exposes the contract
// client as window.pos (electron/shell/bridge.ts), nothing else. Bundled to CommonJS because a
// sandboxed preload cannot load modules of its own.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeContract } from './shell/bridge.ts';

exposeContract({ contextBridge, ipcRenderer });
