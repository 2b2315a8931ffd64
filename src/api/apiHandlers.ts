import type { OperationId } from './apiOperations.js';
import { apiLookups, type ApiServices, type Handler } from './apiServices.js';
import { cancelHandlers } from './cancelRoutes.js';
import { cancellationFeedHandlers } from './cancellationFeedRoute.js';
import { dataRequestHandlers } from './dataRequestRoutes.js';
import { memberReadHandlers } from './memberReadRoutes.js';
import { priceChangeHandlers } from './priceChangeRoute.js';
import { recordHandlers } from './recordRoutes.js';

export type { ApiCall, ApiResult } from './apiCall.js';
export type { ApiServices } from './apiServices.js';

export type ApiHandlers = Record<OperationId, Handler>;

/** The routes' work, by operation (apiOperations.ts), with no HTTP in it: one module a concept. */
export function apiHandlers(s: ApiServices): ApiHandlers {
  const find = apiLookups(s);
  return {
    ...memberReadHandlers(s, find),
    ...cancellationFeedHandlers(s),
    ...cancelHandlers(s, find),
    ...dataRequestHandlers(s),
    ...recordHandlers(s, find),
    ...priceChangeHandlers(s),
  };
}
