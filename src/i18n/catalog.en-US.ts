/** English catalog: the reference set of keys; the Chinese catalog must have exactly these. */
export const enUS = {
  'welcome': "Hi! I can help you check your membership or cancel it. What would you like to do?",
  'menu.status': 'Check my membership',
  'menu.cancel': 'Cancel membership',
  'menu.help': 'Help',
  'error.turn': "Sorry, something went wrong on my side. Nothing was changed unless I gave you a reference number. Let's start again.",
} as const;

export type MessageKey = keyof typeof enUS;
