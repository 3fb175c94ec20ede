// One queue for every change to a sale, a shift or the cash: a scanner firing two codes in a
// row, or a double click on Pay, runs one after the other against the latest state instead
// of racing. Reads do not wait here.
export type WriteQueue = <T>(work: () => Promise<T>) => Promise<T>;

export function createWriteQueue(): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
