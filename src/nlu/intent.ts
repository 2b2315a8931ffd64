import type { INTENTS } from './corpus.js';

/** What a free message asks for: the corpus's intents, and the bare "cancel" the rules find. */
export type Intent = (typeof INTENTS)[number] | 'ambiguousCancel';
