import type { TurnContext } from 'botbuilder';

const CLIENT_ADDRESS = Symbol('clientAddress');

/**
 * The address a turn's request came from, when that says who the client is: the server records it
 * only without authentication, when clients call directly. Behind Azure Bot Service every request
 * comes from its addresses, and counting them would make all members one requester.
 */
export function clientAddressOf(context: TurnContext): string | undefined {
  return context.turnState.get<string | undefined>(CLIENT_ADDRESS);
}

export function setClientAddress(context: TurnContext, address: string | undefined): void {
  if (address) context.turnState.set(CLIENT_ADDRESS, address);
}
