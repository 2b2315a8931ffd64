/** TypeScript's down-levelled async functions (`__awaiter(…, function* …)`) rewritten as native ones. */
export function nativeAsync(source: string, fileName?: string): string;
/** The installed files compiled that way: botbuilder's and botframework's packages. */
export const DOWNLEVELLED: RegExp;
