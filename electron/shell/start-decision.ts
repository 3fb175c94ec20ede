// What `npm start` runs: the Electron window where its runtime is installed and a display can
// show it; otherwise serve mode on the demo store, said in one line. The runtime cannot be
// downloaded on our build machines (package.json keeps electron's install script off), so there
// `npm start` is serve mode and the two README commands still give a working POS.

export type StartFacts = {
  /** What require('electron') gave: the binary's path, or the error when the runtime is missing. */
  electron: { path: string } | { error: string };
  binaryExists: boolean;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
};

export type StartDecision = { mode: 'electron'; binary: string } | { mode: 'serve'; line: string };

const HOW = 'starting serve mode instead: open the address below in a browser';

export function decideStart(facts: StartFacts): StartDecision {
  if (facts.env.POS_START_MODE === 'serve') return { mode: 'serve', line: `POS_START_MODE=serve; ${HOW}` };
  if ('error' in facts.electron || !facts.binaryExists) {
    return { mode: 'serve', line: `The Electron runtime is not installed here (it cannot be downloaded on this machine); ${HOW}` };
  }
  if (facts.platform === 'linux' && !facts.env.DISPLAY && !facts.env.WAYLAND_DISPLAY) {
    return { mode: 'serve', line: `No display to open the Electron window on (DISPLAY and WAYLAND_DISPLAY are unset); ${HOW}` };
  }
  return { mode: 'electron', binary: facts.electron.path };
}
