/** Counts the requests under way, so that a shutdown can wait for the last one to finish. */
export interface InFlight {
  /** A request has started. */
  enter: () => void;
  /** A request has finished, answered or failed; the last one out wakes those waiting in drain(). */
  leave: () => void;
  /**
   * Waits for the requests under way.
   *
   * @returns A promise that resolves at once when none is under way, else when the count next falls to zero.
   */
  drain: () => Promise<void>;
}

/** A fresh counter at zero. */
export function inFlightCounter(): InFlight {
  let inFlight = 0;
  const idle: (() => void)[] = [];
  return {
    enter: () => void inFlight++,
    leave: () => {
      inFlight--;
      if (inFlight === 0) for (const resolve of idle.splice(0)) resolve();
    },
    drain: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
  };
}
