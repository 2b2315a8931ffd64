/** The few Web Chat entry points main.ts uses (typed here so the page does not type-check Web Chat's sources). */
export interface WebChatStore {
  dispatch(action: { type: string; payload?: unknown }): unknown;
}

export function createStore(): WebChatStore;

export function mountWebChat(element: HTMLElement): (props: Record<string, unknown>) => void;
