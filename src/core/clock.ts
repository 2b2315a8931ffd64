/** The time source every rule reads, so tests can hold time still or move it on. */
export interface Clock {
  /**
   * The current time.
   *
   * @returns A fresh Date the caller may keep: later calls never change it.
   */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests and tools: starts where it is told and moves only when advanced. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}
