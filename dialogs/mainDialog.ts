import { ActivityTypes, MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';
import type { Locale } from '../src/config.js';
import { t } from '../src/i18n/messages.js';

const MAIN_WATERFALL = 'mainWaterfall';

/** The root of the conversation: greets, routes, and owns the interruptions. */
export class MainDialog extends ComponentDialog {
  constructor() {
    super('mainDialog');
    this.addDialog(new WaterfallDialog(MAIN_WATERFALL, [async (step) => {
      await step.context.sendActivity(welcomeActivity(step.context.activity.locale as Locale));
      return step.endDialog();
    }]));
    this.initialDialogId = MAIN_WATERFALL;
  }

  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogSet = new DialogSet(dialogState);
    dialogSet.add(this);
    const dc = await dialogSet.createContext(context);
    if (context.activity.type !== ActivityTypes.Message) return;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }
}

export function welcomeActivity(locale: Locale) {
  return MessageFactory.suggestedActions(
    [t(locale, 'menu.status'), t(locale, 'menu.cancel'), t(locale, 'menu.help')],
    t(locale, 'welcome'),
  );
}
