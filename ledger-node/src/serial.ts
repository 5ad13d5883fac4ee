/**
 * Work run one at a time per key (a member, a record, the log), different keys side by side: a lock per key, dropped
 * once idle so that the map holds only keys with work in progress.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(key) ?? Promise.resolve()).then(work);
    const tail = run.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /** Resolves when the work queued so far has ended. */
  async idle(): Promise<void> {
    await Promise.all(this.tails.values());
  }
}
