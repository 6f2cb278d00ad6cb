/**
 * Cancellation in two levels: one scope per conversation, and a child per turn. Stop aborts
 * the turn; reset, loading another conversation or disposing aborts the scope and with it every
 * turn, tool run and read that belongs to it. Work checks `signal.aborted` before it writes, so
 * a late answer for an old conversation can never leak into the new one.
 */
export class CancelScope {
  #controller = new AbortController();
  #turn: AbortController | undefined;

  /** The conversation's signal: aborted on reset, load or dispose. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** A fresh child signal for one turn (the previous turn's child is left as it is). */
  startTurn(): AbortSignal {
    const turn = (this.#turn = child(this.#controller.signal));
    return turn.signal;
  }

  /** The current turn's signal, or a fresh one. */
  get turnSignal(): AbortSignal {
    return (this.#turn ??= child(this.#controller.signal)).signal;
  }

  /** Aborts the current turn (stop). The next turn gets a new child. */
  abortTurn(): void {
    this.#turn?.abort();
    this.#turn = undefined;
  }

  /** Aborts everything of this conversation and opens a new scope. */
  renew(): void {
    this.#controller.abort();
    this.#controller = new AbortController();
    this.#turn = undefined;
  }
}

/** A controller that aborts with `parent` (AbortSignal.any is missing in older Safari). */
function child(parent: AbortSignal): AbortController {
  const controller = new AbortController();
  if (parent.aborted) controller.abort();
  else parent.addEventListener('abort', () => controller.abort(), { once: true, signal: controller.signal });
  return controller;
}
