/**
 * The small part of the ES Observable proposal that Web Chat uses on its `directLine`:
 * `subscribe({ next, error, complete })` returning `{ unsubscribe() }` (see botframework-webchat-core's
 * observeEach and observeOnce). Written out so the page needs no rxjs.
 */
export interface Observer<T> {
  // Properties, not methods: they are called detached from the observer (`const handler = target.error`).
  next?: (value: T) => void;
  error?: (err: unknown) => void;
  complete?: () => void;
}

export interface Subscription {
  unsubscribe(): void;
  readonly closed: boolean;
}

type Producer<T> = (observer: Required<Observer<T>>) => (() => void) | void;

export class Observable<T> {
  constructor(private readonly producer: Producer<T>) {}

  subscribe(
    observerOrNext?: Observer<T> | ((value: T) => void),
    error?: (err: unknown) => void,
    complete?: () => void,
  ): Subscription {
    const target: Observer<T> =
      typeof observerOrNext === 'function' ? { next: observerOrNext, error, complete } : (observerOrNext ?? {});
    let closed = false;
    // Assigned once the producer returns; close() may run before that (a producer that fails at once).
    let teardown: (() => void) | void = undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      teardown?.();
    };
    const safe: Required<Observer<T>> = {
      next: (value) => {
        if (!closed) target.next?.(value);
      },
      error: (err) => {
        if (!closed) {
          const handler = target.error;
          close();
          handler?.(err);
        }
      },
      complete: () => {
        if (!closed) {
          const handler = target.complete;
          close();
          handler?.();
        }
      },
    };
    teardown = this.producer(safe);
    if (closed) teardown?.();
    return {
      unsubscribe: close,
      get closed() {
        return closed;
      },
    };
  }
}

/** An observable with a current value, given to every new subscriber first (like rxjs' BehaviorSubject). */
export class BehaviorSubject<T> extends Observable<T> {
  private readonly observers = new Set<Required<Observer<T>>>();

  constructor(private current: T) {
    super((observer) => {
      this.observers.add(observer);
      observer.next(this.current);
      return () => this.observers.delete(observer);
    });
  }

  get value(): T {
    return this.current;
  }

  getValue(): T {
    return this.current;
  }

  next(value: T): void {
    this.current = value;
    for (const observer of [...this.observers]) observer.next(value);
  }
}
