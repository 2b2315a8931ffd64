/** English catalog: the reference set of keys; the Chinese catalog must have exactly these. */
export const enUS = {
  welcome: 'Hi! I can help you check your membership or cancel it. What would you like to do?',
  'menu.status': 'Check my membership',
  'menu.cancel': 'Cancel membership',
  'menu.help': 'Help',
  'choice.numbered': '{number}. {choice}',
  'error.turn':
    "Sorry, something went wrong on my side. Nothing was changed unless I gave you a reference number. Let's start again.",
  'error.storeUnavailable':
    "Sorry, I can't save anything right now, so nothing was changed: your membership is exactly as it was. Please send your last message again in a few minutes.",
  'error.outcomeUnknown':
    "Sorry, I lost the connection just as I was saving, so I can't tell whether it went through. If it did, you'll get the confirmation with its reference number. Please send your last message again: I'll check, and nothing is done twice.",
  'error.turnOverlap':
    "Sorry, I was still working on your previous message and couldn't take this one. Anything I gave you a reference number for is done. Please send this message again.",
  'error.stateUnavailable':
    "Sorry, I can't save our conversation right now. Anything I gave you a reference number for is done; nothing else was changed. Please send your last message again in a few minutes.",
  'notify.otp':
    'Your verification code is {code}. It is valid for {minutes} minutes. Never share it with anyone; we will never ask for it by phone.',
  'notify.none': 'none',
  'notify.cancelled':
    'Cancellation confirmed: {plan} (membership {membershipId}), received {receivedAt}. Benefits ended {effectiveAt}. Fee: {fee}. Refund: {refund}. Removed with your benefits: {forfeits}. This cannot be undone. Reference: {reference}.',
  'notify.scheduled':
    'Cancellation confirmed: {plan} (membership {membershipId}), received {receivedAt}. Auto-renew is off; benefits last until {effectiveAt}. Fee: {fee}. Refund: {refund}. Lost when benefits end: {forfeits}. To undo it before {effectiveAt}, ask the assistant to check your membership. Reference: {reference}.',
  'notify.undone':
    'Your {plan} membership ({membershipId}) will continue: the cancellation was withdrawn and auto-renew is back on. Next charge: {price} on {date}.',
  'notify.reminder':
    'Reminder: {plan} (membership {membershipId}) renews automatically on {date} for {price}. Not wanted? Cancel before then and nothing is charged: {link}',
  'notify.priceChange':
    'Price change: {plan} (membership {membershipId}) will renew at {after} instead of {before}, first charged on {date}. Not wanted? Cancel before then and nothing is charged at the new price: ask the assistant to "cancel my membership".',
  'notify.renewed':
    'Your {plan} (membership {membershipId}) renewed: {price} charged; the new period runs until {date}.',
  'notify.renewalRefused':
    'We could not charge {price} to renew your {plan} (membership {membershipId}). Your benefits continue until {date}, when we try once more. Please check your payment method, or ask the assistant to cancel.',
  'notify.expired':
    'Your {plan} (membership {membershipId}) has ended: it was not renewed, and nothing more will be charged.',
  'notify.effective': 'Your {plan} membership ({membershipId}) has now ended, as you requested.',
  'notify.dataExport':
    'A copy of the personal data we hold about you, as you asked in the chat. It is below in JSON, a format any computer can read. It holds no verification codes.',
  'notify.dataExportSent':
    'The copy of your personal data you asked for has been sent by e-mail to {address}. It is not sent by text message: it is too long for one.',
  'email.subject.dataExport': 'A copy of your personal data',
  'privacy.export.intro': 'Here is what we hold about you:',
  'privacy.export.name': 'Name: {name}',
  'privacy.export.phone': 'Phone: {phone}',
  'privacy.export.email': 'E-mail: {email}',
  'privacy.export.channel': 'Notices go by: {channel}',
  'privacy.export.memberships': 'Memberships:',
  'privacy.export.membership': '- {plan} ({id}): {status}',
  'privacy.export.cancellations': 'Cancellations:',
  'privacy.export.cancellation': '- {reference}: membership {membershipId}, received {date}{undone}',
  'privacy.export.undone': ', withdrawn',
  'privacy.export.none': '- none',
  'privacy.export.notices':
    'Notices we sent you: {count}, of which {codes} with verification codes (a code itself is never kept or copied).',
  'privacy.export.sent.sms': 'The full copy (JSON) is on its way by text message to {address}.',
  'privacy.export.sent.email': 'The full copy (JSON) is on its way by e-mail to {address}.',
  'privacy.export.sent.in-app': 'The full copy (JSON) is on its way to your messages in the app.',
  'privacy.channel.sms': 'text message',
  'privacy.channel.email': 'e-mail',
  'privacy.channel.in-app': 'in-app message',
  'privacy.status.active': 'active',
  'privacy.status.pending_cancel': 'cancelled, ends at the end of its period',
  'privacy.status.cancelled': 'cancelled',
  'privacy.status.expired': 'expired',
  'privacy.erase.ask':
    'Erasing your personal data removes for good your name, phone number and e-mail address, the addresses and texts of the messages we sent you, and what our chat page kept of our conversations (the page then closes). You will no longer be able to sign in here with that phone number or e-mail. Cancellation records stay, without your name or contact details. Erase your personal data now?',
  'privacy.erase.yes': 'Erase my data',
  'privacy.erase.no': 'Keep my data',
  'privacy.erase.explain':
    'Erasing cannot be undone: your name, phone number and e-mail address are replaced by your member number alone. Nothing is erased unless you choose "Erase my data".',
  'privacy.erase.kept': 'OK, nothing was erased.',
  'privacy.erase.blocked':
    'I can’t erase your personal data while a membership is still running ({memberships}): we need to be able to reach you about its billing and benefits. Once it has ended you can ask again.',
  'privacy.erase.done': 'Done. Erased for good:',
  'privacy.erase.done.contact':
    '- your name, phone number and e-mail address (member number {memberId} stands in for them)',
  'privacy.erase.done.reference': '- the link to your last conversation, which in-app messages used to reach you',
  'privacy.erase.done.notices.one': '- the address and text of the {count} message we sent you',
  'privacy.erase.done.notices.other': '- the addresses and texts of the {count} messages we sent you',
  'privacy.erase.done.challenges.one': '- the phone number or e-mail address of {count} code request',
  'privacy.erase.done.challenges.other': '- the phone numbers or e-mail addresses of {count} code requests',
  'privacy.erase.done.thisChat': '- the history of this chat page, which is now closed: start a new chat to go on',
  'privacy.erase.done.otherChats.one':
    '- the history of {count} other chat page where you talked to us or our in-app messages went, now closed',
  'privacy.erase.done.otherChats.other':
    '- the history of {count} other chat pages where you talked to us or our in-app messages went, now closed',
  'privacy.erase.signedOut': 'This conversation is signed out.',
  'privacy.erase.transcripts':
    'Our support transcripts of conversations are deleted {days} days after they were last written; in them your name as we wrote it, your phone number and your e-mail address are masked.',
  'privacy.erase.records':
    'We keep the cancellation records {references}, with their dates, amounts and member number {memberId} but no name or contact details: accounting and consumer-protection law require proof of each cancellation and of any refund or fee.',
  'privacy.erase.noRecords': 'There were no cancellation records, so nothing about your memberships names you.',
  'privacy.erase.note':
    'We also keep a note that your data was erased and when, under member number {memberId}, as proof that we did.',
  'help.erasePrompt':
    'Choose "Erase my data" to remove your personal data for good, or "Keep my data" to change nothing.',
  'email.subject.otp': 'Your verification code',
  'email.subject.receipt': 'Your cancellation is confirmed',
  'email.subject.undone': 'Your membership continues: the cancellation was withdrawn',
  'email.subject.reminder': 'Your membership renews soon',
  'email.subject.renewed': 'Your membership renewed',
  'email.subject.priceChange': 'Your membership price is changing',
  'email.subject.renewalRefused': 'We could not renew your membership',
  'email.subject.expired': 'Your membership has ended',
  'email.subject.other': 'A message about your membership',
  'email.subject.effective': 'Your membership has ended',
  'email.otp.code': 'Your verification code is {code}.',
  'email.otp.validity': 'It is valid for {minutes} minutes. Type it in the chat where you asked for it.',
  'email.otp.neverAsk':
    'No one will ever ask you for this code: not our staff, not by phone, chat or e-mail. Anyone who asks for it is trying to get into your account, so do not give it to them.',
  'email.otp.notYou': 'If you did not ask for a code, ignore this message: nothing changes without it.',
  'email.receipt.reference': 'Reference number: {reference}',
  'email.receipt.what':
    'Your cancellation of {plan} (membership {membershipId}) is confirmed. We received it {receivedAt} (Beijing time).',
  'email.receipt.periodEnd':
    'Benefits: auto-renew is off and nothing more will be charged; your benefits last until {date}.',
  'email.receipt.immediate': 'Benefits: ended on {date}.',
  'email.receipt.fee': 'Cancellation fee: {fee}, deducted from the refund.',
  'email.receipt.noFee': 'Cancellation fee: none.',
  'email.receipt.refund': 'Refund: {refund}, back to your original payment method within 3–5 working days.',
  'email.receipt.noRefund': 'Refund: none.',
  'email.receipt.forfeit': 'When your benefits end you lose: {items}.',
  'email.receipt.forfeitNow': 'Removed with your benefits: {items}.',
  'forfeit.points.one': '{count} point',
  'forfeit.points.other': '{count} points',
  'forfeit.coupons.one': '{count} coupon worth {value}',
  'forfeit.coupons.other': '{count} coupons worth {value}',
  'forfeit.tier': 'your {tier} status',
  'email.receipt.undo':
    'Changed your mind? You can undo this cancellation until {date}: ask the assistant to check your membership and choose "{action}".',
  'email.receipt.noUndo': 'This cancellation took effect at once and cannot be undone.',
  'email.receipt.keep': 'Keep this e-mail as your receipt.',
  'menu.prompt': 'You can check your membership or cancel it. What would you like to do?',
  'help.general':
    'I can show your membership (plan, end date, points, coupons) and cancel it if you want. First I\'ll check it\'s you with a one-time code sent to your registered phone or email. Say "quit" at any time to stop; nothing changes without your explicit yes.',
  'help.identifierPrompt':
    'Type the phone number or email registered with your membership, e.g. 138 1234 5678 or name@example.com. I will send a one-time code there.',
  'help.codePrompt': 'Type the 6-digit code from the message we sent. Say "resend" for a new code, or "quit" to stop.',
  'help.membershipPrompt': 'Pick the membership you mean: tap it, type its number, or name the plan.',
  'help.confirmPrompt':
    'Choose one of the options: each says exactly what happens. "Keep my membership" changes nothing.',
  'help.reasonPrompt': 'This question is optional. Pick a reason, or "Skip".',
  'help.undoPrompt': 'Choose "Undo the cancellation" to keep your membership, or "Leave it as it is".',
  'input.tooLong': 'That message is too long for me. Please send a shorter one.',
  'input.shortened': ' … [shortened: the message had {count} characters, more than I can read]',
  'input.unsupported': 'I can only read text messages. Please type your answer.',
  'input.slowDown':
    'You are sending messages faster than I can answer well. Please wait a minute, then carry on; nothing was lost.',
  'input.unclear': "Sorry, I didn't catch that.",
  'input.sentenceGap': ' ',
  'quit.done': 'OK, I stopped. Nothing was changed.',
  'quit.afterCancel': 'OK, I stopped here. Your cancellation stands as confirmed above; nothing else was changed.',
  'handoff.recorded':
    'I have asked a support colleague to contact you here in this chat within one working day. You can keep going with me meanwhile.',
  'ambiguous.question': 'Do you want to stop what we are doing, or cancel your membership?',
  'ambiguous.stop': 'Stop this',
  'ambiguous.cancelMembership': 'Cancel my membership',
  'language.switched': 'OK, I will continue in English.',
  'verify.askIdentifier':
    "First I need to check it's you. What is the phone number or email registered with your membership?",
  'verify.retryIdentifier':
    'I could not read a phone number or email there. Please type it like 138 1234 5678, +1 415 555 0123 or name@example.com.',
  'verify.codeSent':
    'If {address} is registered with us, a 6-digit code has just been sent to it. It is valid for {minutes} minutes.',
  'verify.askCode': 'Please type the code. (Say "resend" if it has not arrived.)',
  'verify.retryCode': 'A code has 6 digits, e.g. 123 456. Please type the code, or say "resend".',
  'verify.wrongCode.one': 'That code is not right. {count} try left.',
  'verify.wrongCode.other': 'That code is not right. {count} tries left.',
  'verify.deadCode': 'That code no longer works after too many wrong tries. Say "resend" for a new one.',
  'verify.expiredCode': 'That code has expired. Say "resend" for a new one.',
  'verify.throttled': 'For your security, no new code can be sent right now. Please try again in {wait}.',
  'verify.resendTooSoon':
    'The code I sent is still valid: type it as soon as it arrives. A new code can be sent in {wait}.',
  'verify.otherChannel.email':
    'If the text message does not come, type the email address registered with us instead and I will send a code there.',
  'verify.otherChannel.phone':
    'If the e-mail does not come, type the phone number registered with us instead and I will send a code by text message.',
  'time.seconds.one': '{count} second',
  'time.seconds.other': '{count} seconds',
  'time.minutes.one': '{count} minute',
  'time.minutes.other': '{count} minutes',
  'verify.done': 'Thank you, {name}, you are verified.',
  'status.none': "I couldn't find any membership on this account.",
  'status.noneActive': 'You have no membership that can be cancelled now. Here is what is on your account:',
  'status.line': '{plan}: {status}',
  'status.intro': 'Here is your membership:',
  'status.introMany': 'You have {count} memberships:',
  'status.undoExplain':
    'Undoing keeps your membership as it was: it carries on and renews automatically. Nothing changes unless you choose "Undo the cancellation".',
  'status.askUndo': 'Your cancellation has not taken effect yet. Would you like to undo it and keep the membership?',
  'status.otherMembership':
    'This question is about your {plan}; nothing has changed. Undo its cancellation, or leave it as it is?',
  'status.undo': 'Undo the cancellation',
  'status.leave': 'Leave it as it is',
  'status.cannotUndo':
    'Your {plan} cancellation took effect on {date} and cannot be undone: the membership has ended and cannot be restored.',
  'status.nothingToUndo': 'There is no cancellation to undo: nothing has been cancelled on this account.',
  'status.undone':
    'Done: your {plan} continues and auto-renew is back on. The next charge is {price} on {date}. A confirmation is on its way.',
  'status.left': 'OK, nothing was changed.',
  'status.active': 'Active',
  'status.pending_cancel': 'Active until {date}; it will not renew, and you can undo the cancellation until then',
  'status.cancelled': 'Cancelled',
  'status.expired': 'Expired',
  'status.renewalDue': 'Renewal due: the last period is over and no renewal is on record yet',
  'status.grace': 'Renewal payment refused: benefits continue until {date}, when the charge is tried once more',
  'cancel.appStore':
    "{plan} is billed by {store}, so only you can cancel it, in {store}; I can't cancel it from here, and nothing has changed. Manage or cancel it at {link}",
  'store.app-store': 'the App Store',
  'store.google-play': 'Google Play',
  'status.reminded': '{plan}: yes, I sent you a renewal reminder by {channel} on {date}.',
  'status.remindedQueued':
    '{plan}: a renewal reminder was queued on {date} for your {channel} and has not been delivered yet.',
  'status.remindedNotYet':
    '{plan}: no reminder yet for this period; one goes out before it renews on {date}, in time to cancel.',
  'status.remindedNone': '{plan}: no reminder was sent; it will not renew, so there is nothing to remind you of.',
  'status.remindedNothing': 'I have sent you no renewal reminders, and none of your memberships renews.',
  'status.nextCharge':
    '{plan}: your next charge is {price} on {date}, when it renews automatically. To stop it, ask me to cancel before then.',
  'status.nextChargeDue':
    '{plan}: the last period is over and its renewal ({price}) is due now; nothing has been charged for it yet.',
  'status.nextChargeOff': '{plan}: nothing more will be charged (auto-renew is off).',
  'status.nextChargeNothing': 'Nothing will be charged: you have no membership that renews.',
  'fact.plan': 'Plan',
  'fact.tier': 'Tier',
  'fact.status': 'Status',
  'fact.period': 'Current period',
  'fact.remaining': 'Days left',
  'fact.autoRenew': 'Auto-renew',
  'fact.nextCharge': 'Next charge',
  'fact.nextChargeValue': '{date}, {price}',
  'fact.nextChargeDue': '{price}, due now',
  'fact.nextChargeOff': 'none (auto-renew is off)',
  'fact.renewalDue': 'renewal due',
  'fact.price': 'Price paid',
  'fact.points': 'Points',
  'fact.coupons': 'Coupons',
  'fact.couponsValue': '{count} worth {value}, nearest expiry {date}',
  'fact.none': 'none',
  'fact.on': 'On',
  'fact.off': 'Off',
  'fact.reference': 'Cancellation reference',
  'fact.effective': 'Benefits end',
  'fact.refund': 'Refund',
  'price.month': '{price}/month',
  'price.year': '{price}/year',
  'fact.line': '{title}: {value}',
  'cancel.whichOne': 'Which membership do you want to cancel?',
  'cancel.nothingActive': 'There is nothing left to cancel.',
  'cancel.warning.title': 'Before you decide — cancelling {plan}:',
  'cancel.warning.periodEnd': '• At period end: auto-renew stops, you keep all benefits until {date}, no refund.',
  'cancel.warning.immediate': '• Now: benefits end today; refund {refund} ({fee} fee deducted).',
  'cancel.warning.immediateNoFee': '• Now: benefits end today; refund {refund}.',
  'cancel.warning.noImmediate':
    '• This plan has no refund for the current period, so it cannot be cancelled with a refund.',
  'cancel.warning.renewalDue':
    '• Your last period is over and has not been renewed: cancelling stops the renewal today; nothing is charged and nothing refunded.',
  'cancel.warning.forfeit': '• When benefits end you lose: {items}.',
  'cancel.warning.advice.points': 'Tip: use your points before they go.',
  'cancel.warning.advice.coupons': 'Tip: use your coupons before they go.',
  'cancel.warning.advice.both': 'Tip: use or save your points and coupons before they go.',
  'cancel.warning.offer': 'If you prefer, you can also switch to {plan} at {price}.',
  'cancel.warning.ask': 'What would you like to do?',
  'answer.ownOnly':
    "I can only act on your own membership and data. For someone else's account, they need to ask themselves.",
  'cancel.answer.nothingYet': 'Nothing changes until you pick one of the options below.',
  'cancel.answer.takeYourTime':
    'Take your time: nothing changes until you pick one of the options. You can also come back later.',
  'cancel.option.periodEnd': 'Cancel at period end (keep benefits until {date})',
  'cancel.option.immediate': 'Cancel now, refund {refund}',
  'cancel.option.renewalDue': 'Cancel: stop the renewal today',
  'cancel.option.offer': 'Switch to {plan} ({price})',
  'cancel.option.keep': 'Keep my membership',
  'cancel.answer.plainNo':
    'Nothing has changed. Would you like to keep your membership, or cancel it one of the ways below?',
  'cancel.answer.whichYes': 'Which one would you like? Please pick one of the options: nothing changes until you do.',
  'cancel.answer.otherMembership':
    'This is about your {plan}; nothing has changed. To cancel another membership, say "start over" first. What would you like to do with your {plan}?',
  'cancel.retryConfirm': 'Please pick one of the options, or say "keep" to change nothing.',
  'cancel.unclearEnd': "I didn't get a clear answer, so nothing has changed. Your membership is as it was.",
  'cancel.kept': 'OK, your membership stays as it is. Nothing was changed.',
  'cancel.offerNoted':
    'Noted: you would like to switch to {plan}. Nothing has been cancelled; a colleague will confirm the switch with you within one working day.',
  'cancel.done.title': 'Done. Your cancellation is confirmed.',
  'cancel.done.periodEnd': 'Status: auto-renew is off; your benefits last until {date}.',
  'cancel.done.immediate': 'Status: cancelled today ({date}).',
  'cancel.done.refund': 'Refund: {refund}, back to your original payment method within 3–5 working days.',
  'cancel.done.refundAfterFee':
    'Refund: {refund} (after a {fee} cancellation fee), back to your original payment method within 3–5 working days.',
  'cancel.done.noRefund': 'Refund: none.',
  'cancel.done.forfeit': 'When your benefits end you lose: {items}.',
  'cancel.done.forfeitNow': 'Removed with your benefits: {items}.',
  'cancel.done.undo':
    'Changed your mind? You can undo this cancellation until {date}: ask me to check your membership and choose "{action}".',
  'cancel.done.noUndo': 'This cancellation took effect at once and cannot be undone.',
  'cancel.done.reference': 'Reference number: {reference}',
  'cancel.done.sent.sms': 'A confirmation has been sent by text message to {address}.',
  'cancel.done.sent.email': 'A confirmation has been sent by e-mail to {address}.',
  'cancel.done.sent.in-app': 'A confirmation has been sent to your messages in the app.',
  'cancel.already': 'This membership was already cancelled (reference {reference}); nothing was changed.',
  'cancel.changedMeanwhile':
    'This membership was changed meanwhile, perhaps from another device, so I changed nothing now. Here is where it stands:',
  'cancel.renewalInProgress':
    'The renewal of {plan} is being charged right now, so I changed nothing. Please try again in a few minutes: once the renewal is on record you can cancel it, with a refund where the plan gives one.',
  'reason.ask': 'One optional question: why did you leave?',
  'reason.expensive': 'Too expensive',
  'reason.service': 'Not satisfied with the service',
  'reason.security': 'Account security',
  'reason.privacy': 'Privacy',
  'reason.other': 'Other',
  'reason.skip': 'Skip',
  'reason.thanks': 'Thank you for telling us.',
  'reason.skipped': 'No problem.',
  goodbye: 'Anything else? You can check your membership or ask for help at any time.',
  'thanks.reply': "You're welcome!",
  'web.title': 'Membership assistant',
  'web.languageGroup': 'Language',
  'web.languageName': 'English',
  'web.refused': 'This chat link is not valid or has expired. Please open the chat again from the app.',
  'web.expired': 'This chat has timed out. Start a new chat to continue.',
  'web.busy': 'Too many requests right now. Please wait a minute, then try again.',
  'web.tooManyChats':
    'Too many new chats have been started from your network in the last hour. Please go on with a chat you already have open, or try again in an hour.',
  'web.chatsFull':
    'Too many people are starting a chat right now. Please try again later; new chats open again within the hour.',
  'web.unavailable': 'The chat service cannot be reached. Check your connection, then try again.',
  'web.newChat': 'Start a new chat',
  'web.crossSite': 'This chat can only be opened from the app or from its own page. Please open it again from the app.',
} as const;

export type MessageKey = keyof typeof enUS;
