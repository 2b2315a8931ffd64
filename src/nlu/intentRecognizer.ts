import type { Locale } from '../config.js';

export type Intent =
  | 'cancel' | 'status' | 'checkCancelled' | 'undo' | 'help' | 'quit' | 'startOver' | 'human'
  | 'toChinese' | 'toEnglish' | 'ambiguousCancel' | 'greeting' | 'none';

/** Where intents come from; a cloud NLU can replace the local one behind this interface. */
export interface IntentRecognizer {
  recognize(text: string, locale: Locale): Intent;
}
