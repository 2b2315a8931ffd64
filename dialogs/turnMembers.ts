import type { TurnContext } from 'botbuilder';
import type { MemberService } from '../src/membership/memberService.js';

const TURN_MEMBERS = Symbol('turn members');

/**
 * The member service for this turn, each member read once: the host token's check, the
 * verification's, the conversation remembered and the receipt's contact all ask for the member,
 * and the turn's state dies with the turn, so no later turn is answered from this one's read.
 *
 * @param context - The turn.
 * @param members - The app's member service.
 * @returns The turn's view of it, made at the first ask.
 */
export function turnMembers(context: TurnContext, members: MemberService): MemberService {
  let view = context.turnState.get<MemberService | undefined>(TURN_MEMBERS);
  if (!view) {
    view = members.forOneTurn();
    context.turnState.set(TURN_MEMBERS, view);
  }
  return view;
}
