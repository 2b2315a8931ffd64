import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';

/**
 * The bot's adapter for its own web page. The page's requests are authenticated by the web chat
 * token (webChatToken.ts), not by Bot Framework's, and every reply goes back in the HTTP answer of
 * the turn that caused it, so this adapter only runs the middleware and collects what the bot sends.
 */
export class WebChatAdapter extends BotAdapter {
  private readonly repliesKey = Symbol('webChatReplies');

  /** Runs one turn; resolves with the messages the bot sent in it, in order. */
  runTurn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    return this.collect(activity, (context) => this.runMiddleware(context, logic));
  }

  /**
   * What `logic` says, outside any turn: no middleware (no turn lock, no transcript), and no state
   * is read or saved unless `logic` does so.
   */
  render(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    return this.collect(activity, logic);
  }

  private async collect(
    activity: Partial<Activity>,
    run: (context: TurnContext) => Promise<void>,
  ): Promise<Partial<Activity>[]> {
    const context = new TurnContext(this, activity);
    const replies: Partial<Activity>[] = [];
    context.turnState.set(this.repliesKey, replies);
    await run(context);
    return replies;
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get<Partial<Activity>[]>(this.repliesKey);
    return activities.map((activity) => {
      // Trace activities are for the Emulator's inspector; "delay" is a pause between messages, which a page does not need.
      if (activity.type !== ActivityTypes.Trace && activity.type !== 'delay') replies.push(activity);
      return { id: '' };
    });
  }

  async updateActivity(): Promise<void> {
    throw new Error('The web chat page does not support editing a sent message.');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('The web chat page does not support deleting a sent message.');
  }

  async continueConversation(_reference: Partial<ConversationReference>): Promise<void> {
    throw new Error('The web chat page receives messages only as answers to its own requests.');
  }
}
