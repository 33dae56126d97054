/** English messages: vetting. */
export const vetting = {
} as const;
