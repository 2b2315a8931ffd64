import type { Repository } from '../../model/repository.js';
import type { OutboxMessage } from '../../model/schema.js';
import { DeliveryError, type Transport } from '../transport.js';

/**
 * Sends text into an existing conversation; the bot layer implements it with its adapter. `name` is
 * the member's, which the text may hold (a copy of their data) and a transcript must mask;
 * `composedAt` when the notice was written (the page tells a receipt its turn already showed).
 */
export type ProactiveSend = (
  conversationReference: Record<string, unknown>,
  text: string,
  name: string,
  composedAt: string,
) => Promise<void>;

/** In-app messages: a proactive Bot Framework message to the member's last conversation. */
export class InAppTransport implements Transport {
  constructor(
    private readonly repo: Repository,
    private readonly proactive: ProactiveSend,
  ) {}

  async send(message: OutboxMessage): Promise<void> {
    const member = await this.repo.memberById(message.memberId);
    const reference = member?.conversationReference;
    if (!reference) throw new DeliveryError('the member has no conversation to send to', false);
    try {
      await this.proactive(reference, message.text, member.name, message.at);
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      throw new DeliveryError(`proactive message failed: ${(err as Error).message}`, true);
    }
  }
}
