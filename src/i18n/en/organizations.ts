/** English messages: organizations. */
export const organizations = {
} as const;
