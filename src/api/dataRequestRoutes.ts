import type { ApiServices, Handler } from './apiServices.js';

/** A member's data: a copy sent on their own channel, or erasure (as the conversation does them). */
export function dataRequestHandlers(s: Pick<ApiServices, 'personalData'>) {
  const requestDataExport: Handler = async ({ params }) => {
    const result = await s.personalData.export(params.memberId);
    return {
      status: 202,
      body: { channel: result.channel, ...(result.maskedAddress ? { maskedAddress: result.maskedAddress } : {}) },
    };
  };
  const requestErasure: Handler = async ({ params }) => {
    const result = await s.personalData.erase(params.memberId);
    return {
      status: 200,
      body: { keptCancellations: result.keptCancellations, erasedNotices: result.erasedNotices },
    };
  };
  return { requestDataExport, requestErasure };
}
