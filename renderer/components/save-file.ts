// A file the engine made (an invoice's PDF or stamped XML) saved through the browser's own
// download: an anchor on a Blob's URL, which a browser in serve mode and the Electron window
// (whose shell lets through only the app's own Blobs, electron/shell/navigation-policy.ts) both take.

/** The bytes of a base64 answer (an invoice's PDF). */
export const base64Bytes = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

export function saveFile(filename: string, content: Blob): void {
  const url = URL.createObjectURL(content);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has the Blob by the time the click returns; the URL is let go a little later all the same.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
