// The refusal tone: a scan that could not go where the cashier was looks up from the customer,
// not at the screen, so a refused scan is heard as well as said.
let context: AudioContext | null = null;

export function refusalTone(): void {
  try {
    context ??= new AudioContext();
    const now = context.currentTime;
    // Two short low notes: unlike the scanner's own high beep, which has already said "read".
    for (const [at, hz] of [
      [0, 330],
      [0.18, 262],
    ] as const) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = 'square';
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.15, now + at);
      gain.gain.exponentialRampToValueAtTime(0.001, now + at + 0.15);
      osc.connect(gain).connect(context.destination);
      osc.start(now + at);
      osc.stop(now + at + 0.16);
    }
  } catch {
    // No audio device (a kiosk without speakers): the message on screen still says it.
  }
}
