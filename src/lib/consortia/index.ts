/** Consortia: who may see and change one (access.ts), eligibility in words (eligibility.ts) and the changes (actions.ts). */
export * from './access.ts';
export * from './eligibility.ts';
export * from './actions.ts';
