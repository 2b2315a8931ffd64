import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogSet, DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import { registerDialogsOnce } from './oneDialogsRegistration.js';

/** Where botbuilder-dialogs looks for a memory-scope configuration before building one (not exported). */
const STATE_CONFIGURATION_KEY = 'DialogStateManagerConfiguration';

/** The configuration each dialog set's first turn built, handed to its later turns. */
const configurations = new WeakMap<DialogSet, DialogStateManagerConfiguration>();

/**
 * `dialogSet.createContext(context)`, reusing the memory-scope configuration of the set's earlier
 * turns. Every DialogContext without a configuration in its turn builds one (a dependency-injection
 * container making nine memory scopes); the scopes hold no per-turn data, so one set serves every
 * turn, as botbuilder-dialogs' own DialogManager keeps one across turns.
 */
export async function createDialogContext(dialogSet: DialogSet, context: TurnContext): Promise<DialogContext> {
  registerDialogsOnce();
  const configuration = configurations.get(dialogSet);
  if (configuration) context.turnState.set(STATE_CONFIGURATION_KEY, configuration);
  const dc = await dialogSet.createContext(context);
  if (!configuration) configurations.set(dialogSet, dc.state.configuration);
  return dc;
}
