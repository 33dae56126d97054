/**
 * Introductions' actions, one module per purpose:
 *
 *   services.ts     what they need of the site, who acts, the result type
 *   input.ts        the request form's fields, limits and schema
 *   eligibility.ts  who may ask (a buyer whose organization stands verified)
 *   access.ts       who sees an introduction, as which side, with which moves; "my introductions"
 *   recipients.ts   whom each side's mail goes to
 *   request.ts      a buyer's request
 *   moves.ts        a move of the state machine (state.ts)
 *   messages.ts     the thread
 *   attachments.ts  its PDF files
 *   labels.ts       names shown for outcomes and buyers
 *
 * This file only re-exports them, for the imports written before the split.
 */
export * from './access.ts';
export * from './attachments.ts';
export * from './eligibility.ts';
export * from './input.ts';
export * from './labels.ts';
export * from './messages.ts';
export * from './moves.ts';
export * from './request.ts';
export { sideEmails } from './recipients.ts';
export type { IntroductionResult, IntroductionServices, IntroductionUser, Status } from './services.ts';
export { asIntroductionState, isIntroductionMove } from './state.ts';
