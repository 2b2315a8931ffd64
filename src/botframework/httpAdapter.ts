import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator.js';

export type TurnOutcome = { status: number; body?: unknown } | { status: 401; refused: string };

/**
 * CloudAdapter for a server that checks requests itself (activityRequest.ts). CloudAdapter's
 * `process(req, res, logic)` checks the response object, the logic function and the body again
 * with zod schemas it builds on every call (bench/analysis.md, change 8) and
 * reports a refused token on console.error, past our log's masking. This runs the same turn
 * (`processActivity`) and leaves the HTTP answer and the logging to the server.
 */
export class HttpAdapter extends CloudAdapter {
  /** Runs one turn for a checked activity; resolves with what to answer (an invoke or expectReplies body). */
  async runTurn(
    authHeader: string,
    activity: Partial<Activity>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<TurnOutcome> {
    try {
      const response = await this.processActivity(authHeader, validateAndFixActivity(activity as Activity), logic);
      return { status: response?.status ?? 200, body: response?.body };
    } catch (err) {
      if (err instanceof AuthenticationError) return { status: 401, refused: err.message };
      throw err;
    }
  }
}
