/** English messages: proposals. */
export const proposals = {
} as const;
