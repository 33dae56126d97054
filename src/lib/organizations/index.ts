/** Organizations: who may see and change one (access.ts) and the changes themselves (actions.ts). */
export * from './access.ts';
export * from './actions.ts';
export * from './labels.ts';
