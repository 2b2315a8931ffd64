import type { z } from 'zod';
import type { feedQuery } from './apiSchemas.js';
import type { ApiServices, Handler } from './apiServices.js';
import { cancellationBody } from './apiViews.js';
import { readCursor, writeCursor } from './feedCursor.js';

/** Every cancellation, paged by cursor, oldest first. */
export function cancellationFeedHandlers(s: Pick<ApiServices, 'memberships'>) {
  const listCancellationFeed: Handler = async ({ query }) => {
    const { after, limit } = query as z.infer<typeof feedQuery>;
    const from = after === undefined ? null : readCursor(after);
    // One more than asked tells whether another page follows.
    const found = await s.memberships.cancellationFeed(from, limit + 1);
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      status: 200,
      body: {
        cancellations: page.map(cancellationBody),
        nextCursor: last ? writeCursor(last) : (after ?? writeCursor(null)),
        hasMore: found.length > limit,
      },
    };
  };
  return { listCancellationFeed };
}
