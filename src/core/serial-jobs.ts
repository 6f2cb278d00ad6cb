/**
 * Runs async jobs one at a time, in the order they were queued. Tool results are posted
 * through one of these, so each continuation is read in order and never interleaves.
 */
export class SerialJobExecutor {
  #tail: Promise<unknown> = Promise.resolve();
  #queued = 0;

  /** Queues `job`; resolves (or rejects) with its result once every earlier job has settled. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.#queued++;
    const result = this.#tail.then(job);
    this.#tail = result.catch(() => {}).finally(() => this.#queued--);
    return result;
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.#queued;
  }
}
